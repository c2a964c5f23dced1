from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.accounts.demo import CAST, DEMO_PASSWORD
from alongside.demo import seed_demo


class Command(BaseCommand):
    help = "Migrate, load the demo data, start a task worker and serve Alongside (for trying it out)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=None, help="Defaults to $PORT or 8000.")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the background task worker.")

    def handle(self, *args: object, **options: object) -> None:
        import uvicorn

        port_text = str(options["port"] or os.environ.get("PORT") or "8000")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise CommandError(f"PORT must be a number from 1 to 65535, got {port_text!r}")
        port = int(port_text)
        host = str(options["host"])
        url = f"http://{host}:{port}/"
        # Links in emails (invitations, sign-up) must point at where this demo listens.
        settings.SITE_URL = url.rstrip("/")
        os.environ["SITE_URL"] = settings.SITE_URL
        call_command("migrate", interactive=False, verbosity=0)
        seed_demo()
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen(
                [sys.executable, "-m", "alongside.cli", "db_worker", "--no-startup-delay"],
            )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Alongside is running at {url}"))
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for person in CAST:
            self.stdout.write(f"  {person.role:<11} {person.email:<22} ({person.handle}, {person.program})")
        code = getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", None)
        if code:
            self.stdout.write(f"Peers, supervisors and admins use two-factor sign-in: in this demo type {code}.")
        self.stdout.write("Emails (sign-up links, invitations) are printed here. Press Ctrl+C to stop.")
        self.stdout.write("")
        sys.stdout.flush()
        try:
            uvicorn.run("alongside.asgi:application", host=host, port=port, log_level="warning", lifespan="off")
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from alongside.peers.services import credential_reminders_send, encounter_followups_send


class Command(BaseCommand):
    help = (
        "Send credential expiry reminders (60, 30 and 7 days ahead) and the day's contact "
        "follow-up reminders to peers. Idempotent: run it from cron a few times a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="Pretend it is this ISO 8601 moment (with offset), for testing.")

    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        if options.get("at"):
            try:
                now = dt.datetime.fromisoformat(str(options["at"]))
            except ValueError:
                now = None  # type: ignore[assignment]
            if now is None or now.tzinfo is None:
                self.stderr.write("--at needs an ISO 8601 moment with an offset, for example 2026-11-22T08:00:00-08:00")
                raise SystemExit(2)
        credentials = credential_reminders_send(now=now)
        follow_ups = encounter_followups_send(now=now)
        self.stdout.write(f"sent {credentials} credential reminder(s) and {follow_ups} follow-up reminder(s)")

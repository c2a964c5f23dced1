from __future__ import annotations

from django.core.management.base import BaseCommand

from alongside.accounts.demo import CAST, DEMO_PASSWORD
from alongside.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo programs and people (idempotent: running it again changes nothing)."

    def handle(self, *args: object, **options: object) -> None:
        seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        for person in CAST:
            self.stdout.write(f"  {person.role:<11} {person.email:<22} password: {DEMO_PASSWORD}")

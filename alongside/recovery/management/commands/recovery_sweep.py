from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from alongside.recovery.services import checkin_reminders_send, missed_checkins_scan


class Command(BaseCommand):
    help = (
        "Send today's check-in reminders whose local time has come, and raise a concern for "
        "members who usually check in but have missed several days. Idempotent: run it from "
        "cron every few minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="Pretend it is this ISO 8601 moment (with offset), for testing.")

    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        if options.get("at"):
            now = dt.datetime.fromisoformat(str(options["at"]))
            if now.tzinfo is None:
                self.stderr.write("--at needs a time zone offset, for example 2026-11-22T20:00:00-05:00")
                raise SystemExit(2)
        reminders = checkin_reminders_send(now=now)
        missed = missed_checkins_scan(now=now)
        self.stdout.write(f"sent {reminders} reminder(s); raised {missed} missed check-in alert(s)")

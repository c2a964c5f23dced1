from __future__ import annotations

from django.core.management.base import BaseCommand

from alongside.meetings.services import meeting_reminders_send


class Command(BaseCommand):
    help = "Send reminders before the meetings people follow. Idempotent: run it from cron every few minutes."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"sent {meeting_reminders_send()} meeting reminder(s)")

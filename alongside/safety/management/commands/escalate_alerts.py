from __future__ import annotations

from django.core.management.base import BaseCommand

from alongside.safety.services import alerts_escalate_due


class Command(BaseCommand):
    help = (
        "Escalate every alert nobody acknowledged within its window. Workers already do this "
        "on time; run this from cron every minute as a safety net."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = alerts_escalate_due()
        self.stdout.write(f"escalated {count} alert(s)")

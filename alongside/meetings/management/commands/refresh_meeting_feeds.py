"""``alongside refresh_meeting_feeds``: re-import the feeds programs mirror (run from cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from alongside.meetings.services import meetings_refresh_due


class Command(BaseCommand):
    help = (
        "Re-import every saved feed source with an address whose last import is older than its "
        "re-import interval. Run it from cron every hour; a source that failed is retried after an hour."
    )

    def handle(self, *args: object, **options: object) -> None:
        refreshed = meetings_refresh_due()
        for item in refreshed:
            self.stdout.write(f"{item.source.program.slug} / {item.source.name}: {item.outcome}")
        self.stdout.write(f"refreshed {len(refreshed)} source(s)")

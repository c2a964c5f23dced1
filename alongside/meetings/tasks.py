"""Meeting imports in the background: an admin's upload or URL (enqueued by
``services.import_start``), and the scheduled re-import of mirrored intergroup feeds."""

from __future__ import annotations

from django_tasks import task

from alongside.meetings import services


@task(priority=10)
def import_meetings_task(run_id: int, path: str = "", url: str = "") -> str:
    return services.import_run_execute(run_id=run_id, path=path, url=url)


@task(priority=5)
def refresh_meeting_feeds_task() -> int:
    return len(services.meetings_refresh_due())

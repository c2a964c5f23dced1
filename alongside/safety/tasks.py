"""Background work of the safety net."""

from __future__ import annotations

from django_tasks import task

from alongside.safety import services


@task(priority=50)
def escalate_alert(alert_id: int) -> bool:
    """Runs when an alert's window ends; escalates only if nobody acknowledged it."""
    return services.alert_escalate_if_due(alert_id=alert_id)


@task(priority=50)
def escalate_due_alerts() -> int:
    return services.alerts_escalate_due()

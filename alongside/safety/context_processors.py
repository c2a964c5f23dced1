from __future__ import annotations

from django.http import HttpRequest

from alongside.safety.selectors import waiting_alert_count


def safety(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_ask_for_support": membership is not None and membership.role == "member",
        "waiting_alerts": waiting_alert_count(user, membership),
    }

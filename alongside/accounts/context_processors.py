from __future__ import annotations

from django.http import HttpRequest


def active_program(request: HttpRequest) -> dict:
    membership = getattr(request, "membership", None)
    return {"active_membership": membership if membership else None}

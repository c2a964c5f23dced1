from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alongside.safety.crisis_resources import NATIONAL_DEFAULTS, sms_link


def help_now(request: HttpRequest) -> HttpResponse:
    """Open to everyone, signed in or not, and never behind any gate."""
    resources = [(resource, sms_link(resource)) for resource in NATIONAL_DEFAULTS]
    return render(request, "safety/help_now.html", {"resources": resources})

"""``alongside peers_sweep``: credential reminders and contact follow-ups, once each."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from alongside.accounts.models import OutboundEmail


def _sweep(at: str) -> str:
    out = StringIO()
    call_command("peers_sweep", "--at", at, stdout=out)
    return out.getvalue()


def test_sweep_sends_the_credential_reminder_and_the_follow_up_once(cast):
    # Sam's credential expires in 45 days (the 60-day reminder is due) and his contact
    # note with Riley asks for a follow-up tomorrow.
    tomorrow_noon = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(hour=19, minute=0).isoformat()
    first = _sweep(tomorrow_noon)
    assert "credential reminder" in first and "follow-up reminder" in first
    sent = OutboundEmail.objects.filter(to="sam@example.org").count()
    assert sent >= 2
    again = _sweep(tomorrow_noon)
    assert again.startswith("sent 0 credential reminder(s) and 0 follow-up reminder(s)")
    assert OutboundEmail.objects.filter(to="sam@example.org").count() == sent


@pytest.mark.parametrize("bad", ["yesterday", "2026-11-22T08:00:00"])
def test_sweep_refuses_a_moment_without_an_offset(db, bad):
    err = StringIO()
    with pytest.raises(SystemExit) as stop:
        call_command("peers_sweep", "--at", bad, stderr=err)
    assert stop.value.code == 2
    assert "offset" in err.getvalue()

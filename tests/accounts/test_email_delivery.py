from __future__ import annotations

import pytest
from django.core import mail

from alongside.accounts import services
from alongside.accounts.models import OutboundEmail
from alongside.accounts.tasks import deliver_email


def test_email_goes_out_after_commit_exactly_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = services.email_queue(to="a@example.org", subject="Hi", body_text="Body", key="test:1")
    assert mail.outbox == []  # nothing leaves before the write commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    # A retried enqueue or a second worker run sends nothing more.
    deliver_email.call(email.pk)
    services.email_queue(to="a@example.org", subject="Hi", body_text="Body", key="test:1")
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.body_text == ""  # links in bodies do not linger in the database


def test_a_failed_send_is_released_for_a_retry(db, monkeypatch):
    email = OutboundEmail.objects.create(idempotency_key="k", to="a@example.org", subject="s", body_text="b")

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(ConnectionRefusedError):
        deliver_email.call(email.pk)
    email.refresh_from_db()
    assert email.claimed_at is None and email.sent_at is None
    assert "mail server down" in email.last_error
    monkeypatch.undo()
    assert deliver_email.call(email.pk) == "sent"
    assert len(mail.outbox) == 1

"""Background work for accounts: delivering email."""

from __future__ import annotations

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from alongside.accounts.models import OutboundEmail

logger = logging.getLogger(__name__)


@task()
def deliver_email(email_id: int) -> str:
    """Send one queued email at most once, however often the task runs."""
    with transaction.atomic():
        # Claiming with a conditional UPDATE makes two concurrent workers race for the
        # row; exactly one sees rowcount 1 and sends.
        claimed = OutboundEmail.objects.filter(pk=email_id, sent_at__isnull=True, claimed_at__isnull=True).update(
            claimed_at=timezone.now()
        )
    if not claimed:
        return "already handled"
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(subject=email.subject, body=email.body_text, to=[email.to])
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:
        # Release the claim so a retry can send; the error is kept for the operator.
        email.claimed_at = None
        email.attempts += 1
        email.last_error = str(exc)[:300]
        email.save(update_fields=["claimed_at", "attempts", "last_error"])
        logger.warning("email %s to recipient failed: %s", email_id, exc)
        raise
    email.sent_at = timezone.now()
    email.attempts += 1
    email.body_text = ""
    email.body_html = ""
    email.save(update_fields=["sent_at", "attempts", "body_text", "body_html"])
    return "sent"

from __future__ import annotations

import uuid

from allauth.account.adapter import DefaultAccountAdapter

from alongside.accounts.services import email_queue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Mail goes through the task queue after commit, so a slow or failing mail
        # server never blocks or breaks sign-up, sign-in or password reset.
        message = self.render_mail(template_prefix, email, context)
        html = next((body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), "")
        email_queue(
            to=email,
            subject=str(message.subject),
            body_text=str(message.body),
            body_html=str(html),
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
        )

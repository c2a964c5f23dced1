"""The US national crisis lines every page links to.

These are the defaults a program starts from; they are deliberately plain data with no
database behind them, so the help page works even when the database does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CrisisResource:
    name: str | Promise
    summary: str | Promise
    call: str = ""
    call_label: str | Promise = ""
    text: str = ""
    text_body: str = ""
    text_label: str | Promise = ""
    url: str = ""
    hours: str | Promise = ""
    steps: list[str | Promise] = field(default_factory=list)


def _sms(number: str, body: str = "") -> str:
    return f"sms:{number}" + (f"?&body={body}" if body else "")


NATIONAL_DEFAULTS: list[CrisisResource] = [
    CrisisResource(
        name=_("988 Suicide & Crisis Lifeline"),
        summary=_(
            "Talk or text with a trained counselor if you are thinking about suicide, in crisis, or worried about someone."
        ),
        call="988",
        call_label=_("Call 988"),
        text="988",
        text_label=_("Text 988"),
        url="https://988lifeline.org",
        hours=_("24 hours, every day. English and Spanish."),
    ),
    CrisisResource(
        name=_("Crisis Text Line"),
        summary=_("Text with a trained crisis counselor."),
        text="741741",
        text_body="HOME",
        text_label=_("Text HOME to 741741"),
        url="https://www.crisistextline.org",
        hours=_("24 hours, every day."),
    ),
    CrisisResource(
        name=_("SAMHSA National Helpline"),
        summary=_("Free, confidential treatment referral and information about substance use and mental health."),
        call="1-800-662-4357",
        call_label=_("Call 1-800-662-4357"),
        url="https://www.samhsa.gov/find-help/helplines/national-helpline",
        hours=_("24 hours, every day. English and Spanish. TTY 1-800-487-4889."),
    ),
    CrisisResource(
        name=_("Emergency: 911"),
        summary=_("Call 911 for an overdose or any danger to life."),
        call="911",
        call_label=_("Call 911"),
        steps=[
            _("Call 911. Say the person is not breathing or will not wake up, and give the address."),
            _("Give naloxone (Narcan) if you have it: spray one dose into one nostril."),
            _("Support their breathing: tilt the head back and give rescue breaths if you know how."),
            _("Lay them on their side (recovery position) so they do not choke."),
            _("Stay with them. If they do not respond in 2 to 3 minutes, give a second dose of naloxone."),
            _("Good Samaritan laws in most states protect people who call for help in an overdose."),
        ],
    ),
]


def sms_link(resource: CrisisResource) -> str:
    return _sms(resource.text, resource.text_body) if resource.text else ""

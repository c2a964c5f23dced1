"""Words for clocks and milestones, in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from alongside.recovery import instruments, milestones
from alongside.recovery.models import Assessment, Trigger

register = template.Library()


def _amount(unit: str, amount: int) -> str:
    if unit == "hours":
        return ngettext("%(n)s hour", "%(n)s hours", amount) % {"n": amount}
    if unit == "days":
        return ngettext("%(n)s day", "%(n)s days", amount) % {"n": amount}
    if unit == "months":
        return ngettext("%(n)s month", "%(n)s months", amount) % {"n": amount}
    return ngettext("%(n)s year", "%(n)s years", amount) % {"n": amount}


@register.filter
def milestone_label(stone: milestones.Milestone) -> str:
    return _amount(stone.unit, stone.amount)


@register.filter
def milestone_key_label(key: str) -> str:
    unit = {"h": "hours", "d": "days", "m": "months", "y": "years"}.get(key[-1:], "")
    return _amount(unit, int(key[:-1])) if unit and key[:-1].isdigit() else key


@register.filter
def elapsed_label(span: milestones.Elapsed) -> str:
    """“1 year, 2 months, 3 days”, leaving out the parts that are zero."""
    parts = [_amount(unit, amount) for unit, amount in (("years", span.years), ("months", span.months)) if amount]
    if span.rem_days or not parts:
        parts.append(_amount("days", span.rem_days))
    return _(", ").join(parts)


@register.filter
def days_label(days: int) -> str:
    return _amount("days", days)


@register.filter
def trigger_label(value: str) -> str:
    """A stored trigger ("stress") in the reader's language ("Estrés")."""
    return str(Trigger(value).label) if value in Trigger.values else value


@register.filter
def assessment_band_label(assessment: Assessment) -> str:
    """An assessment's range in words in the reader's language, never its stored key."""
    instrument = instruments.INSTRUMENTS.get(assessment.instrument)
    band = instrument.band_for(assessment.total) if instrument else None
    if band is None:
        return ""
    try:
        language = instruments.normalise_language(get_language() or "en")
    except ValueError:
        language = "en"
    return band.label.get(language)

"""The matching core's reasons and rule texts, in the reader's language.

``peers/matching.py`` explains itself in English (``describe``), as it must for the
``alongside match`` command; pages and the API show the same reasons through gettext
here. Every function returns a *lazy* string: it is worded when it is rendered, so a
suggestion built in one request shows in the language of the page that prints it.
A code or tag this module does not know falls back to the core's English rather than
showing nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.functional import Promise, lazy
from django.utils.translation import get_language_info, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from alongside.peers import matching
from alongside.peers.models import WEEKDAYS

PATHWAYS: Mapping[str, Promise] = {
    "twelve_step": _("also on a 12-step path"),
    "medication": _("also on a medication-assisted path"),
    "smart": _("also uses SMART Recovery"),
    "faith": _("also on a faith-based path"),
    "harm_reduction": _("also on a harm-reduction path"),
    "secular": _("also on a secular path"),
    "natural": _("also on a natural recovery path"),
    "other": _("also on a path of their own"),
}

LIVED_EXPERIENCE: Mapping[str, Promise] = {
    "parenting": _("has lived experience as a parent"),
    "pregnancy": _("has lived experience of recovery during pregnancy"),
    "criminal_legal": _("has lived experience with the criminal legal system"),
    "homelessness": _("has lived experience of homelessness"),
    "veteran": _("has served in the military"),
    "lgbtq": _("has lived experience as an LGBTQ+ person"),
    "co_occurring": _("has lived experience with mental health alongside recovery"),
    "chronic_pain": _("has lived experience with chronic pain"),
    "trauma": _("has lived experience of trauma"),
    "grief": _("has lived experience of grief and loss"),
    "family_recovery": _("has a family member in recovery"),
    "youth": _("found recovery as a young adult"),
}

SUBSTANCES: Mapping[str, Promise] = {
    "alcohol": _("alcohol"),
    "opioids": _("opioids"),
    "stimulants": _("stimulants"),
    "cannabis": _("cannabis"),
    "benzodiazepines": _("benzodiazepines"),
    "nicotine": _("nicotine"),
    "gambling": _("gambling"),
}

DAY_PARTS_PLURAL: Mapping[str, Promise] = {
    "morning": pgettext_lazy("free on a weekday", "mornings"),
    "afternoon": pgettext_lazy("free on a weekday", "afternoons"),
    "evening": pgettext_lazy("free on a weekday", "evenings"),
}
_DAYS = dict(WEEKDAYS)


def _words(tag: str) -> str:
    return tag.replace("_", " ").replace("-", " ")


def language_name(code: str) -> str:
    """A language's name in the reader's language (Django's own catalogue has them)."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return matching.language_name(code)


def _reason_now(code: str, value: Any) -> str:
    tag = "" if value is None else str(value)
    if code == "pathway":
        known = PATHWAYS.get(tag)
        return str(known) if known else gettext("also on a %(pathway)s path") % {"pathway": _words(tag)}
    if code == "lived_experience":
        known = LIVED_EXPERIENCE.get(tag)
        return (
            str(known) if known else gettext("has lived experience with %(experience)s") % {"experience": _words(tag)}
        )
    if code == "substance":
        name = SUBSTANCES.get(tag)
        return gettext("also in recovery from %(substance)s") % {"substance": str(name) if name else _words(tag)}
    if code == "language":
        return gettext("speaks %(language)s") % {"language": language_name(tag)}
    if code == "availability":
        day, _sep, part = tag.partition("-")
        if day in _DAYS and part in DAY_PARTS_PLURAL:
            return gettext("free %(day)s %(part)s") % {"day": _DAYS[day], "part": DAY_PARTS_PLURAL[part]}
    if code == "distance" and isinstance(value, int | float):
        if value < 1:
            return gettext("less than 1 km away")
        return gettext("%(km)s km away") % {"km": int(value)}
    if code == "age" and isinstance(value, int | float):
        return gettext("about the same age") if value == 0 else gettext("close in age")
    if code == "remote":
        return gettext("can meet by phone or video")
    return matching.describe(matching.Reason(code, value))


_reason_lazy = lazy(_reason_now, str)


def reason_text(reason: matching.Reason) -> str:
    """One reason in the language of whoever reads it (a lazy string)."""
    return _reason_lazy(reason.code, reason.value)


def reasons_from_json(stored: Iterable[Any]) -> list[matching.Reason]:
    """Reasons kept on a request or a proposal (``[{"code", "value"}]``) back as Reasons;
    anything malformed is left out rather than breaking the page."""
    found = []
    for item in stored or ():
        if isinstance(item, dict) and isinstance(item.get("code"), str):
            found.append(matching.Reason(item["code"], item.get("value")))
    return found


def reasons_to_json(reasons: Iterable[matching.Reason]) -> list[dict[str, Any]]:
    return [{"code": r.code, "value": r.value} for r in reasons]


# --- why a pair cannot be matched, and why a member was left out of a round ---------------

# The core's English rule texts, worded for the people who read them here. Kept as exact
# strings: a change in the core falls back to its English, never to an empty line.
RULES: Mapping[str, Promise] = {
    "the peer's credential is not valid": _("their credential is not verified, or it has expired"),
    "no shared language": _("no shared language"),
    "the peer does not meet the member's gender preference": _("not the gender the member would prefer"),
    "a location is missing and remote support is not possible for both": _(
        "a city is missing, and phone or video does not suit them both"
    ),
    "known prior relationship": _("a known prior relationship (an exclusion)"),
    "the peer is at capacity": _("no free place right now"),
    # matching rounds
    "no peer has a valid credential": _("no peer has a verified, current credential"),
    "no peer shares a language": _("no peer shares a language with them"),
    "no peer meets the gender preference": _("no peer is the gender they would prefer"),
    "no location given and not open to remote support": _("no city given, and phone or video does not suit them"),
    "excluded from every otherwise suitable peer": _("every suitable peer is excluded for them"),
    "all suitable peers are at capacity": _("every suitable peer is full"),
    "all suitable peers were filled by other members in this round": _(
        "the suitable peers' places went to other members in this round"
    ),
    "no peers in this round": _("no peer can take on someone new"),
    # added here, not by the core
    "not_accepting": _("not taking on someone new right now"),
    "current_peer": _("already walks with this member"),
    "declined_recently": _("said “not this time” to this member recently"),
    "pending": _("already asked, and has not answered yet"),
    "no_profile": _("has no peer profile in this program"),
    "member_not_waiting": _("the member is no longer waiting (they have a peer or a request, or stopped looking)"),
}
_APART = re.compile(r"^(\d+) km apart \(more than ([\d.]+) km\)")
_NOT_WITHIN = re.compile(r"^no peer within ([\d.]+) km and remote not possible$")


def _rule_now(text: str) -> str:
    known = RULES.get(text)
    if known is not None:
        return str(known)
    apart = _APART.match(text)
    if apart:
        return gettext("%(km)s km apart (further than %(max)s km), and phone or video does not suit them both") % {
            "km": apart.group(1),
            "max": apart.group(2),
        }
    within = _NOT_WITHIN.match(text)
    if within:
        return gettext("no peer within %(max)s km, and phone or video does not suit them") % {"max": within.group(1)}
    return text


_rule_lazy = lazy(_rule_now, str)


def rule_text(text: str) -> str:
    """A rule the pair breaks (``matching.why_not``) or why a member was left out of a round."""
    return _rule_lazy(text)

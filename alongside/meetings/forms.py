"""Forms of the meeting finder, a meeting's page and the facilitator's roster.

The finder is a GET form: every choice is in the address, so a search can be bookmarked,
shared, printed as a PDF with the same filters, and works with no JavaScript at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import zoneinfo
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language, gettext, gettext_lazy
from django.utils.translation import gettext as _

from alongside.lib import gazetteer
from alongside.lib.forms import DateInput, TimeInput
from alongside.meetings import feed, schedule, selectors
from alongside.meetings.fetch import MAX_FEED_BYTES
from alongside.meetings.models import Attendance

RADIUS_CHOICES_KM = (5, 10, 25, 50, 100)
KM_PER_MILE = 1.609344

# The types people filter by most (Meeting Guide's own app shows a similar short list);
# the rest sit behind "More types" so the chips stay usable on a phone.
COMMON_TYPES = ("O", "C", "BE", "D", "SP", "ST", "B", "W", "M", "LGBTQ", "Y", "X", "ASL", "CF")

# Windows on the meeting's own local start time. The finder's filter is a plain range, so
# "night" runs to midnight and "morning" starts at midnight: every start time falls in
# exactly one window, and an after-midnight meeting counts as an early-morning one.
TIME_WINDOWS: dict[str, tuple[int, int]] = {
    "morning": (0, 11 * 60 + 59),
    "afternoon": (12 * 60, 16 * 60 + 59),
    "evening": (17 * 60, 20 * 60 + 59),
    "night": (21 * 60, 23 * 60 + 59),
}
TIME_WINDOW_CHOICES = [
    ("", gettext_lazy("Any time")),
    ("morning", gettext_lazy("Morning (until noon)")),
    ("afternoon", gettext_lazy("Afternoon (noon to 5 pm)")),
    ("evening", gettext_lazy("Evening (5 pm to 9 pm)")),
    ("night", gettext_lazy("Night (9 pm to midnight)")),
]

# Languages meetings are commonly held in across Meeting Guide feeds; names come from
# Django's own translated language list.
MEETING_LANGUAGES = ("en", "es", "fr", "pt", "de", "it", "pl", "ru", "ko", "ja", "vi", "zh-hans", "ar", "fa")
ATTENDANCE_CHOICES = [
    ("", gettext_lazy("In person or online")),
    (Attendance.IN_PERSON.value, gettext_lazy("In person")),
    (Attendance.ONLINE.value, gettext_lazy("Online")),
    (Attendance.HYBRID.value, gettext_lazy("Hybrid (in person and online)")),
]
REMINDER_CHOICES = [
    ("", gettext_lazy("No reminder")),
    ("15", gettext_lazy("15 minutes before")),
    ("30", gettext_lazy("30 minutes before")),
    ("60", gettext_lazy("1 hour before")),
    ("120", gettext_lazy("2 hours before")),
    ("1440", gettext_lazy("The day before")),
]


def day_name(day: int) -> str:
    """Meeting Guide day (0 Sunday) to its name in the current language."""
    return str(WEEKDAYS[schedule.python_weekday(day)])


def type_name(code: str, language: str | None = None) -> str:
    names = feed.TYPE_CODES.get(code)
    if names is None:
        return code
    return names[1] if (language or get_language() or "en").startswith("es") else names[0]


def type_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every Meeting Guide type with its name in the current language, common ones first."""
    return list(_type_choices("es" if (language or get_language() or "en").startswith("es") else "en"))


@functools.cache
def _type_choices(language: str) -> tuple[tuple[str, str], ...]:
    # The names come from feed.TYPE_CODES, fixed at import: sorting them on every finder
    # request was a measurable share of the page's time.
    common = [code for code in COMMON_TYPES if code in feed.TYPE_CODES]
    rest = sorted((code for code in feed.TYPE_CODES if code not in COMMON_TYPES), key=lambda c: type_name(c, language))
    return tuple((code, type_name(code, language)) for code in [*common, *rest])


def language_choices() -> list[tuple[str, str]]:
    from django.utils.translation import get_language_info

    choices: list[tuple[str, str]] = [("", _("Any language"))]
    for code in MEETING_LANGUAGES:
        try:
            name = get_language_info(code)["name_translated"]
        except KeyError:
            name = code
        choices.append((code.split("-")[0], str(name)))
    return choices


def valid_zone(name: str) -> zoneinfo.ZoneInfo | None:
    if not name or len(name) > 64:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class FinderForm(forms.Form):
    place = forms.CharField(
        label=gettext_lazy("Near a place"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("A city or town, for example “Costa Mesa, CA” or “Edmonton”."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2", "inputmode": "search"}),
    )
    # Filled by static/js/near-me.js when a person chooses "Use my location"; never required.
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    # The browser's time zone (also from the script), for showing online meetings' times to
    # someone who is not signed in.
    tz = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    radius = forms.TypedChoiceField(
        label=gettext_lazy("Within"),
        choices=[(str(km), f"{km} km · {round(km / KM_PER_MILE)} mi") for km in RADIUS_CHOICES_KM],
        coerce=int,
        required=False,
        empty_value=selectors.DEFAULT_RADIUS_KM,  # type: ignore[arg-type]  # the stubs say str; any value works
        error_messages={"invalid_choice": gettext_lazy("Choose one of the distances in the list.")},
    )
    day = forms.ChoiceField(
        label=gettext_lazy("Day"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a day from the list.")},
    )
    when = forms.ChoiceField(
        label=gettext_lazy("Time of day"),
        choices=TIME_WINDOW_CHOICES,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a time of day from the list.")},
    )
    from_time = forms.TimeField(
        label=gettext_lazy("Starting from"),
        required=False,
        widget=TimeInput(format="%H:%M"),
        error_messages={"invalid": gettext_lazy("Write the time like 18:30.")},
    )
    to_time = forms.TimeField(
        label=gettext_lazy("Starting by"),
        required=False,
        widget=TimeInput(format="%H:%M"),
        error_messages={"invalid": gettext_lazy("Write the time like 21:00.")},
    )
    attendance = forms.ChoiceField(
        label=gettext_lazy("How you join"),
        choices=ATTENDANCE_CHOICES,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose in person, online or hybrid.")},
    )
    types = forms.MultipleChoiceField(
        label=gettext_lazy("Kind of meeting"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("“%(value)s” is not a meeting type we know.")},
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a language from the list.")},
    )
    q = forms.CharField(
        label=gettext_lazy("Name or place contains"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "search"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days: list[tuple[str, str]] = [("", _("Any day")), ("today", _("Today"))]
        days += [(str(day), day_name(day)) for day in range(7)]
        self.fields["day"].choices = days  # type: ignore[attr-defined]
        self.fields["types"].choices = type_choices()  # type: ignore[attr-defined]
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]
        self.resolved_place: gazetteer.Place | None = None
        self.other_places: list[gazetteer.Place] = []

    @property
    def common_type_count(self) -> int:
        return sum(1 for code in COMMON_TYPES if code in feed.TYPE_CODES)

    def clean_tz(self) -> str:
        # A wrong zone from a browser is nobody's mistake to hear about: just not used.
        value = self.cleaned_data.get("tz") or ""
        return value if valid_zone(value) else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors.get("lat") or self.errors.get("lon"):
            # The fields are hidden, so their own errors would show nowhere.
            self.add_error(None, _("Your location could not be read. Type a place instead."))
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None) and not self.errors.get("lat") and not self.errors.get("lon"):
            raise forms.ValidationError(_("Your location came through incomplete. Type a place instead."))
        start, end = data.get("from_time"), data.get("to_time")
        if start and end and end < start:
            self.add_error(
                "to_time",
                _(
                    "Choose a time after the “starting from” time. For meetings after midnight, search again from 00:00."
                ),
            )
        place_text = (data.get("place") or "").strip()
        if lat is None and place_text:
            places = gazetteer.find_places(place_text, limit=5)
            if not places:
                self.add_error(
                    "place",
                    _(
                        "We could not find “%(place)s”. Try the nearest larger town, or add the state or "
                        "country, for example “Costa Mesa, CA”."
                    )
                    % {"place": place_text},
                )
            else:
                self.resolved_place = places[0]
                # Other places of the same name ("Portland, ME" after "Portland, OR"), not
                # places that merely once had that name among their alternates.
                self.other_places = [
                    p
                    for p in places[1:]
                    if p.label != places[0].label and p.name.casefold() == places[0].name.casefold()
                ]
        return data

    @property
    def has_criteria(self) -> bool:
        """Whether anything was asked: without a place or a filter the answer would be every
        meeting everywhere, which helps nobody and costs the most."""
        data = self.cleaned_data
        return bool(
            self.resolved_place
            or data.get("lat") is not None
            or data.get("day")
            or data.get("when")
            or data.get("from_time")
            or data.get("to_time")
            or data.get("attendance")
            or data.get("types")
            or data.get("language")
            or data.get("q")
        )

    @property
    def place_label(self) -> str:
        if self.cleaned_data.get("lat") is not None:
            return str(_("your location"))
        return self.resolved_place.label if self.resolved_place else ""

    def search(self, *, today_zone: zoneinfo.ZoneInfo, now: dt.datetime | None = None) -> selectors.Search:
        """The validated choices as the finder's Search. "Today" is the day in ``today_zone``."""
        data = self.cleaned_data
        latitude, longitude = data.get("lat"), data.get("lon")
        if latitude is None and self.resolved_place is not None:
            latitude, longitude = self.resolved_place.latitude, self.resolved_place.longitude
        day: int | None = None
        if data.get("day") == "today":
            moment = now or dt.datetime.now(tz=today_zone)
            day = schedule.feed_day(moment.astimezone(today_zone).date())
        elif data.get("day"):
            day = int(data["day"])
        from_minute, to_minute = TIME_WINDOWS.get(data.get("when") or "", (None, None))
        if data.get("from_time"):
            from_minute = schedule.minute_of(data["from_time"])
        if data.get("to_time"):
            to_minute = schedule.minute_of(data["to_time"])
        return selectors.Search(
            latitude=latitude,
            longitude=longitude,
            place_label=self.place_label,
            radius_km=float(data.get("radius") or selectors.DEFAULT_RADIUS_KM),
            day=day,
            from_minute=from_minute,
            to_minute=to_minute,
            types=tuple(data.get("types") or ()),
            attendance=data.get("attendance") or "",
            language=data.get("language") or "",
            text=(data.get("q") or "").strip(),
        )


class FollowForm(forms.Form):
    remind_minutes_before = forms.TypedChoiceField(
        label=gettext_lazy("Remind me"),
        choices=REMINDER_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    # "0" unfollows; anything else (or nothing) follows, so the plain button needs no field.
    follow = forms.CharField(required=False, widget=forms.HiddenInput)

    @property
    def unfollow(self) -> bool:
        return self.cleaned_data.get("follow") == "0"


class AttendedForm(forms.Form):
    # Left empty, the meeting's latest day: "I was there" is one tap after a meeting.
    occurrence = forms.DateField(
        label=gettext_lazy("The day you went"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        error_messages={
            "invalid": gettext_lazy("Write the date like 2025-03-31."),
            "required": gettext_lazy("Choose the day you went."),
        },
    )


class ChangeRequestForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("What should change?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For example a new time, a new address, or that the meeting has stopped."),
        error_messages={"required": gettext_lazy("Say what should change, for example the new time or address.")},
    )
    contact = forms.CharField(
        label=gettext_lazy("How can the volunteers reach you? (optional)"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Only the program's admins see this, and only to ask about your suggestion."),
    )


class RosterForm(forms.Form):
    occurrence = forms.DateField(
        label=gettext_lazy("Meeting day"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        error_messages={
            "invalid": gettext_lazy("Write the date like 2025-03-31."),
            "required": gettext_lazy("Choose the meeting day."),
        },
    )
    present = forms.MultipleChoiceField(
        label=gettext_lazy("Who was there"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Choose people from the group's list.")},
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(pk), label) for pk, label in people]  # type: ignore[attr-defined]


# --- moving to a new place ---------------------------------------------------------------


class RelocationForm(forms.Form):
    place = forms.CharField(
        label=gettext_lazy("Where are you moving?"),
        max_length=120,
        help_text=gettext_lazy("A city, for example “Edmonton” or “Costa Mesa, CA”."),
    )
    move_on = forms.DateField(label=gettext_lazy("Around when?"), widget=DateInput)
    handoff_consent = forms.BooleanField(
        label=gettext_lazy("My peer supporter may write a hand-off note and introduce me to a peer there"),
        required=False,
    )


class HandoffForm(forms.Form):
    handoff_note = forms.CharField(
        label=gettext_lazy("What the next peer should know"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Write what would help them walk alongside this person: what works, what to avoid, how they like to be reached. The member can read this note."
        ),
    )


# --- import ------------------------------------------------------------------------------

# Forms of the program admin's meeting pages: importing a feed.


class ImportForm(forms.Form):
    """A Meeting Guide feed from a file or from a URL, optionally kept as a source that is
    re-imported on a schedule (only a URL can be)."""

    file = forms.FileField(
        label=gettext_lazy("Feed file (JSON)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    url = forms.URLField(
        label=gettext_lazy("or the feed's address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("For example https://example.org/wp-admin/admin-ajax.php?action=meetings"),
    )
    keep = forms.BooleanField(label=gettext_lazy("Save this address and re-import it on a schedule"), required=False)
    source_name = forms.CharField(
        label=gettext_lazy("Name of the source"),
        required=False,
        max_length=120,
        help_text=gettext_lazy("For example the intergroup's name. Leave empty to use the address's host name."),
    )
    refresh_hours = forms.IntegerField(
        label=gettext_lazy("Re-import every (hours)"), min_value=1, max_value=24 * 7, initial=24, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set here, not on the field: the size must go into the text in the page's language.
        self.fields["file"].help_text = gettext("A Meeting Guide JSON file, up to %(mb)d MB.") % {
            "mb": MAX_FEED_BYTES // (1024 * 1024)
        }

    def clean_file(self) -> bytes | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > MAX_FEED_BYTES:
            raise forms.ValidationError(
                gettext_lazy("This file is larger than %(mb)d MB, too large to be a meeting feed.")
                % {"mb": MAX_FEED_BYTES // (1024 * 1024)}
            )
        data = upload.read()
        try:
            json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise forms.ValidationError(gettext_lazy("This file is not text. Choose the feed's .json file.")) from None
        except (json.JSONDecodeError, RecursionError, ValueError) as error:
            where = (
                gettext_lazy(" (line %(line)d, column %(col)d)") % {"line": error.lineno, "col": error.colno}
                if isinstance(error, json.JSONDecodeError)
                else ""
            )
            raise forms.ValidationError(
                gettext_lazy(
                    "This file is not valid JSON%(where)s. Check that it is the feed's .json file, or fix it there."
                )
                % {"where": where}
            ) from None
        return data

    def clean_url(self) -> str:
        url: str = self.cleaned_data.get("url") or ""
        if url and urlsplit(url).scheme not in ("http", "https"):
            raise forms.ValidationError(gettext_lazy("Use an address starting with https:// or http://."))
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_file, has_url = bool(data.get("file")), bool(data.get("url"))
        if self.errors:
            return data
        if has_file == has_url:
            raise forms.ValidationError(gettext_lazy("Choose a file or give an address: one of the two."))
        if data.get("keep"):
            if not has_url:
                self.add_error("keep", gettext_lazy("Only a feed at an address can be re-imported; give its address."))
            if not data.get("refresh_hours"):
                self.add_error("refresh_hours", gettext_lazy("Say how often to re-import it, from 1 to 168 hours."))
            if not data.get("source_name") and has_url:
                data["source_name"] = (urlsplit(data["url"]).hostname or data["url"])[:120]
        return data

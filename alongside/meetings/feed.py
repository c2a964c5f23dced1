"""Read and write Meeting Guide JSON (code4recovery/spec), the open format intergroups use.

Pure Python, no Django: ``parse_feed`` turns a feed (bytes or text) into typed, cleaned
``FeedMeeting`` values plus kind, per-meeting warnings; ``to_feed`` writes them back as
spec dicts. The services layer stores them; this module only understands the format.

The reader behaves like the mature importers (12 Step Meeting List, tsml-ui), because real
feeds break the spec in well-known ways (see ``tests/meetings/feeds/README.md``):

- Only ``name`` and ``slug`` are required. A meeting without a slug, or whose slug an
  earlier meeting already used, is skipped with a warning; the rest of the feed still loads.
- ``day`` may be an int, a numeric string, an English or Spanish day name, ``7`` (read as
  Sunday: 1-6 mean the same in the spec's 0-6 and ISO's 1-7, so 7 is unambiguous) or an
  array: one meeting per day, slugs ``f"{slug}-{day}"`` when the array has several days so
  they stay unique and re-importing our own export keeps them.
- Times like ``6:30 pm``, ``11:00 AM``, ``18:30:00``, ``7pm``, ``1830``, ``noon`` are read;
  a start time we cannot read skips the meeting; ``end_time`` defaults to an hour later.
- Unknown type codes are dropped and listed in one warning; ``O`` goes when ``C`` is there.
- Coordinates may be strings; impossible ones are dropped. Missing ones are filled from
  ``locate(city, state, country)`` (the offline gazetteer) and flagged ``approximate``.
- Text is plain text: HTML tags are stripped and entities decoded (never trusted as HTML),
  whitespace tidied, and every field capped to the length the database stores.
- A top-level object holding a ``"meetings"`` array is accepted as well as a bare array,
  since some feed generators wrap it; anything else is a ``FeedError``.

No input makes ``parse_feed`` raise anything but ``FeedError`` (a property test feeds it
arbitrary JSON). ``parse_feed(json.dumps(to_feed(result.meetings)))`` gives the same meetings.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

__all__ = [
    "ATTENDANCE",
    "FEED_FIELDS",
    "LIMITS",
    "TYPE_CODES",
    "FeedError",
    "FeedMeeting",
    "FeedWarning",
    "ParseResult",
    "parse_feed",
    "to_feed",
]

# The official meeting types of code4recovery/spec (src/types.ts), English and Spanish names.
# ONL is not in the spec's table but the 12 Step Meeting List plugin (and so most real feeds,
# 533 meetings of the Orange County one) marks online meetings with it; dropping it would
# warn on every online meeting of every TSML feed, so it is kept as a known code.
TYPE_CODES: dict[str, tuple[str, str]] = {
    "11": ("11th Step Meditation", "Meditación del Paso 11"),
    "12x12": ("12 Steps & 12 Traditions", "12 Pasos y 12 Tradiciones"),
    "A": ("Secular", "Secular"),
    "ABSI": ("As Bill Sees It", "Como lo ve Bill"),
    "AF": ("Afrikaans", "Afrikáans"),
    "AL": ("Concurrent with Alateen", "Concurrente con Alateen"),
    "AL-AN": ("Concurrent with Al-Anon", "Concurrente con Al-Anon"),
    "AM": ("Amharic", "Amárico"),
    "AR": ("Arabic", "Árabe"),
    "ASL": ("American Sign Language", "Lenguaje por señas"),
    "B": ("Big Book", "Libro Grande"),
    "BA": ("Babysitting Available", "Guardería disponible"),
    "BE": ("Newcomer", "Principiantes"),
    "BG": ("Bulgarian", "Búlgaro"),
    "BI": ("Bisexual", "Bisexual"),
    "BRK": ("Breakfast", "Desayuno"),
    "C": ("Closed", "Cerrada"),
    "CAN": ("Candlelight", "Luz de una vela"),
    "CF": ("Child-Friendly", "Niño amigable"),
    "D": ("Discussion", "Discusión"),
    "DA": ("Danish", "Danés"),
    "DB": ("Digital Basket", "Canasta digital"),
    "DD": ("Dual Diagnosis", "Diagnóstico dual"),
    "DE": ("German", "Alemán"),
    "DR": ("Daily Reflections", "Reflexiones Diarias"),
    "EL": ("Greek", "Griego"),
    "EN": ("English", "Inglés"),
    "FA": ("Persian", "Persa"),
    "FF": ("Fragrance Free", "Sin fragancia"),
    "FI": ("Finnish", "Finlandés"),
    "FR": ("French", "Francés"),
    "G": ("Gay", "Gay"),
    "GR": ("Grapevine", "La Viña"),
    "H": ("Birthday", "Cumpleaños"),
    "HE": ("Hebrew", "Hebreo"),
    "HI": ("Hindi", "Hindi"),
    "HR": ("Croatian", "Croata"),
    "HU": ("Hungarian", "Húngaro"),
    "IS": ("Icelandic", "Islandés"),
    "ITA": ("Italian", "Italiano"),
    "JA": ("Japanese", "Japonés"),
    "KA": ("Georgian", "Georgiano"),
    "KOR": ("Korean", "Coreano"),
    "L": ("Lesbian", "Lesbiana"),
    "LGBTQ": ("LGBTQ", "LGBTQ"),
    "LIT": ("Literature", "Literatura"),
    "LS": ("Living Sober", "Viviendo Sobrio"),
    "LT": ("Lithuanian", "Lituano"),
    "M": ("Men", "Hombres"),
    "MED": ("Meditation", "Meditación"),
    "ML": ("Malayalam", "Malayalam"),
    "MT": ("Maltese", "Maltés"),
    "N": ("Native American", "Nativo Americano"),
    "NB": ("Non-Binary", "No binario"),
    "NDG": ("Indigenous", "Indígena"),
    "NE": ("Nepali", "Nepalí"),
    "NL": ("Dutch", "Holandés"),
    "NO": ("Norwegian", "Noruego"),
    "O": ("Open", "Abierta"),
    "ONL": ("Online Meeting", "Reunión en línea"),
    "OUT": ("Outdoor", "Al aire libre"),
    "P": ("Professionals", "Profesionales"),
    "POA": ("Proof of Attendance", "Prueba de Asistencia"),
    "POC": ("People of Color", "Gente de color"),
    "POL": ("Polish", "Polaco"),
    "POR": ("Portuguese", "Portugués"),
    "PUN": ("Punjabi", "Punjabi"),
    "RUS": ("Russian", "Ruso"),
    "S": ("Spanish", "Español"),
    "SEN": ("Seniors", "Personas mayores"),
    "SK": ("Slovak", "Eslovaco"),
    "SL": ("Slovenian", "Esloveno"),
    "SM": ("Smoking Permitted", "Se permite fumar"),
    "SP": ("Speaker", "Orador"),
    "ST": ("Step Study", "Estudio de pasos"),
    "SV": ("Swedish", "Sueco"),
    "T": ("Transgender", "Transgénero"),
    "TC": ("Location Temporarily Closed", "Ubicación temporalmente cerrada"),
    "TH": ("Thai", "Tailandés"),
    "TL": ("Tagalog", "Tagalo"),
    "TR": ("Tradition Study", "Estudio de tradicion"),
    "TUR": ("Turkish", "Turco"),
    "UK": ("Ukrainian", "Ucraniano"),
    "W": ("Women", "Mujer"),
    "X": ("Wheelchair Access", "Acceso en silla de ruedas"),
    "XB": ("Wheelchair-Accessible Bathroom", "Baño accesible para sillas de ruedas"),
    "XT": ("Cross Talk Permitted", "Se permite opinar"),
    "Y": ("Young People", "Gente joven"),
}

# Type codes that name the language a meeting is held in -> ISO 639-1. ASL is left out on
# purpose: it usually means interpretation is offered, not that the meeting is signed.
_LANGUAGE_TYPES = {
    "AF": "af", "AM": "am", "AR": "ar", "BG": "bg", "DA": "da", "DE": "de", "EL": "el",
    "EN": "en", "FA": "fa", "FI": "fi", "FR": "fr", "HE": "he", "HI": "hi", "HR": "hr",
    "HU": "hu", "IS": "is", "ITA": "it", "JA": "ja", "KA": "ka", "KOR": "ko", "LT": "lt",
    "ML": "ml", "MT": "mt", "NE": "ne", "NL": "nl", "NO": "no", "POL": "pl", "POR": "pt",
    "PUN": "pa", "RUS": "ru", "S": "es", "SK": "sk", "SL": "sl", "SV": "sv", "TH": "th",
    "TL": "tl", "TUR": "tr", "UK": "uk",
}  # fmt: skip

ATTENDANCE = ("in_person", "online", "hybrid", "inactive")

# Longest value kept per field: the column sizes of meetings.models.Meeting, so nothing we
# accept can overflow the database; the spec allows 255 for a name, we keep 200 like the model.
LIMITS: dict[str, int] = {
    "slug": 200,
    "name": 200,
    "notes": 2000,
    "url": 500,
    "group": 200,
    "group_notes": 2000,
    "district": 120,
    "region": 120,
    "sub_region": 120,
    "location": 200,
    "location_notes": 2000,
    "formatted_address": 300,
    "address": 200,
    "city": 120,
    "state": 60,
    "postal_code": 20,
    "country": 60,
    "conference_url": 500,
    "conference_url_notes": 300,
    "conference_phone": 100,  # real one-tap dial strings reach 64 (Edmonton feed)
    "conference_phone_notes": 300,
    "timezone": 64,
}
_MULTILINE = frozenset({"notes", "group_notes", "location_notes"})

# Every key to_feed may write, in the spec README's order (all are spec fields).
FEED_FIELDS = (
    "name",
    "slug",
    "day",
    "time",
    "end_time",
    "timezone",
    "types",
    "notes",
    "url",
    "updated",
    "group",
    "group_notes",
    "district",
    "region",
    "sub_region",
    "location",
    "location_notes",
    "formatted_address",
    "address",
    "city",
    "state",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "approximate",
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
    "attendance_option",
)


class FeedError(ValueError):
    """The whole feed is unusable; the message says what is wrong and what to fix."""


@dataclass(frozen=True)
class FeedWarning:
    slug: str  # the meeting's slug as the feed gave it ("" when it had none)
    reason: str  # one or more plain sentences


@dataclass(frozen=True)
class FeedMeeting:
    slug: str
    name: str
    day: int | None  # 0 Sunday .. 6 Saturday; None = by appointment / no fixed time
    time: dt.time | None
    end_time: dt.time | None
    timezone: str | None  # IANA name when the feed (or default_timezone) gives one
    types: tuple[str, ...]  # known codes only, sorted, O dropped when C present
    notes: str
    url: str
    updated: dt.datetime | None  # aware, UTC
    group: str
    group_notes: str
    district: str
    region: str
    sub_region: str
    location: str
    location_notes: str
    formatted_address: str
    address: str
    city: str
    state: str
    postal_code: str
    country: str
    latitude: float | None
    longitude: float | None
    approximate: bool  # the feed said so, or the coordinates came from the gazetteer
    conference_url: str
    conference_url_notes: str
    conference_phone: str
    conference_phone_notes: str
    attendance_option: str  # one of ATTENDANCE
    language: str  # ISO 639-1: "es" with type S, else another language type, else "en"


@dataclass(frozen=True)
class ParseResult:
    meetings: tuple[FeedMeeting, ...]
    warnings: tuple[FeedWarning, ...]
    skipped: int  # meetings of the feed that were not imported (each has a warning)


Locate = Callable[[str, str, str], tuple[float, float] | None]


# --------------------------------------------------------------------------- text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")
_HIDDEN_BLOCKS = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_BREAK_TAGS = re.compile(r"<(br|/p|/div|/li|/h[1-6]|/tr)\b[^<>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z!][^<>]*>")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_BLANK_LINES = re.compile(r"\n{3,}")


def _tidy(text: str, multiline: bool, limit: int | None) -> str:
    """One pass of cleaning: entities decoded, tags out, whitespace tidied, length capped."""
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _HIDDEN_BLOCKS.sub("", text)
        text = _BREAK_TAGS.sub("\n" if multiline else " ", text)
        text = _TAG.sub("", text)
    text = _CONTROL.sub("", text)
    if multiline:
        lines = _LINE_BREAKS.sub("\n", text).split("\n")
        text = _BLANK_LINES.sub("\n\n", "\n".join(" ".join(line.split()) for line in lines)).strip()
    else:
        text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _clean(text: str, multiline: bool = False, limit: int | None = None) -> str:
    """Plain text, and a fixed point: cleaning the result again changes nothing.

    That is what makes import -> export -> import stable. Decoding ``&amp;lt;`` yields
    ``&lt;`` which the next pass would decode again, so passes repeat until nothing changes;
    each changing pass shortens the text or only rewrites whitespace, so this ends quickly.
    """
    for _ in range(12):
        cleaned = _tidy(text, multiline, limit)
        if cleaned == text:
            return cleaned
        text = cleaned
    # Only crafted input gets here (entities nested a dozen deep): drop the markup characters.
    return _tidy(re.sub(r"[&<>]", "", text), multiline, limit)


def _kind(value: object) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    return "a number"


class _Reader:
    """Reads one feed item, collecting sentences for its (single) warning."""

    def __init__(self, item: dict[str, Any]) -> None:
        self.item = item
        self.notes: list[str] = []

    def note(self, sentence: str) -> None:
        self.notes.append(sentence)

    def raw(self, key: str) -> object:
        return self.item.get(key)

    def text(self, key: str, label: str | None = None) -> str:
        value = self.item.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            text = value
        elif isinstance(value, int) and not isinstance(value, bool):
            text = str(value)  # spreadsheets turn "12" into 12; a number is still text here
        elif isinstance(value, float) and math.isfinite(value):
            text = repr(value)
        else:
            self.note(f"The {label or key.replace('_', ' ')} field was {_kind(value)}, not text, so it was left out.")
            return ""
        limit, multiline = LIMITS[key], key in _MULTILINE
        cleaned = _clean(text, multiline)
        if len(cleaned) > limit:
            self.note(f"The {label or key.replace('_', ' ')} field was shortened to {limit} characters.")
            cleaned = _clean(cleaned, multiline, limit)
        return cleaned


# --------------------------------------------------------------------------- days and times

_DAY_NAMES = {
    name: index
    for index, names in enumerate(
        [
            ("sunday", "sun", "domingo", "dom"),
            ("monday", "mon", "lunes", "lun"),
            ("tuesday", "tue", "tues", "martes", "mar"),
            ("wednesday", "wed", "miercoles", "mie"),
            ("thursday", "thu", "thur", "thurs", "jueves", "jue"),
            ("friday", "fri", "viernes", "vie"),
            ("saturday", "sat", "sabado", "sab"),
        ]
    )
    for name in names
}


def _fold(text: str) -> str:
    """Lower case without accents ("Miércoles" -> "miercoles")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _short(value: object, limit: int = 40) -> str:
    """A value quoted for a warning, cut short so a hostile feed cannot flood the log."""
    if isinstance(value, str):
        text = value[: limit * 4]
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)[: limit * 4]
        except (RecursionError, ValueError):
            text = "…"
    text = " ".join(_CONTROL.sub("", text).split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def _one_day(value: object, reader: _Reader) -> int | None:
    """A single day value as 0-6, or None when it cannot be read (a note says why)."""
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and len(value) <= 20:
        text = value.strip()
        if text.isascii() and text.isdigit():
            number = int(text)
        else:
            name = _fold(text).rstrip(".")
            if name in _DAY_NAMES:
                return _DAY_NAMES[name]
    if number is not None and 0 <= number <= 6:
        return number
    if number == 7:
        reader.note("Day 7 was read as Sunday (the spec counts Sunday as 0).")
        return 0
    reader.note(f"The day {_short(value)} is not a day we can read (use 0 for Sunday to 6 for Saturday).")
    return None


def _days(value: object, reader: _Reader) -> tuple[list[int] | None, bool]:
    """(days, ok). days None = by appointment. ok False = nothing usable: skip the meeting."""
    if value is None or value == "" or value == []:
        return None, True
    if isinstance(value, str) and "," in value:
        value = [part for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        days = [day for day in (_one_day(element, reader) for element in value[:14]) if day is not None]
        return sorted(set(days)), bool(days)
    day = _one_day(value, reader)
    return ([day] if day is not None else []), day is not None


_TIME = re.compile(
    r"^(?P<h>\d{1,2})(?:[:.hH](?P<m>\d{2}))?(?::(?P<s>\d{2})(?:\.\d{1,6})?)?"
    r"\s*(?:(?P<ap>[aApP])\.?\s*[mM]?\.?)?$"
)
_COMPACT_TIME = re.compile(r"^(?P<h>\d{1,2})(?P<m>\d{2})$")
_WORD_TIMES = {
    "noon": dt.time(12),
    "midday": dt.time(12),
    "mediodia": dt.time(12),
    "midnight": dt.time(0),
    "medianoche": dt.time(0),
}


def _parse_time(value: object) -> dt.time | None:
    """ "18:30", "6:30 pm", "11:00 AM", "18:30:00", "7pm", "1830", "noon" -> time; else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 20:
        return None
    folded = _fold(text).rstrip(".")
    if folded in _WORD_TIMES:
        return _WORD_TIMES[folded]
    match = _TIME.match(text) if text.isascii() else None
    if match is None or (match["m"] is None and match["ap"] is None):
        # "1830" is a time; a bare "7" is too ambiguous to guess at.
        match = _COMPACT_TIME.match(text) if text.isascii() else None
        if match is None:
            return None
        hour, minute, meridiem = int(match["h"]), int(match["m"]), None
    else:
        hour, minute = int(match["h"]), int(match["m"] or 0)
        meridiem = match["ap"].lower() if match["ap"] else None
        if match["s"] is not None and int(match["s"]) > 59:
            return None
    if minute > 59:
        return None
    if meridiem is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    elif hour == 24 and minute == 0:
        hour = 0  # "24:00" is midnight
    if hour > 23:
        return None
    return dt.time(hour, minute)


def _plus_hour(start: dt.time) -> dt.time:
    minutes = (start.hour * 60 + start.minute + 60) % (24 * 60)
    return dt.time(minutes // 60, minutes % 60)


def _hhmm(value: dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


_US_DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y")


def _parse_updated(value: object) -> dt.datetime | None:
    """ISO ("2023-08-29 15:56:59", with T/Z/offset or date only) or US ("8/25/2022 11:17:07 AM")
    -> aware UTC datetime, whole seconds. Naive values are UTC, as the spec says."""
    parsed: dt.datetime | None = None
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 40:
            return None
        try:
            parsed = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except ValueError:
            for fmt in _US_DATE_FORMATS:
                try:
                    parsed = dt.datetime.strptime(text, fmt)  # noqa: DTZ007 - naive means UTC, set below
                    break
                except ValueError:
                    continue
    if parsed is None:
        return None
    try:
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed.astimezone(dt.UTC).replace(microsecond=0)
    except (OverflowError, ValueError):
        return None  # year 1 with a positive offset falls off the calendar


def _format_updated(value: dt.datetime) -> str:
    utc = value.astimezone(dt.UTC) if value.tzinfo else value
    # Not strftime: it does not zero-pad years before 1000 on every platform.
    return f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d} {utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}"


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """Known IANA names by lower case ("america/new_york" -> "America/New_York")."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def _timezone(value: str) -> str | None:
    return _zones().get(value.strip().lower()) if value else None


# --------------------------------------------------------------------------- places

_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$")


def _coordinate(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return float(value) if -1000 < value < 1000 else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip()
        if len(text) <= 40 and _NUMBER.match(text):
            number = float(text)
            return number if math.isfinite(number) else None
    return None


def _yes(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 1
    if isinstance(value, str):
        return value.strip().lower() in {"yes", "true", "1", "y"}
    return False


_POSTAL_TOKEN = re.compile(r"\d")


def _is_postal(part: str) -> bool:
    tokens = part.split()
    return 0 < len(tokens) <= 3 and len(part) <= 10 and all(_POSTAL_TOKEN.search(token) for token in tokens)


def _strip_postal(part: str) -> str:
    tokens = part.split()
    while len(tokens) > 1 and _POSTAL_TOKEN.search(tokens[-1]):
        tokens.pop()
    return " ".join(tokens)


def _place_from_address(formatted: str) -> tuple[str, str, str] | None:
    """(city, state, country) read from a one-line address, for the gazetteer.

    "3186 Pullman St, Costa Mesa, CA 92626, USA" -> ("Costa Mesa", "CA", "USA");
    "8318 104 St, Edmonton, Alberta, T6E 4E8, Canada" -> ("Edmonton", "Alberta", "Canada");
    "Chicago, IL 60641" -> ("Chicago", "IL", ""). None when no city can be told apart.
    """
    parts = [part.strip() for part in formatted.split(",") if part.strip()]
    if not parts:
        return None
    ends_with_postal = bool(_POSTAL_TOKEN.search(parts[-1]))
    tail = [_strip_postal(part) for part in parts if not _is_postal(part)]
    if not tail:
        return None
    if ends_with_postal:
        # "..., IL 60641" or "..., Alberta, T6E 4E8": no country, the last part is the state.
        city, state, country = (tail[-2] if len(tail) >= 2 else ""), tail[-1], ""
    elif len(tail) >= 3 and not _POSTAL_TOKEN.search(tail[-3]):
        city, state, country = tail[-3], tail[-2], tail[-1]
    elif len(tail) >= 3:
        # "123 Main St, Anytown, CA": a street where the city would be, so no country given.
        city, state, country = tail[-2], tail[-1], ""
    elif len(tail) == 2:
        city, state, country = tail[0], "", tail[1]
    else:
        city, state, country = tail[0], "", ""
    if not city or _POSTAL_TOKEN.search(city):
        return None  # a street, not a city
    return city, state, country


def _join_address(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


# --------------------------------------------------------------------------- urls and phones

_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+\S*$", re.IGNORECASE)
_BARE_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)*\.[a-zA-Z]{2,}(?:[/?#]\S*)?$")


def _url(reader: _Reader, key: str, label: str) -> str:
    value = reader.raw(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        reader.note(f"The {label} was {_kind(value)}, not a web address, so it was left out.")
        return ""
    text = _clean(value)  # not capped: a shortened URL leads somewhere else, so it is dropped
    if not text:
        return ""
    if not _WEB_ADDRESS.match(text):
        if not _BARE_DOMAIN.match(text):
            # javascript:, data:, mailto:, text with spaces... never go behind a "Join" button.
            reader.note(f"The {label} {_short(text)} is not a web address (http or https), so it was left out.")
            return ""
        text = "https://" + text  # "zoom.us/j/123" is common and unambiguous
    if len(text) > LIMITS[key]:
        reader.note(f"The {label} is longer than {LIMITS[key]} characters, so it was left out.")
        return ""
    return text


def _phone(reader: _Reader) -> str:
    value = reader.raw("conference_phone")
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        reader.note(f"The conference phone was {_kind(value)}, not a phone number, so it was left out.")
        return ""
    # Not capped like other text: a shortened dial string (one-tap numbers with meeting ID and
    # passcode run past 60 characters) would dial the wrong meeting, so it is dropped instead.
    text = _clean(str(value))
    if not text:
        return ""
    if not any(ch.isdigit() for ch in text):
        reader.note(f"The conference phone {_short(value)} has no digits, so it was left out.")
        return ""
    if len(text) > LIMITS["conference_phone"]:
        reader.note(f"The conference phone is longer than {LIMITS['conference_phone']} characters, so it was left out.")
        return ""
    return text


# --------------------------------------------------------------------------- types


_TYPES_BY_UPPER = {code.upper(): code for code in TYPE_CODES}


def _types(value: object, reader: _Reader) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        reader.note(f"The types were {_kind(value)}, not a list of codes, so they were left out.")
        return ()
    codes: set[str] = set()
    unknown: list[str] = []
    for element in value[:200]:
        if isinstance(element, int) and not isinstance(element, bool):
            element = str(element)  # "11" (11th Step Meditation) written as a number
        if not isinstance(element, str):
            unknown.append(_short(element, 12))
            continue
        code = element.strip()
        if not code:
            continue  # an empty entry carries nothing to report
        known = code if code in TYPE_CODES else _TYPES_BY_UPPER.get(code.upper())
        if known:
            codes.add(known)
        elif _short(code, 12) not in unknown:
            unknown.append(_short(code, 12))
    if unknown:
        shown = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        plural = "codes" if len(unknown) > 1 else "code"
        reader.note(f"Unknown meeting type {plural} {shown} left out (not in the Meeting Guide list).")
    if "C" in codes:
        codes.discard("O")  # a meeting cannot be both closed and open; closed is the safer reading
    return tuple(sorted(codes))


def _language(types: tuple[str, ...]) -> str:
    if "S" in types:
        return "es"
    for code in types:
        language = _LANGUAGE_TYPES.get(code)
        if language and language != "en":
            return language
    return "en"


# (has conference URL/phone, has a real address) -> attendance, when the feed does not say.
_DERIVED_ATTENDANCE = {
    (True, True): "hybrid",
    (True, False): "online",
    (False, True): "in_person",
    (False, False): "inactive",
}


def _attendance(given: object, has_conference: bool, has_place: bool, closed: bool, reader: _Reader) -> str:
    """The spec's rules, as tsml-ui applies them.

    Derived when absent: conference details + a real address -> hybrid, conference only ->
    online, address only -> in_person, neither -> inactive. Always: online/hybrid without a
    URL or phone cannot be joined -> inactive; TC (location temporarily closed) takes the
    in-person part away (hybrid -> online, in_person -> inactive).
    """
    option = given.strip().lower().replace("-", "_").replace(" ", "_") if isinstance(given, str) else None
    if option not in ATTENDANCE:
        if given not in (None, ""):
            reader.note(
                f"The attendance option {_short(given)} is not one of {', '.join(ATTENDANCE)}; it was worked out from the meeting instead."
            )
        option = _DERIVED_ATTENDANCE[has_conference, has_place]
        given_ok = False
    else:
        given_ok = True
    if option in ("online", "hybrid") and not has_conference:
        if given_ok:
            reader.note(f"Marked inactive: it is listed as {option} but has no conference URL or phone to join.")
        return "inactive"
    if closed and option == "hybrid":
        return "online"
    if closed and option == "in_person":
        return "inactive"
    return option


# --------------------------------------------------------------------------- parse


def _load(raw: bytes | str) -> list[Any]:
    if isinstance(raw, bytearray | memoryview):
        raw = bytes(raw)
    if not isinstance(raw, bytes | str):
        raise FeedError(f"A feed is text or bytes of JSON, not {type(raw).__name__}.")
    if isinstance(raw, str):
        raw = raw.lstrip("\ufeff")  # a byte-order mark left by some editors
    if not raw.strip():
        raise FeedError("The feed is empty. A Meeting Guide feed is a JSON array of meetings: [ {...}, ... ].")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise FeedError(
            f"The feed is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}. "
            "Fix the file there (a missing or extra comma, bracket or quote is the usual cause) and import it again."
        ) from None
    except UnicodeDecodeError:
        raise FeedError("The feed is not readable text. Save it as UTF-8 JSON and import it again.") from None
    except RecursionError:
        raise FeedError("The feed nests lists or objects too deeply to be a meeting list.") from None
    except ValueError as error:  # e.g. an integer with thousands of digits
        raise FeedError(f"The feed could not be read as JSON: {error}.") from None
    if isinstance(data, dict) and isinstance(data.get("meetings"), list):
        return data["meetings"]
    if not isinstance(data, list):
        found = "an object without a “meetings” array" if isinstance(data, dict) else _kind(data)
        raise FeedError(
            f"The feed must be a JSON array of meetings (or an object with a “meetings” array), but it is {found}."
        )
    return data


def _label(item: dict[str, Any], position: int) -> str:
    name = item.get("name")
    named = f" (“{' '.join(name.split())[:60]}”)" if isinstance(name, str) and name.strip() else ""
    return f"Meeting {position}{named}"


def _read_slug(item: dict[str, Any]) -> str:
    value = item.get("slug")
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)  # the spec allows integer IDs
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, str):
        return _clean(value)
    return ""


class _Parser:
    def __init__(self, default_timezone: str | None, locate: Locate | None) -> None:
        self.default_timezone = default_timezone
        self.locate = locate
        self.located: dict[tuple[str, str, str], tuple[float, float] | None] = {}

    def find(self, city: str, state: str, country: str) -> tuple[float, float] | None:
        key = (city.casefold(), state.casefold(), country.casefold())
        if key not in self.located:
            result: tuple[float, float] | None = None
            try:
                found = self.locate(city, state, country) if self.locate else None
            except Exception:  # a lookup helper failing must not fail the import
                found = None
            if isinstance(found, tuple | list) and len(found) == 2:
                lat, lon = _coordinate(found[0]), _coordinate(found[1])
                if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
                    result = (lat, lon)
            self.located[key] = result
        return self.located[key]

    def item(self, item: dict[str, Any], position: int) -> tuple[list[FeedMeeting], FeedWarning | None]:
        """The meetings one feed item becomes (several for a day array), and its warning."""
        slug = _read_slug(item)
        if not slug:
            return [], FeedWarning(
                "", f"Skipped: {_label(item, position)} has no slug. Every meeting needs a unique slug (its ID)."
            )
        if len(slug) > LIMITS["slug"] - 2:
            return [], FeedWarning(
                slug[:60] + "…", f"Skipped: the slug is longer than {LIMITS['slug'] - 2} characters."
            )
        reader = _Reader(item)
        name = reader.text("name")
        if not name:
            return [], FeedWarning(slug, "Skipped: it has no name.")

        days, days_ok = _days(item.get("day"), reader)
        if not days_ok:
            return [], FeedWarning(slug, "Skipped: " + " ".join(reader.notes))
        raw_time, raw_end = item.get("time"), item.get("end_time")
        start = end = None
        if days is None:
            if raw_time not in (None, ""):
                reader.note("It has a time but no day, so it is listed as by appointment.")
        else:
            if raw_time in (None, ""):
                return [], FeedWarning(slug, "Skipped: it has a day but no start time (use HH:MM, e.g. 18:30).")
            start = _parse_time(raw_time)
            if start is None:
                return [], FeedWarning(
                    slug,
                    f"Skipped: the start time {_short(raw_time)} is not a time we can read (use HH:MM, e.g. 18:30).",
                )
            end = _parse_time(raw_end) if raw_end not in (None, "") else None
            if end is None:
                if raw_end not in (None, ""):
                    reader.note(
                        f"The end time {_short(raw_end)} could not be read, so it was set to one hour after the start."
                    )
                end = _plus_hour(start)

        zone_text = reader.text("timezone", "time zone")
        timezone = _timezone(zone_text)
        if zone_text and timezone is None:
            reader.note(f"The time zone {_short(zone_text)} is not a known IANA time zone, so it was left out.")
        timezone = timezone or self.default_timezone

        types = _types(item.get("types"), reader)
        raw_updated = item.get("updated")
        updated = _parse_updated(raw_updated)
        if updated is None and raw_updated not in (None, ""):
            reader.note(f"The updated date {_short(raw_updated)} could not be read, so it was left out.")

        region, sub_region = reader.text("region"), reader.text("sub_region", "sub-region")
        regions = item.get("regions")
        if not region and isinstance(regions, list):
            # "regions" lists the most general first: ["Illinois", "Chicago", "Wicker Park"].
            names = [_clean(r, limit=LIMITS["region"]) for r in regions[:10] if isinstance(r, str)]
            names = [n for n in names if n]
            if names:
                region = names[0]
                if not sub_region and len(names) > 1:
                    sub_region = names[1]

        formatted = reader.text("formatted_address", "formatted address")
        address = reader.text("address")
        city, state = reader.text("city"), reader.text("state")
        postal_code, country = reader.text("postal_code", "postal code"), reader.text("country")
        if not formatted:
            if address and "," in address and not (city or state or postal_code or country):
                # A whole one-line address in the street field (the Edmonton feed does this).
                formatted, address = _clean(address, limit=LIMITS["formatted_address"]), ""
            else:
                state_postal = " ".join(part for part in (state, postal_code) if part)
                formatted = _clean(
                    _join_address(address, city, state_postal, country), limit=LIMITS["formatted_address"]
                )

        said_approximate = _yes(item.get("approximate"))
        approximate = said_approximate
        latitude, longitude = self.coordinates(item, reader)
        if latitude is None and self.locate is not None and (city or formatted):
            place = (city, state, country) if city else _place_from_address(formatted)
            found = self.find(*place) if place else None
            if found is not None:
                latitude, longitude = found
                approximate = True
            else:
                reader.note(
                    "It has no coordinates and its city was not found in the offline gazetteer, so searches by distance will not find it."
                )

        conference_url = _url(reader, "conference_url", "conference URL")
        conference_phone = _phone(reader)
        attendance = _attendance(
            item.get("attendance_option"),
            has_conference=bool(conference_url or conference_phone),
            has_place=bool(formatted) and not said_approximate,
            closed="TC" in types,
            reader=reader,
        )

        meeting = FeedMeeting(
            slug=slug,
            name=name,
            day=days[0] if days else None,
            time=start,
            end_time=end,
            timezone=timezone,
            types=types,
            notes=reader.text("notes"),
            url=_url(reader, "url", "meeting URL"),
            updated=updated,
            group=reader.text("group"),
            group_notes=reader.text("group_notes", "group notes"),
            district=reader.text("district"),
            region=region,
            sub_region=sub_region,
            location=reader.text("location"),
            location_notes=reader.text("location_notes", "location notes"),
            formatted_address=formatted,
            address=address,
            city=city,
            state=state,
            postal_code=postal_code,
            country=country,
            latitude=latitude,
            longitude=longitude,
            approximate=approximate,
            conference_url=conference_url,
            conference_url_notes=reader.text("conference_url_notes", "conference URL notes"),
            conference_phone=conference_phone,
            conference_phone_notes=reader.text("conference_phone_notes", "conference phone notes"),
            attendance_option=attendance,
            language=_language(types),
        )
        if days is not None and len(days) > 1:
            # One meeting per day; the day in the slug keeps them unique and stable on re-import.
            meetings = [replace(meeting, slug=f"{slug}-{day}", day=day) for day in days]
        else:
            meetings = [meeting]
        warning = FeedWarning(slug, " ".join(reader.notes)) if reader.notes else None
        return meetings, warning

    def coordinates(self, item: dict[str, Any], reader: _Reader) -> tuple[float | None, float | None]:
        raw_lat, raw_lon = item.get("latitude"), item.get("longitude")
        if raw_lat in (None, "") and raw_lon in (None, ""):
            return None, None
        lat, lon = _coordinate(raw_lat), _coordinate(raw_lon)
        if lat is None or lon is None:
            reader.note(
                f"The coordinates {_short(raw_lat, 20)}, {_short(raw_lon, 20)} are not numbers, so they were left out."
            )
            return None, None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            reader.note(
                f"The coordinates {lat}, {lon} are outside the map (latitude -90..90, longitude -180..180), so they were left out."
            )
            return None, None
        if lat == 0 and lon == 0:
            reader.note("The coordinates 0, 0 are a placeholder (that point is in the ocean), so they were left out.")
            return None, None
        return lat, lon


def parse_feed(
    raw: bytes | str,
    *,
    default_timezone: str | None = None,
    locate: Locate | None = None,
) -> ParseResult:
    """Read a Meeting Guide feed.

    ``default_timezone`` (IANA) is used for meetings that do not name one; ``locate`` fills
    missing coordinates (pass ``gazetteer.locate``). Raises ``FeedError`` only when the
    feed as a whole is unusable; problems with single meetings become warnings.
    """
    if default_timezone is not None:
        zone = _timezone(default_timezone) if isinstance(default_timezone, str) else None
        if zone is None:
            raise FeedError(
                f"The default time zone {_short(default_timezone)} is not a known IANA time zone (e.g. America/Los_Angeles)."
            )
        default_timezone = zone
    items = _load(raw)
    parser = _Parser(default_timezone, locate)
    meetings: list[FeedMeeting] = []
    warnings: list[FeedWarning] = []
    seen: set[str] = set()
    skipped = 0
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            warnings.append(FeedWarning("", f"Skipped: meeting {position} is {_kind(item)}, not a meeting object."))
            skipped += 1
            continue
        try:
            produced, warning = parser.item(item, position)
        except Exception as error:  # pragma: no cover - a bug must cost one meeting, not the feed
            produced = []
            warning = FeedWarning(
                _read_slug(item), f"Skipped: it could not be read (internal error: {type(error).__name__})."
            )
        if not produced:
            skipped += 1
        if warning is not None:
            warnings.append(warning)
        for meeting in produced:
            if meeting.slug in seen:
                warnings.append(
                    FeedWarning(meeting.slug, "Skipped: an earlier meeting in the feed already uses this slug.")
                )
                skipped += 1
                continue
            seen.add(meeting.slug)
            meetings.append(meeting)
    return ParseResult(meetings=tuple(meetings), warnings=tuple(warnings), skipped=skipped)


# --------------------------------------------------------------------------- write


def to_feed(meetings: Iterable[FeedMeeting]) -> list[dict[str, Any]]:
    """Meeting Guide dicts: spec field names, ``HH:MM`` times, ``day`` as an int, ``types``
    as a list, ``updated`` as ``YYYY-MM-DD HH:MM:SS`` UTC; empty optional fields left out.
    ``attendance_option`` is always written so readers need not guess it."""
    feed: list[dict[str, Any]] = []
    for meeting in meetings:
        entry: dict[str, Any] = {"name": meeting.name, "slug": meeting.slug}
        if meeting.day is not None:
            entry["day"] = meeting.day
        if meeting.time is not None:
            entry["time"] = _hhmm(meeting.time)
        if meeting.end_time is not None:
            entry["end_time"] = _hhmm(meeting.end_time)
        if meeting.timezone:
            entry["timezone"] = meeting.timezone
        if meeting.types:
            entry["types"] = list(meeting.types)
        for key in ("notes", "url"):
            if getattr(meeting, key):
                entry[key] = getattr(meeting, key)
        if meeting.updated is not None:
            entry["updated"] = _format_updated(meeting.updated)
        for key in FEED_FIELDS[FEED_FIELDS.index("group") : FEED_FIELDS.index("latitude")]:
            if getattr(meeting, key):
                entry[key] = getattr(meeting, key)
        if meeting.latitude is not None and meeting.longitude is not None:
            entry["latitude"] = meeting.latitude
            entry["longitude"] = meeting.longitude
        if meeting.approximate:
            entry["approximate"] = "yes"
        elif meeting.formatted_address or meeting.latitude is not None:
            entry["approximate"] = "no"
        for key in ("conference_url", "conference_url_notes", "conference_phone", "conference_phone_notes"):
            if getattr(meeting, key):
                entry[key] = getattr(meeting, key)
        entry["attendance_option"] = meeting.attendance_option
        feed.append(entry)
    return feed

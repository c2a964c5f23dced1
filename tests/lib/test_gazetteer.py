"""The offline gazetteer: places by typed name, meeting cities, distances and boxes."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.lib.gazetteer import Place, bounding_box, distance_km, find_places, locate, normalise


def labels(query: str, limit: int = 5) -> list[str]:
    return [place.label for place in find_places(query, limit)]


def test_costa_mesa_ca() -> None:
    places = find_places("Costa Mesa, CA")
    assert places[0].label == "Costa Mesa, CA, US"
    costa_mesa = places[0]
    assert isinstance(costa_mesa, Place)
    assert costa_mesa.timezone == "America/Los_Angeles"
    assert costa_mesa.population > 100_000
    assert distance_km(costa_mesa.latitude, costa_mesa.longitude, 33.6850173, -117.8720761) < 10  # a real OC meeting


def test_edmonton_alone_gives_the_big_city_first() -> None:
    assert labels("Edmonton")[:2] == ["Edmonton, AB, CA", "Edmonton, ENG, GB"]
    assert find_places("Edmonton")[0].timezone == "America/Edmonton"


@pytest.mark.parametrize(
    "query",
    [
        "Edmonton, AB",
        "Edmonton, Alberta",
        "edmonton alberta",
        "EDMONTON, AB, Canada",
        "Edmonton AB CA",
        "edmonton alberta canada",
    ],
)
def test_edmonton_with_its_province(query: str) -> None:
    assert labels(query) == ["Edmonton, AB, CA"]


def test_a_qualifier_picks_between_same_named_places() -> None:
    assert labels("Edmonton, England") == ["Edmonton, ENG, GB"]
    assert labels("Vancouver, WA") == ["Vancouver, WA, US"]
    assert labels("Vancouver")[0] == "Vancouver, BC, CA"
    assert labels("Portland, Maine") == ["Portland, ME, US"]
    assert labels("Toronto, Ontario, Canada") == ["Toronto, ON, CA"]


def test_a_known_qualifier_that_rules_everything_out_gives_nothing() -> None:
    # Beaumont, Alberta is too small for the list; Beaumont, Texas must not be offered instead.
    assert find_places("Beaumont, Alberta") == []
    assert locate("Beaumont", "Alberta", "Canada") is None
    assert labels("Beaumont")[0] == "Beaumont, TX, US"


def test_an_unknown_qualifier_is_ignored() -> None:
    assert labels("Costa Mesa, Orange County, CA") == ["Costa Mesa, CA, US"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ciudad de México", "Mexico City, MX"),
        ("ciudad de mexico", "Mexico City, MX"),
        ("CDMX", "Mexico City, MX"),
        ("Montréal", "Montréal, QC, CA"),
        ("montreal qc", "Montréal, QC, CA"),
        ("São Paulo", "São Paulo, BR"),
        ("sao paulo", "São Paulo, BR"),
        ("Londres", "London, ENG, GB"),
        ("Nueva York", "New York City, NY, US"),
        ("Zürich", "Zürich, ZH, CH"),
        ("St Albert", "St. Albert, AB, CA"),
        ("Saint-Albert, Alberta", "St. Albert, AB, CA"),
        ("San José, Costa Rica", "San José, CR"),
        ("Москва", "Moscow, RU"),
    ],
)
def test_accents_case_and_other_languages(query: str, expected: str) -> None:
    assert labels(query)[0] == expected


@pytest.mark.parametrize("query", ["Xyzzyville", "", "   ", ",,,", "Costa Mesa, Texas", "12345"])
def test_unknown_places_give_nothing(query: str) -> None:
    assert find_places(query) == []


def test_limit() -> None:
    assert len(find_places("Springfield", limit=3)) == 3
    assert find_places("Springfield", limit=0) == []


def test_label_leaves_out_numeric_region_codes() -> None:
    mexico = find_places("Mexico City")[0]
    assert mexico.admin1.isdigit()
    assert mexico.label == "Mexico City, MX"


def test_locate_for_feed_cities() -> None:
    edmonton = locate("Edmonton", "Alberta", "Canada")
    assert edmonton is not None and distance_km(*edmonton, 53.5461, -113.4938) < 10
    costa_mesa = locate("Costa Mesa", "CA", "USA")
    assert costa_mesa is not None and distance_km(*costa_mesa, 33.6412, -117.9187) < 10
    assert locate("Camrose ", "Alberta", "Canada") is not None
    assert locate("Gunn", "Alberta", "Canada") is None  # a hamlet, below the list's 15,000 people
    assert locate("") is None
    assert locate("Paris") is not None  # no qualifier: the most populous Paris
    assert locate("Paris", "Texas") != locate("Paris")


@pytest.mark.parametrize("odd", ["Edmonton, AB", "\x00", "a" * 10_000, "🙂", "Edmonton\u2028Alberta"])
def test_locate_never_raises(odd: str) -> None:
    locate(odd, odd, odd)
    find_places(odd)


def test_normalise() -> None:
    assert normalise("Ciudad de México") == "ciudad de mexico"
    assert normalise("  St. Albert ") == normalise("Saint-Albert") == "st albert"
    assert normalise("Sault Sainte Marie") == normalise("Sault Ste. Marie") == "sault ste marie"
    assert normalise("ZÜRICH") == "zurich"


# --------------------------------------------------------------------------- distance and boxes


def test_distance_los_angeles_to_san_francisco() -> None:
    assert distance_km(34.0522, -118.2437, 37.7749, -122.4194) == pytest.approx(559, abs=5)


def test_distance_basics() -> None:
    assert distance_km(53.5, -113.5, 53.5, -113.5) == 0
    assert distance_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0088, rel=1e-9)  # half the equator
    assert distance_km(0, 179.5, 0, -179.5) == pytest.approx(111.2, abs=0.5)  # across the antimeridian
    assert distance_km(10, 20, 30, 40) == pytest.approx(distance_km(30, 40, 10, 20))


def destination(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """The point km away on a bearing (spherical), to test boxes with points on the circle."""
    angular = km / 6371.0088
    phi1, lambda1, theta = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    phi2 = math.asin(math.sin(phi1) * math.cos(angular) + math.cos(phi1) * math.sin(angular) * math.cos(theta))
    lambda2 = lambda1 + math.atan2(
        math.sin(theta) * math.sin(angular) * math.cos(phi1), math.cos(angular) - math.sin(phi1) * math.sin(phi2)
    )
    return math.degrees(phi2), (math.degrees(lambda2) + 540) % 360 - 180


def inside(box: tuple[float, float, float, float], lat: float, lon: float) -> bool:
    min_lat, max_lat, min_lon, max_lon = box
    slack = 1e-9  # floating point at the edge of the circle
    return min_lat - slack <= lat <= max_lat + slack and min_lon - slack <= lon <= max_lon + slack


def test_bounding_box_around_costa_mesa() -> None:
    box = bounding_box(33.64, -117.92, 25)
    min_lat, max_lat, min_lon, max_lon = box
    assert min_lat < 33.64 < max_lat and min_lon < -117.92 < max_lon
    assert max_lat - min_lat == pytest.approx(2 * 25 / 111.195, rel=1e-3)
    assert not inside(box, 34.0522, -118.2437)  # Los Angeles is ~50 km away
    for bearing in range(0, 360, 15):
        assert inside(box, *destination(33.64, -117.92, bearing, 24.999))


def test_bounding_box_at_a_pole_and_across_the_antimeridian_spans_all_longitudes() -> None:
    assert bounding_box(89.9, 10, 50) == (pytest.approx(89.9 - 50 / 111.195, rel=1e-3), 90.0, -180.0, 180.0)
    assert bounding_box(-89.95, 0, 10)[2:] == (-180.0, 180.0)
    fiji = bounding_box(-17.8, 179.9, 50)
    assert fiji[2:] == (-180.0, 180.0)
    assert inside(fiji, *destination(-17.8, 179.9, 90, 40))  # a point on the other side of the line


def test_bounding_box_zero_and_huge_radius() -> None:
    assert bounding_box(10, 20, 0) == (10, 10, 20, 20)
    assert bounding_box(10, 20, 30_000) == (-90.0, 90.0, -180.0, 180.0)


@settings(max_examples=300, deadline=None)
@given(
    st.floats(-90, 90),
    st.floats(-180, 180),
    st.floats(0.1, 2000),
    st.floats(0, 360),
    st.floats(0, 1),
)
def test_bounding_box_contains_every_point_within_the_radius(
    lat: float, lon: float, radius: float, bearing: float, fraction: float
) -> None:
    point = destination(lat, lon, bearing, radius * fraction)
    assert distance_km(lat, lon, *point) <= radius * (1 + 1e-6) + 1e-6  # the helper is right
    assert inside(bounding_box(lat, lon, radius), *point)

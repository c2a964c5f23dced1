"""The pure matching core: hard rules, score and reasons, suggestions, and the optimal round."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alongside.peers import matching
from alongside.peers.matching import (
    MemberNeeds,
    PeerOffer,
    Reason,
    assign,
    describe,
    feasible_scores,
    score_pair,
    suggest,
    why_not,
)

LA = (34.05, -118.24)
PASADENA = (34.15, -118.14)  # ~14 km from LA
SAN_DIEGO = (32.72, -117.16)  # ~180 km from LA


def member(id: str = "m1", **fields: object) -> MemberNeeds:
    fields.setdefault("languages", {"en"})
    fields.setdefault("location", LA)
    return MemberNeeds(id=id, **fields)  # type: ignore[arg-type]


def peer(id: str = "p1", **fields: object) -> PeerOffer:
    fields.setdefault("languages", {"en"})
    fields.setdefault("location", LA)
    fields.setdefault("capacity", 5)
    fields.setdefault("credential_valid", True)
    return PeerOffer(id=id, **fields)  # type: ignore[arg-type]


def seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - test data, not secrets


def ok(m: MemberNeeds, p: PeerOffer, *, excluded: bool = False, km: float = 40.0) -> bool:
    return why_not(m, p, excluded=excluded, max_distance_km=km) is None


# ----------------------------------------------------------------------------- hard rules


def test_member_without_shared_language_is_never_assigned() -> None:
    m = member(languages={"es"})
    p = peer(languages={"en"})
    assert why_not(m, p, excluded=False, max_distance_km=40) == "no shared language"
    result = assign([m], [p])
    assert result.assignments == []
    assert result.unassigned == [("m1", "no peer shares a language")]


def test_inputs_are_normalised_languages_tags_and_gender_case_insensitive() -> None:
    m = member(languages=[" ES "], peer_gender_preference="Woman", pathways=["Medication"])
    p = peer(languages=["es"], gender="WOMAN", pathways=["medication"])
    assert m.languages == {"es"} and m.pathways == {"medication"}
    assert ok(m, p)
    assert Reason("pathway", "medication") in score_pair(m, p, max_distance_km=40)[1]


def test_gender_preference_is_a_hard_rule_and_none_means_any() -> None:
    prefers_woman = member(peer_gender_preference="woman")
    assert ok(prefers_woman, peer(gender="woman"))
    assert not ok(prefers_woman, peer(gender="man"))
    assert not ok(prefers_woman, peer(gender=None))
    assert ok(member(peer_gender_preference=None), peer(gender="man"))
    result = assign([prefers_woman], [peer(gender="man")])
    assert result.unassigned == [("m1", "no peer meets the gender preference")]


def test_in_person_only_within_max_distance_unless_both_are_remote() -> None:
    near, far = peer(location=PASADENA), peer(location=SAN_DIEGO)
    assert ok(member(), near)
    assert not ok(member(), far)
    assert not ok(member(remote_ok=True), far)  # remote must be fine for both
    assert not ok(member(), peer(location=SAN_DIEGO, remote_ok=True))
    assert ok(member(remote_ok=True), peer(location=SAN_DIEGO, remote_ok=True))
    assert ok(member(remote_ok=True, location=None), peer(location=None, remote_ok=True))
    assert not ok(member(location=None), near)
    assert ok(member(), far, km=200)
    assert assign([member()], [far]).unassigned == [("m1", "no peer within 40 km and remote not possible")]
    assert assign([member(location=None)], [near]).unassigned == [
        ("m1", "no location given and not open to remote support")
    ]


def test_peer_at_capacity_is_not_suggested_nor_assigned() -> None:
    full = peer(capacity=3, current_caseload=3)
    assert why_not(member(), full, excluded=False, max_distance_km=40) == "the peer is at capacity"
    assert suggest(member(), [full]) == []
    assert assign([member()], [full]).unassigned == [("m1", "all suitable peers are at capacity")]


def test_peer_with_invalid_credential_is_never_matched() -> None:
    lapsed = peer(credential_valid=False)
    assert why_not(member(), lapsed, excluded=False, max_distance_km=40) == "the peer's credential is not valid"
    assert suggest(member(), [lapsed]) == []
    assert assign([member()], [lapsed]).unassigned == [("m1", "no peer has a valid credential")]


def test_known_prior_relationship_excludes_the_pair_only() -> None:
    m, other = member("m1"), member("m2")
    p = peer("p1")
    exclusions = {("m1", "p1")}
    assert why_not(m, p, excluded=True, max_distance_km=40) == "known prior relationship"
    assert suggest(m, [p], exclusions=exclusions) == []
    assert [s.peer_id for s in suggest(other, [p], exclusions=exclusions)] == ["p1"]
    result = assign([m, other], [p], exclusions=exclusions)
    assert [(a.member_id, a.peer_id) for a in result.assignments] == [("m2", "p1")]
    assert result.unassigned == [("m1", "excluded from every otherwise suitable peer")]


def test_unassigned_reason_says_when_suitable_peers_were_filled_by_others() -> None:
    result = assign([member("m1"), member("m2")], [peer(capacity=1)])
    assert len(result.assignments) == 1
    assert result.unassigned[0][1] == "all suitable peers were filled by other members in this round"


def test_most_telling_rule_is_the_first_that_rules_out_every_peer() -> None:
    # language passes for one peer, which then fails the gender preference
    m = member(languages={"es"}, peer_gender_preference="woman")
    peers = [peer("p1", languages={"en"}, gender="woman"), peer("p2", languages={"es"}, gender="man")]
    assert assign([m], peers).unassigned == [("m1", "no peer meets the gender preference")]


# ----------------------------------------------------------------------------- score and reasons


def test_reason_texts_read_as_plain_english() -> None:
    assert describe(Reason("language", "es")) == "speaks Spanish"
    assert describe(Reason("language", "xx")) == "speaks xx"
    assert describe(Reason("pathway", "medication")) == "also on a medication-assisted path"
    assert describe(Reason("pathway", "twelve_step")) == "also on a 12-step path"
    assert describe(Reason("pathway", "smart")) == "also uses SMART Recovery"
    assert describe(Reason("lived_experience", "parenting")) == "has lived experience as a parent"
    assert describe(Reason("lived_experience", "gardening_grief")) == "has lived experience with gardening grief"
    assert describe(Reason("distance", 15)) == "15 km away"
    assert describe(Reason("distance", 0)) == "less than 1 km away"
    assert describe(Reason("availability", "tue-evening")) == "free Tuesday evenings"
    assert describe(Reason("substance", "opioids")) == "also in recovery from opioid use"
    assert describe(Reason("age", 3)) == "close in age (3 years apart)"
    assert describe(Reason("remote")) == "both open to meeting remotely"
    assert Reason("language", "es").text == "speaks Spanish"


def test_score_adds_the_documented_weights() -> None:
    m = member(
        languages={"en", "es"},
        pathways={"medication", "twelve_step"},
        substances={"opioids"},
        lived_experience_wanted={"parenting"},
        availability={"tue-evening", "wed-evening"},
        age=30,
        location=LA,
    )
    p = peer(
        languages={"en", "es"},
        pathways={"medication"},
        substances={"opioids", "alcohol"},
        lived_experience={"parenting", "veteran"},
        availability={"tue-evening"},
        age=33,
        location=LA,
    )
    score, reasons, km = score_pair(m, p, max_distance_km=40)
    # 20 pathway + 15 lived + 8 substance + 3 Spanish + 3 slot + 10 distance + 5 age
    assert score == 64.0
    assert km == 0.0
    assert [r.text for r in reasons] == [
        "also on a medication-assisted path",
        "has lived experience as a parent",
        "less than 1 km away",
        "also in recovery from opioid use",
        "close in age (3 years apart)",
        "free Tuesday evenings",
        "speaks Spanish",
    ]


def test_reasons_are_stable_and_sorted_by_contribution_then_code() -> None:
    m = member(
        pathways={"smart", "faith", "medication"},
        availability={"sun-morning", "mon-evening", "tue-morning", "fri-night", "sat-afternoon"},
        location=LA,
        remote_ok=True,
    )
    p = peer(
        pathways={"medication", "faith", "smart"},
        availability={"sat-afternoon", "fri-night", "tue-morning", "sun-morning", "mon-evening"},
        location=SAN_DIEGO,
        remote_ok=True,
    )
    first = score_pair(m, p, max_distance_km=40)
    again = score_pair(MemberNeeds(**vars(m)), PeerOffer(**vars(p)), max_distance_km=40)
    assert first == again
    reasons = first[1]
    assert [r.value for r in reasons if r.code == "pathway"] == ["faith", "medication", "smart"]
    # slots count up to 4, in week order; the remote reason carries no points, so comes last
    assert [r.value for r in reasons if r.code == "availability"] == [
        "mon-evening",
        "tue-morning",
        "fri-night",
        "sat-afternoon",
    ]
    assert reasons[-1] == Reason("remote", None)
    assert first[0] == 3 * 20 + 4 * 3


def test_closer_peers_score_higher_and_distance_shows_in_km() -> None:
    score_near, reasons_near, km_near = score_pair(member(), peer(location=PASADENA), max_distance_km=40)
    score_here, _, _ = score_pair(member(), peer(location=LA), max_distance_km=40)
    assert score_here > score_near > 0
    assert km_near is not None and 13 < km_near < 15
    assert Reason("distance", 14) in reasons_near


# ----------------------------------------------------------------------------- suggestions


def test_suggestions_are_feasible_ranked_by_score_then_id_and_limited() -> None:
    m = member(pathways={"medication"}, lived_experience_wanted={"parenting"})
    peers = [
        peer("b", pathways={"medication"}),
        peer("a", pathways={"medication"}),
        peer("c", pathways={"medication"}, lived_experience={"parenting"}),
        peer("d"),
        peer("x", languages={"fr"}, pathways={"medication"}, lived_experience={"parenting"}),
    ]
    ranked = suggest(m, peers, limit=10)
    assert [s.peer_id for s in ranked] == ["c", "a", "b", "d"]
    assert ranked[0].score > ranked[1].score == ranked[2].score > ranked[3].score
    assert ranked[0].reasons[0].text == "also on a medication-assisted path"
    assert ranked[0].distance_km == 0.0
    assert [s.peer_id for s in suggest(m, peers, limit=2)] == ["c", "a"]
    for s in ranked:
        assert (s.score, s.reasons) == score_pair(m, next(p for p in peers if p.id == s.peer_id), max_distance_km=40)[
            :2
        ]


def test_suggestion_for_unlocated_remote_pair_has_no_distance() -> None:
    (only,) = suggest(member(location=None, remote_ok=True), [peer(remote_ok=True)])
    assert only.distance_km is None
    assert Reason("remote", None) in only.reasons


def test_indexed_suggestions_match_the_reference_on_a_fixed_case() -> None:
    m = member(
        "m",
        languages={"en", "es"},
        pathways={"medication", "unknown_path"},
        lived_experience_wanted={"parenting"},
        substances={"opioids"},
        availability={"tue-evening", "thu-evening", "mon-morning", "sat-morning", "sun-night"},
        age=40,
        remote_ok=True,
        peer_gender_preference="woman",
    )
    everything = {"tue-evening", "thu-evening", "mon-morning", "sat-morning", "sun-night"}
    peers = [
        peer("near", gender="woman", pathways={"medication"}, location=PASADENA, age=43, languages={"es"}),
        peer(7, gender="woman", pathways={"medication"}, location=PASADENA, age=43, languages={"es"}),  # ties "near"
        peer("far-remote", gender="woman", location=SAN_DIEGO, remote_ok=True, availability=everything),
        peer("far", gender="woman", location=SAN_DIEGO),  # out of reach, not remote
        peer("nowhere", gender="woman", location=None, remote_ok=True, lived_experience={"parenting"}),
        peer("man", gender="man", pathways={"medication"}),
        peer("full", gender="woman", capacity=2, current_caseload=2),
        peer("lapsed", gender="woman", credential_valid=False),
        peer("apart", gender="woman", substances={"opioids"}),
        peer(3, gender="woman", languages={"fr"}),
    ]
    exclusions = {("m", "apart"), ("other", "near")}
    index = matching.PeerIndex(peers)
    for limit in (0, 1, 3, 10):
        expected = suggest(m, peers, exclusions=exclusions, limit=limit)
        assert matching.suggest_indexed(m, index, excluded_ids={"apart"}, limit=limit) == expected
    ranked = matching.suggest_indexed(m, index, excluded_ids={"apart"})
    assert [s.peer_id for s in ranked] == [7, "near", "nowhere", "far-remote"]
    assert ranked[-1].distance_km is not None and ranked[2].distance_km is None
    # caseloads passed in replace the offers' own, aligned to the index
    load = np.zeros(len(peers), dtype=np.int64)
    load[1] = 5
    assert [s.peer_id for s in matching.suggest_indexed(m, index, caseloads=load, limit=1)] == ["near"]
    # a peer exactly at the distance limit is in reach, as in the reference
    edge = matching.distance_km(LA, PASADENA)
    at_edge = matching.suggest_indexed(m, index, excluded_ids={"apart"}, max_distance_km=edge)
    assert at_edge == suggest(m, peers, exclusions=exclusions, max_distance_km=edge)
    assert {7, "near"} <= {s.peer_id for s in at_edge}
    assert matching.suggest_indexed(member(languages={"de"}), index) == []
    assert matching.suggest_indexed(member(peer_gender_preference="non_binary"), index) == []
    assert matching.suggest_indexed(m, matching.PeerIndex([])) == []


_ANY_TAGS = ["twelve_step", "medication", "smart", "faith", "other"]
_ANY_SLOTS = ["mon-evening", "tue-evening", "sat-morning", "sun-night", "fri-afternoon"]


@st.composite
def _pools(draw: st.DrawFn) -> tuple[MemberNeeds, list[PeerOffer], np.ndarray, set[object], float, int]:
    rng = seeded(draw(st.integers(0, 10**6)))
    n_peers = draw(st.integers(0, 40))
    spread = draw(st.sampled_from([0.05, 0.3, 1.0, 5.0]))
    # close spots on purpose: ties in score, distances around the limit
    spots = [(LA[0] + rng.uniform(-spread, spread), LA[1] + rng.uniform(-spread, spread)) for _ in range(4)]

    def where() -> tuple[float, float] | None:
        roll = rng.random()
        if roll < 0.15:
            return None
        return (
            rng.choice(spots)
            if roll < 0.4
            else (LA[0] + rng.uniform(-spread, spread), LA[1] + rng.uniform(-spread, spread))
        )

    def common() -> dict[str, object]:
        return {
            "languages": rng.choice([{"en"}, {"en"}, {"es"}, {"en", "es"}, {"fr"}, {"en", "vi", "es"}]),
            "pathways": set(rng.sample(_ANY_TAGS, rng.randint(0, 3))),
            "substances": set(rng.sample(["alcohol", "opioids", "cannabis"], rng.randint(0, 2))),
            "location": where(),
            "remote_ok": rng.random() < 0.5,
            "availability": set(rng.sample(_ANY_SLOTS, rng.randint(0, 5))),
            "age": rng.choice([None, None, *range(18, 70)]),
        }

    ids: list[object] = rng.sample([*range(60), *(f"p{i}" for i in range(60)), *(str(i) for i in range(20))], n_peers)
    peers = [
        PeerOffer(
            id=peer_id,  # type: ignore[arg-type]
            gender=rng.choice(["woman", "man", None, "non_binary"]),
            lived_experience=set(rng.sample(["parenting", "veteran", "grief"], rng.randint(0, 2))),
            capacity=rng.randint(0, 3),
            current_caseload=rng.randint(0, 2),
            credential_valid=rng.random() > 0.15,
            **common(),  # type: ignore[arg-type]
        )
        for peer_id in ids
    ]
    m = MemberNeeds(
        id="m",
        gender=rng.choice(["woman", "man"]),
        peer_gender_preference=rng.choice([None, None, "woman", "man", "non_binary", "agender"]),
        lived_experience_wanted=set(rng.sample(["parenting", "veteran", "pregnancy"], rng.randint(0, 2))),
        **common(),  # type: ignore[arg-type]
    )
    caseloads = np.array([rng.randint(0, 3) for _ in peers], dtype=np.int64)
    excluded = set(rng.sample(ids, min(len(ids), rng.randint(0, 3)))) | {"not-a-peer"}
    return m, peers, caseloads, excluded, rng.choice([5.0, 20.0, 40.0, 100.0]), rng.randint(0, 12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_pools(), use_caseloads=st.booleans())
def test_indexed_suggestions_are_exactly_the_reference(
    case: tuple[MemberNeeds, list[PeerOffer], np.ndarray, set[object], float, int], use_caseloads: bool
) -> None:
    m, peers, caseloads, excluded, max_km, limit = case
    if use_caseloads:
        reference_peers = [
            PeerOffer(**{**p.__dict__, "current_caseload": int(n)}) for p, n in zip(peers, caseloads, strict=True)
        ]
    else:
        reference_peers = peers
    exclusions = {(m.id, peer_id) for peer_id in excluded} | {("someone else", p.id) for p in peers[:2]}
    expected = suggest(m, reference_peers, exclusions=exclusions, max_distance_km=max_km, limit=limit)  # type: ignore[arg-type]
    found = matching.suggest_indexed(
        m,
        matching.PeerIndex(peers),
        caseloads=caseloads if use_caseloads else None,
        excluded_ids=excluded,  # type: ignore[arg-type]
        max_distance_km=max_km,
        limit=limit,
    )
    assert found == expected
    assert [type(s.peer_id) for s in found] == [type(s.peer_id) for s in expected]


# ----------------------------------------------------------------------------- the round


def test_cardinality_comes_before_score_where_greedy_would_match_fewer() -> None:
    # Greedy by score gives the Spanish-speaking coach to the English speaker (their best
    # pair) and strands the member who speaks only Spanish. The optimum matches both.
    bilingual = member("m1", languages={"en", "es"}, pathways={"medication"})
    spanish_only = member("m2", languages={"es"})
    coach = peer("p1", languages={"en", "es"}, pathways={"medication"}, capacity=1)
    english = peer("p2", languages={"en"}, capacity=1)
    assert score_pair(bilingual, coach, max_distance_km=40)[0] > score_pair(spanish_only, coach, max_distance_km=40)[0]
    result = assign([bilingual, spanish_only], [coach, english])
    assert sorted((a.member_id, a.peer_id) for a in result.assignments) == [("m1", "p2"), ("m2", "p1")]
    assert result.unassigned == []


def test_objective_is_the_sum_of_assignment_scores_and_each_carries_its_reasons() -> None:
    members = [member(f"m{i}", pathways={"medication"} if i % 2 else set()) for i in range(5)]
    peers = [peer("p1", pathways={"medication"}, capacity=2), peer("p2", capacity=2)]
    result = assign(members, peers)
    assert len(result.assignments) == 4
    assert result.objective == pytest.approx(sum(a.score for a in result.assignments))
    for a in result.assignments:
        m = next(x for x in members if x.id == a.member_id)
        p = next(x for x in peers if x.id == a.peer_id)
        assert (a.score, a.reasons) == score_pair(m, p, max_distance_km=40)[:2]


TAGS = ["twelve_step", "medication", "smart"]
SLOTS = ["mon-evening", "tue-evening", "sat-morning"]


def random_scenario(
    rng: random.Random, n_members: int, n_peers: int, *, spread: float = 0.5, world: bool = False
) -> tuple[list[MemberNeeds], list[PeerOffer], set[tuple[str, str]]]:
    def where() -> tuple[float, float] | None:
        if rng.random() < 0.1:
            return None
        if world:
            return (rng.uniform(-90, 90), rng.uniform(-180, 180))
        return (LA[0] + rng.uniform(-spread, spread), LA[1] + rng.uniform(-spread, spread))

    def common() -> dict[str, object]:
        return {
            "languages": rng.choice([{"en"}, {"en"}, {"es"}, {"en", "es"}, {"fr"}]),
            "pathways": set(rng.sample(TAGS, rng.randint(0, 2))),
            "substances": set(rng.sample(["alcohol", "opioids"], rng.randint(0, 2))),
            "location": where(),
            "remote_ok": rng.random() < 0.5,
            "availability": set(rng.sample(SLOTS, rng.randint(0, 3))),
            "age": rng.choice([None, *range(18, 70)]),
        }

    members = [
        MemberNeeds(
            id=f"m{i}",
            gender=rng.choice(["woman", "man"]),
            peer_gender_preference=rng.choice([None, None, None, "woman", "man"]),
            lived_experience_wanted=set(rng.sample(["parenting", "veteran"], rng.randint(0, 2))),
            **common(),  # type: ignore[arg-type]
        )
        for i in range(n_members)
    ]
    peers = [
        PeerOffer(
            id=f"p{j}",
            gender=rng.choice(["woman", "man"]),
            lived_experience=set(rng.sample(["parenting", "veteran"], rng.randint(0, 2))),
            capacity=rng.randint(0, 3),
            current_caseload=rng.randint(0, 1),
            credential_valid=rng.random() > 0.1,
            **common(),  # type: ignore[arg-type]
        )
        for j in range(n_peers)
    ]
    exclusions = {(m.id, rng.choice(peers).id) for m in members if rng.random() < 0.2} if peers else set()
    return members, peers, exclusions


def brute_force(
    members: list[MemberNeeds], peers: list[PeerOffer], exclusions: set[tuple[str, str]]
) -> tuple[int, int]:
    """(most members matched, best total in hundredths) by trying every assignment."""
    options = []
    for m in members:
        row = [None]
        for j, p in enumerate(peers):
            if why_not(m, p, excluded=(m.id, p.id) in exclusions, max_distance_km=40) is None:
                row.append((j, round(score_pair(m, p, max_distance_km=40)[0] * 100)))
        options.append(row)
    best = (0, 0)
    for choice in itertools.product(*options):
        load = [0] * len(peers)
        for pick in choice:
            if pick is not None:
                load[pick[0]] += 1
        if any(load[j] > peers[j].free_places for j in range(len(peers))):
            continue
        picks = [pick for pick in choice if pick is not None]
        best = max(best, (len(picks), sum(points for _, points in picks)))
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_members=st.integers(0, 6), n_peers=st.integers(0, 3))
def test_round_is_optimal_against_brute_force_most_matched_then_best_score(
    seed: int, n_members: int, n_peers: int
) -> None:
    members, peers, exclusions = random_scenario(seeded(seed), n_members, n_peers, spread=0.3)
    result = assign(members, peers, exclusions=exclusions)
    count, hundredths = brute_force(members, peers, exclusions)
    assert len(result.assignments) == count
    assert round(result.objective * 100) == hundredths


def check_round(
    result: matching.RoundResult,
    members: list[MemberNeeds],
    peers: list[PeerOffer],
    exclusions: set[tuple[str, str]],
    max_distance_km: float = 40.0,
) -> None:
    by_id = {p.id: p for p in peers}
    members_by_id = {m.id: m for m in members}
    load: dict[str, int] = {}
    for a in result.assignments:
        m, p = members_by_id[a.member_id], by_id[a.peer_id]
        assert why_not(m, p, excluded=(m.id, p.id) in exclusions, max_distance_km=max_distance_km) is None
        load[p.id] = load.get(p.id, 0) + 1
    for peer_id, used in load.items():
        assert used <= by_id[peer_id].free_places
    seen = [a.member_id for a in result.assignments] + [member_id for member_id, _ in result.unassigned]
    assert sorted(seen) == sorted(m.id for m in members)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_members=st.integers(0, 60), n_peers=st.integers(0, 15), top_k=st.integers(1, 4))
def test_hard_rules_and_capacities_are_never_broken_and_pruning_keeps_the_maximum_matched(
    seed: int, n_members: int, n_peers: int, top_k: int
) -> None:
    members, peers, exclusions = random_scenario(seeded(seed), n_members, n_peers)
    exact = assign(members, peers, exclusions=exclusions)
    pruned = assign(members, peers, exclusions=exclusions, top_k=top_k)
    check_round(exact, members, peers, exclusions)
    check_round(pruned, members, peers, exclusions)
    assert len(pruned.assignments) == len(exact.assignments)
    assert pruned.objective <= exact.objective + 1e-9


def test_round_matches_an_independent_exact_solver_on_a_medium_scenario() -> None:
    from scipy.optimize import linear_sum_assignment

    members, peers, exclusions = random_scenario(seeded(7), 150, 25)
    result = assign(members, peers, exclusions=exclusions)
    scores = feasible_scores(members, peers, exclusions=exclusions)
    slots = [p.id for p in peers for _ in range(p.free_places if p.credential_valid else 0)]
    big = 10.0**7
    weights = np.zeros((len(members), len(slots)))
    for row, m in enumerate(members):
        for column, peer_id in enumerate(slots):
            if peer_id in scores[m.id]:
                weights[row, column] = big + round(scores[m.id][peer_id] * 100)
    rows, columns = linear_sum_assignment(weights, maximize=True)
    chosen = weights[rows, columns]
    chosen = chosen[chosen > 0]
    assert len(result.assignments) == len(chosen)
    assert round(result.objective * 100) == round(float(np.sum(chosen - big)))
    pruned = assign(members, peers, exclusions=exclusions, top_k=3)
    assert len(pruned.assignments) == len(chosen)
    assert pruned.objective >= 0.97 * result.objective


def test_same_input_gives_the_same_round_twice() -> None:
    members, peers, exclusions = random_scenario(seeded(3), 80, 12)
    assert assign(members, peers, exclusions=exclusions) == assign(members, peers, exclusions=exclusions)


# ----------------------------------------------------------------------------- vectorised == reference


@pytest.mark.parametrize(("world", "max_distance_km"), [(False, 40.0), (False, 5.0), (True, 3000.0), (True, 15000.0)])
def test_vectorised_scores_and_feasibility_equal_the_reference(world: bool, max_distance_km: float) -> None:
    members, peers, exclusions = random_scenario(seeded(11), 220, 90, spread=0.6, world=world)
    scores = feasible_scores(members, peers, exclusions=exclusions, max_distance_km=max_distance_km)
    feasible_pairs = 0
    for m in members:
        for p in peers:
            reference = why_not(m, p, excluded=(m.id, p.id) in exclusions, max_distance_km=max_distance_km)
            assert (p.id in scores[m.id]) == (reference is None), (m, p, reference)
            if reference is None:
                feasible_pairs += 1
                assert scores[m.id][p.id] == pytest.approx(
                    score_pair(m, p, max_distance_km=max_distance_km)[0], abs=1e-9
                )
    assert feasible_pairs > 200


def test_vectorised_block_over_all_peers_agrees_with_the_planned_blocks() -> None:
    members, peers, exclusions = random_scenario(seeded(5), 120, 40, spread=2.0)
    engine = matching._Engine(members, peers, exclusions, 40.0)
    everything = engine.block(np.arange(len(members)), np.arange(len(peers)))
    planned = np.full_like(everything, -1)
    for block in engine.plan(np.arange(len(members))):
        score, _ = engine.evaluate(block.rows, block.columns, block.near)
        planned[np.ix_(block.rows, block.columns)] = score.astype(np.int32) - 1
    assert (planned == everything).all()


def test_reason_cache_gives_exactly_the_reference_score_and_reasons() -> None:
    members, peers, _ = random_scenario(seeded(13), 60, 40, spread=0.4)
    cache = matching._ReasonCache(40.0)
    for m in members:
        for p in peers:
            hundredths, reasons, _ = matching._score_parts(m, p, 40.0)
            assert cache.score(m, p) == (hundredths, reasons)


def _round_with_stats(
    members: list[MemberNeeds], peers: list[PeerOffer], exclusions: set[tuple[str, str]], top_k: int | None
) -> tuple[matching.RoundResult, dict[str, object]]:
    stats: dict[str, object] = {}
    return assign(members, peers, exclusions=exclusions, top_k=top_k, stats=stats), stats


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_members=st.integers(0, 6), n_peers=st.integers(0, 3), top_k=st.integers(1, 3))
def test_dual_bound_is_at_least_the_brute_force_optimum(seed: int, n_members: int, n_peers: int, top_k: int) -> None:
    members, peers, exclusions = random_scenario(seeded(seed), n_members, n_peers, spread=0.3)
    _, best = brute_force(members, peers, exclusions)
    for k in (None, top_k):
        result, stats = _round_with_stats(members, peers, exclusions, k)
        bound, _ = matching.dual_bound(
            members,
            peers,
            stats["matched"],
            stats["arcs"],
            exclusions=exclusions,  # type: ignore[arg-type]
        )
        assert round(bound * 100) >= best >= round(result.objective * 100)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dual_bound_is_exact_on_the_complete_graph_and_proves_pruned_rounds(seed: int) -> None:
    members, peers, exclusions = random_scenario(seeded(seed), 300, 40, spread=0.8)
    exact, stats = _round_with_stats(members, peers, exclusions, None)
    bound, info = matching.dual_bound(
        members,
        peers,
        stats["matched"],
        stats["arcs"],
        exclusions=exclusions,  # type: ignore[arg-type]
    )
    # every feasible pair was solved, so its optimal prices price out the whole graph
    assert bound == pytest.approx(exact.objective, abs=0.011)
    assert info["rounds"][0]["added"] == 0
    for top_k in (2, 5):
        pruned, stats = _round_with_stats(members, peers, exclusions, top_k)
        assert len(pruned.assignments) == len(exact.assignments)
        no_pricing, _ = matching.dual_bound(
            members,
            peers,
            stats["matched"],
            stats["arcs"],
            exclusions=exclusions,  # type: ignore[arg-type]
        )
        priced, _ = matching.dual_bound(
            members,
            peers,
            stats["matched"],  # type: ignore[arg-type]
            stats["arcs"],  # type: ignore[arg-type]
            exclusions=exclusions,
            pricing_rounds=5,
        )
        assert no_pricing >= priced >= exact.objective - 0.011 >= pruned.objective - 0.011
        assert priced == pytest.approx(exact.objective, abs=0.011)


def test_dual_bound_refuses_a_matching_that_is_not_maximum() -> None:
    m1, m2 = member("m1"), member("m2")
    p1 = peer("p1", capacity=2)
    stats: dict[str, object] = {}
    assign([m1, m2], [p1], stats=stats)
    matched = np.array([0, -1])
    with pytest.raises(ValueError, match="not maximum"):
        matching.dual_bound([m1, m2], [p1], matched, stats["arcs"])  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [4, 5])
def test_pruned_round_is_close_to_exact_on_medium_scenarios(seed: int) -> None:
    members, peers, exclusions = random_scenario(seeded(seed), 400, 60, spread=0.8)
    exact = assign(members, peers, exclusions=exclusions)
    pruned, stats = _round_with_stats(members, peers, exclusions, 8)
    check_round(pruned, members, peers, exclusions)
    assert len(pruned.assignments) == len(exact.assignments)
    assert pruned.objective >= 0.995 * exact.objective
    phases = stats["phases"]
    assert set(phases) >= {"setup", "scoring + selection", "flow solve", "reasons"}  # type: ignore[arg-type]


def test_both_choosing_other_is_not_a_shared_pathway_or_substance():
    member = MemberNeeds(id="m", languages={"en"}, pathways={"other"}, substances={"Other"}, remote_ok=True)
    peer = PeerOffer(
        id="p",
        languages={"en"},
        pathways={"other"},
        substances={"other"},
        remote_ok=True,
        capacity=1,
        credential_valid=True,
    )
    score, reasons, _distance = score_pair(member, peer, max_distance_km=40)
    assert not {r.code for r in reasons} & {"pathway", "substance"}
    assert score == score_pair(MemberNeeds(id="m", languages={"en"}, remote_ok=True), peer, max_distance_km=40)[0]

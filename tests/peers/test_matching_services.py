"""Matching in the product: hard rules end to end through the database, requests and their
answers, changing peers, exclusions and program-wide rounds.

The demo cast: Drew (Spanish and English, medication-assisted path, Santa Ana, in person
only) and Kai (English, 12-step, Long Beach) are waiting; Riley walks with Sam; Luz speaks
Spanish and lives in Santa Ana; Jamie's credential is not verified and Jamie meets only
by phone or video.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.functional import Promise

from alongside.accounts.models import CareRelation, CareTeamLink, Membership, OutboundEmail, Role, User
from alongside.peers import matching, reasons
from alongside.peers import selectors as sel
from alongside.peers import services as services
from alongside.peers.models import (
    MatchPreferences,
    MatchRequest,
    MatchRequestStatus,
    MatchRoundStatus,
    PeerProfile,
    PeerProgramSettings,
)
from alongside.recovery.models import RecoveryProfile


@pytest.fixture(autouse=True)
def _fresh_pool_cache():
    sel.pool_cache_clear()
    yield
    sel.pool_cache_clear()


def person(handle: str) -> User:
    return User.objects.get(handle=handle)


def suggested(cast, handle: str) -> list[str]:
    member = person(handle)
    return [s.card.display_name for s in sel.suggestions_for(member, member, cast.harbor)]


def profile_update(handle: str, **fields) -> None:
    # As the profile services do: every change moves updated_at (the pool cache relies on it).
    PeerProfile.objects.filter(user__handle=handle).update(updated_at=timezone.now(), **fields)


def prefs_update(handle: str, **fields) -> None:
    MatchPreferences.objects.filter(user__handle=handle).update(**fields)


def not_requiring_credentials(cast) -> None:
    PeerProgramSettings.objects.filter(program=cast.harbor).update(credentials_required=False)


# --- hard rules ------------------------------------------------------------------------------


def test_drew_is_offered_luz_first_with_plain_reasons(cast):
    drew = person("drew")
    found = sel.suggestions_for(drew, drew, cast.harbor)
    assert [s.card.display_name for s in found] == ["Luz H.", "Sam O."]
    luz = found[0]
    assert luz.fit == "strong"
    texts = [str(t) for t in luz.reason_texts]
    assert "also on a medication-assisted path" in texts
    assert "has lived experience as a parent" in texts
    assert "speaks Spanish" in texts
    assert "free Tuesday mornings" in texts


def test_gender_preference_is_honoured(cast):
    prefs_update("drew", peer_gender_preference="woman")
    assert suggested(cast, "drew") == ["Luz H."]
    prefs_update("drew", peer_gender_preference="man")
    assert suggested(cast, "drew") == ["Sam O."]
    prefs_update("kai", peer_gender_preference="non_binary")
    not_requiring_credentials(cast)
    assert suggested(cast, "kai") == ["Jamie P."]


def test_a_shared_language_is_required(cast):
    RecoveryProfile.objects.filter(user__handle="kai").update(languages=["vi"])
    assert suggested(cast, "kai") == []
    RecoveryProfile.objects.filter(user__handle="kai").update(languages=["vi", "es"])
    assert suggested(cast, "kai") == ["Luz H.", "Sam O."] or set(suggested(cast, "kai")) == {"Luz H.", "Sam O."}


def test_an_exclusion_keeps_a_pair_apart_everywhere(cast):
    services.match_exclusion_add(
        program=cast.harbor, member=person("drew"), peer=person("luz"), reason="neighbours", created_by=cast.alex
    )
    assert suggested(cast, "drew") == ["Sam O."]
    with pytest.raises(ValidationError):
        services.match_request_create(
            program=cast.harbor, member=person("drew"), peer=person("luz"), requested_by=person("drew")
        )
    matching_round = services.match_round_run(program=cast.harbor, admin=cast.alex)
    assert not matching_round.proposals.filter(member=person("drew"), peer=person("luz")).exists()


def test_an_exclusion_withdraws_a_waiting_request_between_the_pair(cast):
    drew, luz = person("drew"), person("luz")
    waiting = services.match_request_create(program=cast.harbor, member=drew, peer=luz, requested_by=drew)
    services.match_exclusion_add(program=cast.harbor, member=drew, peer=luz, reason="", created_by=cast.alex)
    waiting.refresh_from_db()
    assert waiting.status == MatchRequestStatus.WITHDRAWN


def test_a_full_peer_is_not_suggested_and_a_waiting_request_holds_a_place(cast):
    # Sam walks with three members; a capacity of 4 leaves one place.
    profile_update("sam", capacity=4)
    assert "Sam O." in suggested(cast, "kai")
    drew = person("drew")
    services.match_request_create(program=cast.harbor, member=drew, peer=cast.sam, requested_by=drew)
    assert "Sam O." not in suggested(cast, "kai")
    profile_update("sam", capacity=3)
    assert "Sam O." not in suggested(cast, "drew")


def test_an_unverified_credential_rules_a_peer_out_where_the_program_requires_one(cast):
    assert "Jamie P." not in suggested(cast, "kai")
    why = {w.display_name: str(w.reason) for w in sel.why_not_for(cast.alex, person("kai"), cast.harbor)}
    assert why["Jamie P."] == "their credential is not verified, or it has expired"
    not_requiring_credentials(cast)
    assert "Jamie P." in suggested(cast, "kai")


def test_an_expired_credential_rules_a_peer_out(cast):
    from alongside.peers.models import Credential

    today = sel.program_today(cast.harbor)
    Credential.objects.filter(profile__user__handle="luz").update(
        issued_on=today - dt.timedelta(days=800),
        expires_on=today - dt.timedelta(days=1),
        updated_at=timezone.now(),
    )
    assert "Luz H." not in suggested(cast, "drew")


def test_a_peer_who_is_not_taking_anyone_new_is_not_suggested(cast):
    profile_update("luz", accepting_new=False)
    assert suggested(cast, "drew") == ["Sam O."]
    why = {w.display_name: str(w.reason) for w in sel.why_not_for(cast.alex, person("drew"), cast.harbor)}
    assert why["Luz H."] == "not taking on someone new right now"


def test_in_person_pairs_stay_within_the_programs_distance(cast):
    # Drew meets only in person; Sam is about 13 km away, Luz in the same city.
    PeerProgramSettings.objects.filter(program=cast.harbor).update(match_max_distance_km=5)
    assert suggested(cast, "drew") == ["Luz H."]


def test_a_peer_who_does_not_meet_in_person_matches_only_members_open_to_remote(cast):
    not_requiring_credentials(cast)
    assert "Jamie P." not in suggested(cast, "drew")  # Drew is in person only
    assert "Jamie P." in suggested(cast, "kai")
    prefs_update("drew", remote_ok=True)
    assert "Jamie P." in suggested(cast, "drew")


def test_a_peer_who_lost_the_peer_role_is_not_suggested(cast):
    Membership.objects.filter(program=cast.harbor, user__handle="luz").update(role=Role.MEMBER)
    assert "Luz H." not in suggested(cast, "drew")


def test_the_current_peer_is_not_suggested_again(cast):
    assert "Sam O." not in suggested(cast, "riley")
    assert "Luz H." in suggested(cast, "riley")


def test_age_ranges_count_as_their_midpoint(cast):
    assert sel.age_of("25-34") == 30
    assert sel.age_of("65+") == 70
    assert sel.age_of("") is None
    assert sel.member_needs_of(person("drew")).age == 30


def test_a_member_with_no_languages_yet_is_matched_in_the_language_they_use_here(cast):
    RecoveryProfile.objects.filter(user__handle="kai").update(languages=[])
    assert sel.member_needs_of(person("kai")).languages == frozenset({"en"})


# --- requests and answers ------------------------------------------------------------------------


def test_request_then_accept_creates_the_care_team_link_and_ends_the_old_one(cast):
    luz = person("luz")
    ask = services.match_request_create(
        program=cast.harbor, member=cast.riley, peer=luz, requested_by=cast.riley, message="I'd like a change."
    )
    # The current peer stays until the new one says yes.
    assert CareTeamLink.objects.filter(member=cast.riley, supporter=cast.sam, ended_at__isnull=True).exists()
    services.match_request_accept(match_request=ask, peer=luz)
    ask.refresh_from_db()
    assert ask.status == MatchRequestStatus.ACCEPTED
    peers_now = CareTeamLink.objects.filter(member=cast.riley, relation=CareRelation.PEER, ended_at__isnull=True)
    assert [link.supporter for link in peers_now] == [luz]
    assert CareTeamLink.objects.get(member=cast.riley, supporter=cast.sam).ended_at is not None
    moved_on = OutboundEmail.objects.get(to=cast.sam.email, idempotency_key__startswith="match-moved-on:")
    assert "riley" in moved_on.subject
    assert "nobody's fault" in moved_on.body_text
    assert "I'd like a change." not in moved_on.body_text
    assert OutboundEmail.objects.filter(to=cast.riley.email, idempotency_key=f"match-accepted:{ask.pk}").exists()


def test_the_peer_is_emailed_once_with_only_the_members_handle(cast):
    drew, luz = person("drew"), person("luz")
    ask = services.match_request_create(
        program=cast.harbor, member=drew, peer=luz, requested_by=drew, message="I have two kids and a new job"
    )
    email = OutboundEmail.objects.get(idempotency_key=f"match-request:{ask.pk}")
    assert email.to == luz.email
    assert "drew" in email.body_text
    for private in ("two kids", drew.email, "Drew Santos", "Santa Ana", "opioid"):
        assert private not in email.body_text
    assert "/p/harbor/matches/requests/" in email.body_text


def test_decline_keeps_the_member_waiting_and_points_to_other_peers(cast):
    drew, luz = person("drew"), person("luz")
    ask = services.match_request_create(program=cast.harbor, member=drew, peer=luz, requested_by=drew)
    services.match_request_decline(match_request=ask, peer=luz, note="Full until spring")
    ask.refresh_from_db()
    assert ask.status == MatchRequestStatus.DECLINED
    assert ask.decline_note == "Full until spring"
    assert not CareTeamLink.objects.filter(member=drew, ended_at__isnull=True).exists()
    assert drew.pk in {int(n.id) for n in sel.waiting_members(cast.harbor).needs}
    assert suggested(cast, "drew") == ["Sam O."]
    kind = OutboundEmail.objects.get(idempotency_key=f"match-declined:{ask.pk}")
    assert "never a judgement of you" in kind.body_text
    assert "Full until spring" not in kind.body_text
    assert sel.my_matching(drew, cast.harbor).recently_declined == ask


def test_one_pending_request_per_member(cast):
    drew, luz = person("drew"), person("luz")
    first = services.match_request_create(program=cast.harbor, member=drew, peer=luz, requested_by=drew)
    with pytest.raises(ValidationError) as refused:
        services.match_request_create(program=cast.harbor, member=drew, peer=cast.sam, requested_by=drew)
    assert refused.value.code == "pending_exists"
    with pytest.raises(ValidationError):
        services.match_request_create(program=cast.harbor, member=drew, peer=luz, requested_by=drew, replace=True)
    second = services.match_request_create(
        program=cast.harbor, member=drew, peer=cast.sam, requested_by=drew, replace=True
    )
    first.refresh_from_db()
    assert first.status == MatchRequestStatus.WITHDRAWN
    assert MatchRequest.objects.filter(member=drew, status=MatchRequestStatus.PENDING).get() == second


def test_only_the_peer_asked_can_answer_and_only_once(cast):
    drew, luz = person("drew"), person("luz")
    ask = services.match_request_create(program=cast.harbor, member=drew, peer=luz, requested_by=drew)
    with pytest.raises(ValidationError):
        services.match_request_accept(match_request=ask, peer=cast.sam)
    services.match_request_withdraw(match_request=ask, by=drew)
    with pytest.raises(ValidationError) as late:
        services.match_request_accept(match_request=ask, peer=luz)
    assert late.value.code == "not_pending"


def test_a_peer_at_capacity_cannot_accept_more(cast):
    kai = person("kai")
    profile_update("sam", capacity=4)
    ask = services.match_request_create(program=cast.harbor, member=kai, peer=cast.sam, requested_by=kai)
    profile_update("sam", capacity=3)
    with pytest.raises(ValidationError, match="the most you said you can"):
        services.match_request_accept(match_request=ask, peer=cast.sam)


def test_only_members_and_admins_ask(cast):
    with pytest.raises(ValidationError):
        services.match_request_create(
            program=cast.harbor, member=person("drew"), peer=person("luz"), requested_by=cast.sam
        )
    ask = services.match_request_create(
        program=cast.harbor, member=person("drew"), peer=person("luz"), requested_by=cast.alex
    )
    assert ask.requested_by == cast.alex


# --- rounds -------------------------------------------------------------------------------------------


def test_waiting_members_are_those_who_asked_and_have_nobody(cast):
    waiting = set(sel.waiting_members(cast.harbor).handles.values())
    assert waiting == {"drew", "kai"}  # Riley has Sam; morgan_k and avery.r walk with Sam too
    prefs_update("kai", looking=False)
    assert set(sel.waiting_members(cast.harbor).handles.values()) == {"drew"}
    # Without saved preferences, "someone with lived experience to talk to" counts.
    MatchPreferences.objects.filter(user__handle="kai").delete()
    assert "kai" in sel.waiting_members(cast.harbor).handles.values()
    RecoveryProfile.objects.filter(user__handle="kai").update(support_wanted=["meetings"])
    assert "kai" not in sel.waiting_members(cast.harbor).handles.values()


def test_a_round_proposes_and_changes_nothing_until_applied(cast):
    matching_round = services.match_round_run(program=cast.harbor, admin=cast.alex)
    assert matching_round.status == MatchRoundStatus.PROPOSED
    assert matching_round.members_waiting == 2
    pairs = {(p.member.handle, p.peer.handle) for p in matching_round.proposals.all()}
    assert pairs == {("drew", "luz"), ("kai", "sam")}
    assert not MatchRequest.objects.exists()
    applied = services.match_round_apply(matching_round=matching_round, admin=cast.alex)
    assert (applied.requested, applied.skipped) == (2, 0)
    requests = MatchRequest.objects.filter(status=MatchRequestStatus.PENDING)
    assert {(r.member.handle, r.peer.handle, r.requested_by) for r in requests} == {
        ("drew", "luz", cast.alex),
        ("kai", "sam", cast.alex),
    }
    # The peers still decide: nobody joined a care team yet.
    assert not CareTeamLink.objects.filter(member__handle__in=["drew", "kai"]).exists()
    matching_round.refresh_from_db()
    assert matching_round.status == MatchRoundStatus.APPLIED


def test_only_one_proposed_round_at_a_time(cast):
    first = services.match_round_run(program=cast.harbor, admin=cast.alex)
    with pytest.raises(ValidationError):
        services.match_round_run(program=cast.harbor, admin=cast.alex)
    services.match_round_discard(matching_round=first, admin=cast.alex)
    assert services.match_round_run(program=cast.harbor, admin=cast.alex).pk != first.pk
    assert not MatchRequest.objects.exists()


def test_stale_proposals_are_skipped_with_a_note(cast):
    drew, luz = person("drew"), person("luz")
    matching_round = services.match_round_run(program=cast.harbor, admin=cast.alex)
    # Meanwhile Drew found Luz by himself, and Sam filled up.
    ask = services.match_request_create(program=cast.harbor, member=drew, peer=luz, requested_by=drew)
    services.match_request_accept(match_request=ask, peer=luz)
    profile_update("sam", capacity=3)
    applied = services.match_round_apply(matching_round=matching_round, admin=cast.alex)
    assert (applied.requested, applied.skipped) == (0, 2)
    notes = {p.member.handle: p.note for p in matching_round.proposals.all()}
    assert notes == {"drew": "member_not_waiting", "kai": "the peer is at capacity"}
    views, _left_out = sel.round_detail(matching_round)
    assert {str(v.note_text) for v in views} == {
        "the member is no longer waiting (they have a peer or a request, or stopped looking)",
        "no free place right now",
    }
    assert MatchRequest.objects.filter(status=MatchRequestStatus.PENDING).count() == 0


def test_a_round_says_why_a_member_was_left_out(cast):
    RecoveryProfile.objects.filter(user__handle="kai").update(languages=["vi"])
    matching_round = services.match_round_run(program=cast.harbor, admin=cast.alex)
    _views, left_out = sel.round_detail(matching_round)
    assert [(item.handle, str(item.reason)) for item in left_out] == [("kai", "no peer shares a language with them")]


def test_a_round_does_not_propose_a_peer_who_said_not_this_time_lately(cast):
    drew, luz = person("drew"), person("luz")
    ask = services.match_request_create(program=cast.harbor, member=drew, peer=luz, requested_by=drew)
    services.match_request_decline(match_request=ask, peer=luz)
    matching_round = services.match_round_run(program=cast.harbor, admin=cast.alex)
    assert matching_round.proposals.get(member=drew).peer == cast.sam


# --- words ---------------------------------------------------------------------------------------------


def test_reasons_are_lazy_strings_worded_in_the_readers_language():
    text = reasons.reason_text(matching.Reason("language", "es"))
    assert isinstance(text, Promise)
    assert str(text) == "speaks Spanish"
    with translation.override("es"):
        # Django's own catalogue names the language; the template follows the catalogue.
        assert "español" in str(text).lower()
    assert str(text) == "speaks Spanish"


def test_every_reason_code_has_words_and_unknown_ones_fall_back_to_english():
    for reason in (
        matching.Reason("pathway", "medication"),
        matching.Reason("pathway", "something_new"),
        matching.Reason("lived_experience", "parenting"),
        matching.Reason("substance", "opioids"),
        matching.Reason("availability", "tue-evening"),
        matching.Reason("distance", 15),
        matching.Reason("distance", 0),
        matching.Reason("age", 4),
        matching.Reason("remote", None),
    ):
        assert str(reasons.reason_text(reason))
    assert str(reasons.reason_text(matching.Reason("pathway", "something_new"))) == "also on a something new path"
    assert str(reasons.reason_text(matching.Reason("distance", 15))) == "15 km away"
    assert str(reasons.reason_text(matching.Reason("availability", "tue-evening"))) == "free Tuesday evenings"
    assert str(reasons.reason_text(matching.Reason("mystery", 3))) == matching.describe(matching.Reason("mystery", 3))
    assert str(
        reasons.rule_text("12 km apart (more than 5 km) and remote support is not possible for both")
    ).startswith("12 km apart")
    assert str(reasons.rule_text("a brand new rule")) == "a brand new rule"


# --- speed ----------------------------------------------------------------------------------------------


def _add_peers(cast, count: int, prefix: str = "peer") -> None:
    from alongside.peers.models import Credential

    users = User.objects.bulk_create(
        [User(email=f"{prefix}{i}@example.org", handle=f"{prefix}{i}") for i in range(count)]
    )
    Membership.objects.bulk_create([Membership(user=u, program=cast.harbor, role=Role.PEER) for u in users])
    profiles = PeerProfile.objects.bulk_create(
        [
            PeerProfile(
                program=cast.harbor,
                user=u,
                display_name=u.handle,
                languages=["en", "es"],
                pathways=["medication"],
                latitude=33.7,
                longitude=-117.9,
                capacity=5,
            )
            for u in users
        ]
    )
    today = sel.program_today(cast.harbor)
    Credential.objects.bulk_create(
        [
            Credential(
                profile=p, kind="cprs", issuer="x", issued_on=today, verified_at=timezone.now(), verified_by=cast.alex
            )
            for p in profiles
        ]
    )
    # a member for some of them, so caseloads are counted
    for u in users[:2]:
        CareTeamLink.objects.create(program=cast.harbor, member=cast.riley, supporter=u, relation=CareRelation.PEER)


def _queries_for_suggestions(cast) -> tuple[int, int, int]:
    drew = person("drew")
    sel.pool_cache_clear()
    with CaptureQueriesContext(connection) as cold:
        found = sel.suggestions_for(drew, drew, cast.harbor)
    with CaptureQueriesContext(connection) as warm:
        sel.suggestions_for(drew, drew, cast.harbor)
    return len(cold), len(warm), len(found)


def test_suggestion_query_count_does_not_grow_with_the_number_of_peers(cast):
    _add_peers(cast, 3)
    cold_few, warm_few, found_few = _queries_for_suggestions(cast)
    _add_peers(cast, 27, prefix="more")
    cold_many, warm_many, found_many = _queries_for_suggestions(cast)
    assert found_many > found_few
    assert cold_many == cold_few
    assert warm_many == warm_few
    assert warm_few < cold_few  # the pool came from the cache the second time


def test_the_pool_cache_notices_changes_to_peers(cast):
    drew = person("drew")
    assert suggested(cast, "drew") == ["Luz H.", "Sam O."]
    profile_update("luz", gender="man")  # cached now; a change must show at once
    prefs_update("drew", peer_gender_preference="woman")
    assert sel.suggestions_for(drew, drew, cast.harbor) == []
    from alongside.peers.models import Credential

    Credential.objects.filter(profile__user__handle="sam").update(verified_at=None, updated_at=timezone.now())
    prefs_update("drew", peer_gender_preference="")
    assert suggested(cast, "drew") == ["Luz H."]


def test_suggestions_agree_with_the_reference_core_and_reuse_the_cached_index(cast):
    program, kai = cast.harbor, person("kai")
    profile_update("sam", capacity=4)  # three members now: one place left
    found = sel.suggestions_for(kai, kai, program)
    blocked = sel.blocked_peer_ids(program, kai)
    expected = matching.suggest(
        sel.member_needs_of(kai),
        sel.match_pool(program, sel.program_today(program)),
        exclusions={(kai.pk, peer_id) for peer_id in blocked},
        max_distance_km=float(sel.program_peer_settings(program).match_max_distance_km),
    )
    assert [(s.card.user_id, s.score, s.reasons, s.distance_km) for s in found] == [
        (s.peer_id, s.score, s.reasons, s.distance_km) for s in expected
    ]
    assert "Sam O." in [s.card.display_name for s in found]
    index = sel._POOL_CACHE[program.pk].open_index
    # a waiting request takes Sam's last place: the pool is the same, the caseload is live
    drew = person("drew")
    services.match_request_create(program=program, member=drew, peer=cast.sam, requested_by=drew)
    assert "Sam O." not in suggested(cast, "kai")
    assert sel._POOL_CACHE[program.pk].open_index is index
    profile_update("luz", capacity=9)  # the pool changed: a new index
    suggested(cast, "kai")
    assert sel._POOL_CACHE[program.pk].open_index is not index


def test_match_pool_carries_each_peers_caseload(cast):
    pool = {offer.id: offer for offer in sel.match_pool(cast.harbor, sel.program_today(cast.harbor))}
    assert pool[cast.sam.pk].current_caseload == 3
    assert pool[cast.sam.pk].capacity == 6
    assert pool[person("luz").pk].current_caseload == 0
    assert pool[person("jamie.p").pk].credential_valid is False
    assert pool[person("jamie.p").pk].location is None  # meets only remotely


# --- preferences ------------------------------------------------------------------------------------------


def test_an_unknown_city_is_saved_without_coordinates(cast):
    saved = services.match_preferences_save(
        user=person("kai"),
        looking=True,
        gender="",
        peer_gender_preference="",
        age_range="",
        lived_experience_wanted=[],
        city="Nowhereville Flats",
        remote_ok=True,
        availability=[],
    )
    assert saved.located is False
    assert saved.preferences.latitude is None
    assert saved.preferences.city == "Nowhereville Flats"
    located = services.match_preferences_save(
        user=person("kai"),
        looking=True,
        gender="",
        peer_gender_preference="",
        age_range="45-54",
        lived_experience_wanted=["veteran"],
        city="Costa Mesa, CA",
        remote_ok=True,
        availability=["mon-morning"],
    )
    assert located.located is True
    assert round(located.preferences.latitude or 0) == 34


def test_preferences_refuse_values_outside_the_lists(cast):
    with pytest.raises(ValidationError) as refused:
        services.match_preferences_save(
            user=person("kai"),
            looking=True,
            gender="robot",
            peer_gender_preference="other",
            age_range="",
            lived_experience_wanted=["nope"],
            city="",
            remote_ok=True,
            availability=["someday"],
        )
    assert {"gender", "peer_gender_preference"} <= set(refused.value.message_dict)

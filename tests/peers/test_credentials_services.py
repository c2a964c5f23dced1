"""Credentials: saving, verification, CE hours, eligibility for matching and expiry reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alongside.accounts.models import OutboundEmail, User
from alongside.accounts.services import membership_add
from alongside.lib.tz import local_date, zone_named
from alongside.peers import selectors, services
from alongside.peers.models import Credential, CredentialReminderSent, PeerProfile, PeerProgramSettings


def _today():
    return local_date(timezone.now(), zone_named("America/Los_Angeles"))


def _profile(cast, handle="sam"):
    return PeerProfile.objects.get(program=cast.harbor, user__handle=handle)


def _sam_credential(cast) -> Credential:
    return Credential.objects.get(profile=_profile(cast))


def _save(credential: Credential, **changes) -> Credential:
    values = {
        "kind": credential.kind,
        "title": credential.title,
        "issuer": credential.issuer,
        "jurisdiction": credential.jurisdiction,
        "number": credential.number,
        "issued_on": credential.issued_on,
        "expires_on": credential.expires_on,
        "ce_hours_required": credential.ce_hours_required,
        "ce_ethics_hours_required": credential.ce_ethics_hours_required,
        **changes,
    }
    return services.credential_save(profile=credential.profile, credential=credential, **values)


# --- saving and verification -------------------------------------------------------------------


def test_peer_adds_a_credential_that_waits_for_an_admin(cast):
    credential = services.credential_save(
        profile=_profile(cast, "luz"),
        kind="cprs",
        issuer="CCAPP",
        issued_on=_today() - dt.timedelta(days=10),
        expires_on=_today() + dt.timedelta(days=700),
    )
    assert credential.verified_at is None
    assert selectors.credential_state_of(credential, _today()) == "unverified"


@pytest.mark.parametrize(
    "change",
    [
        {"number": "CPRS-99999"},
        {"expires_on": "later"},
        {"issued_on": "earlier"},
        {"kind": "ncprss"},
    ],
)
def test_changing_dates_number_or_type_of_a_verified_credential_clears_the_verification(cast, change):
    credential = _sam_credential(cast)
    assert credential.verified_at is not None
    if change.get("expires_on") == "later":
        change = {"expires_on": credential.expires_on + dt.timedelta(days=365)}
    if change.get("issued_on") == "earlier":
        change = {"issued_on": credential.issued_on - dt.timedelta(days=1)}
    _save(credential, **change)
    credential.refresh_from_db()
    assert credential.verified_at is None
    assert credential.verified_by is None


def test_changing_the_issuer_or_ce_requirement_keeps_the_verification(cast):
    credential = _sam_credential(cast)
    _save(credential, issuer="CCAPP", jurisdiction="CA", ce_hours_required=Decimal(42))
    credential.refresh_from_db()
    assert credential.verified_by == cast.alex


def test_admin_verifies_and_unverifies_and_who_and_when_are_kept(cast):
    credential = Credential.objects.get(profile=_profile(cast, "jamie.p"))
    services.credential_verify(credential=credential, admin=cast.alex)
    credential.refresh_from_db()
    assert credential.verified_by == cast.alex
    assert credential.verified_at is not None
    services.credential_unverify(credential=credential)
    credential.refresh_from_db()
    assert credential.verified_at is None


def test_only_an_admin_of_the_program_can_verify(cast):
    credential = Credential.objects.get(profile=_profile(cast, "jamie.p"))
    for someone in (cast.dana, cast.sam, cast.casey):
        with pytest.raises(PermissionDenied):
            services.credential_verify(credential=credential, admin=someone)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"expires_on": "before_issue"}, "expires_on"),
        ({"issued_on": "tomorrow"}, "issued_on"),
        ({"ce_ethics_hours_required": Decimal(50)}, "ce_ethics_hours_required"),
        ({"kind": "other", "title": ""}, "title"),
        ({"issuer": "   "}, "issuer"),
        ({"kind": "astrology"}, "kind"),
    ],
)
def test_bad_credential_input_names_the_field(cast, change, field):
    credential = _sam_credential(cast)
    if change.get("expires_on") == "before_issue":
        change = {"expires_on": credential.issued_on - dt.timedelta(days=1)}
    if change.get("issued_on") == "tomorrow":
        change = {"issued_on": _today() + dt.timedelta(days=2), "expires_on": None}
    with pytest.raises(ValidationError) as error:
        _save(credential, **change)
    assert field in error.value.message_dict


# --- CE hours ----------------------------------------------------------------------------------


def test_ce_hours_count_toward_the_renewal(cast):
    credential = _sam_credential(cast)
    services.ce_record(
        credential=credential,
        title="Ethics in peer work",
        completed_on=_today(),
        hours=Decimal("4.5"),
        ethics_hours=Decimal(2),
    )
    _program, membership = cast.harbor, cast.sam.memberships.get(program=cast.harbor)
    progress = selectors.ce_progress_of(selectors.get_credential_for(cast.sam, membership, credential.pk))
    assert progress.hours == Decimal("22.5")  # 12 + 6 from the demo
    assert progress.ethics_hours == Decimal(8)
    assert progress.hours_left == Decimal("17.5")


@pytest.mark.parametrize(
    ("hours", "ethics", "day", "field"),
    [
        (Decimal(2), Decimal(3), 0, "ethics_hours"),
        (Decimal(0), Decimal(0), 0, "hours"),
        (Decimal(2), Decimal(0), 3, "completed_on"),
    ],
)
def test_ce_entries_refuse_ethics_beyond_hours_zero_hours_and_future_dates(cast, hours, ethics, day, field):
    with pytest.raises(ValidationError) as error:
        services.ce_record(
            credential=_sam_credential(cast),
            title="Workshop",
            completed_on=_today() + dt.timedelta(days=day),
            hours=hours,
            ethics_hours=ethics,
        )
    assert field in error.value.message_dict


# --- eligibility -------------------------------------------------------------------------------


def test_eligible_peers_have_a_verified_current_credential(cast):
    luz = User.objects.get(handle="luz")
    # Sam and Luz are verified and current; Jamie's credential is not verified yet.
    assert selectors.eligible_peer_ids(cast.harbor, _today()) == {cast.sam.pk, luz.pk}


def test_an_expired_credential_makes_a_peer_ineligible(cast):
    credential = _sam_credential(cast)
    later = credential.expires_on + dt.timedelta(days=1)
    assert cast.sam.pk not in selectors.eligible_peer_ids(cast.harbor, later)
    assert cast.sam.pk in selectors.eligible_peer_ids(cast.harbor, credential.expires_on)


def test_without_a_credentials_rule_every_peer_is_eligible(cast):
    PeerProgramSettings.objects.filter(program=cast.harbor).update(credentials_required=False)
    ids = selectors.eligible_peer_ids(cast.harbor, _today())
    assert ids == set(PeerProfile.objects.filter(program=cast.harbor).values_list("user_id", flat=True))


def test_someone_no_longer_a_peer_is_not_eligible(cast):
    membership_add(user=cast.sam, program=cast.harbor, role="member")
    assert cast.sam.pk not in selectors.eligible_peer_ids(cast.harbor, _today())


def test_eligibility_takes_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        selectors.eligible_peer_ids(cast.harbor, _today())


# --- reminders ---------------------------------------------------------------------------------


def _reminders():
    return OutboundEmail.objects.filter(idempotency_key__startswith="credential-expiry:")


def _at(day: dt.date) -> dt.datetime:
    # Noon in Harbor's zone on that day.
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)), zone_named("America/Los_Angeles"))


def test_a_reminder_goes_to_the_peer_and_the_admins_once_per_lead(cast, django_capture_on_commit_callbacks):
    credential = _sam_credential(cast)
    expires = credential.expires_on
    with django_capture_on_commit_callbacks(execute=True):
        first = services.credential_reminders_send(now=_at(expires - dt.timedelta(days=30)))
        again = services.credential_reminders_send(now=_at(expires - dt.timedelta(days=30)))
    assert (first, again) == (1, 0)
    assert set(_reminders().values_list("to", flat=True)) == {cast.sam.email, cast.alex.email}
    assert CredentialReminderSent.objects.filter(credential=credential, days_before=30).count() == 1
    peer_mail = _reminders().get(to=cast.sam.email)
    assert "30 days" in peer_mail.subject


def test_each_lead_is_sent_once_over_a_run_of_days(cast):
    credential = _sam_credential(cast)
    expires = credential.expires_on
    for days_left in range(61, -2, -1):
        services.credential_reminders_send(now=_at(expires - dt.timedelta(days=days_left)))
        services.credential_reminders_send(now=_at(expires - dt.timedelta(days=days_left)))
    leads = sorted(CredentialReminderSent.objects.filter(credential=credential).values_list("days_before", flat=True))
    assert leads == [7, 30, 60]
    assert _reminders().filter(to=cast.sam.email).count() == 3


def test_a_renewed_credential_gets_its_reminders_afresh(cast):
    credential = _sam_credential(cast)
    services.credential_reminders_send(now=_at(credential.expires_on - dt.timedelta(days=7)))
    renewed = _save(credential, expires_on=credential.expires_on + dt.timedelta(days=730))
    assert services.credential_reminders_send(now=_at(renewed.expires_on - dt.timedelta(days=60))) == 1


def test_no_reminder_for_a_credential_far_from_expiry_or_without_one(cast):
    _save(_sam_credential(cast), expires_on=None)
    assert services.credential_reminders_send(now=timezone.now()) == 0
    assert not _reminders().exists()

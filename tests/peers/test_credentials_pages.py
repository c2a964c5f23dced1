"""Credential, CE, training and reference pages: evidence uploads, private downloads,
verification by admins, and references that only admins ever see."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from alongside.peers.models import Credential, PeerProfile, PeerReference, TrainingRecord

CREDENTIALS = "/p/harbor/peers/me/credentials/"
TRAINING = "/p/harbor/peers/me/training/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def private_dir(tmp_path, monkeypatch):
    """Private uploads go to a temporary folder for the test."""
    storage = Credential._meta.get_field("evidence").storage
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)
    monkeypatch.setattr(storage, "_location", str(tmp_path))
    yield tmp_path
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 200, 10)).save(out, format="PNG")
    return out.getvalue()


def credential_form(**changes):
    data = {
        "kind": "ccar_rc",
        "title": "",
        "issuer": "CCAR",
        "jurisdiction": "National",
        "number": "RC-1",
        "issued_on": "2024-01-10",
        "expires_on": "2027-01-10",
        "ce_hours_required": "20",
        "ce_ethics_hours_required": "3",
    }
    data.update(changes)
    return data


def sam_credential(cast) -> Credential:
    return Credential.objects.get(profile__user=cast.sam, profile__program=cast.harbor)


def detail(credential) -> str:
    return f"/p/harbor/peers/credentials/{credential.pk}/"


# --- adding, editing, evidence -----------------------------------------------------------------


def test_peer_adds_a_credential_with_pdf_evidence_stored_privately(cast, client_as, private_dir):
    evidence = SimpleUploadedFile("My Certificate.pdf", PDF, content_type="application/pdf")
    response = client_as("sam").post(CREDENTIALS, {**credential_form(), "evidence": evidence})
    assert response.status_code == 302
    credential = Credential.objects.filter(profile__user=cast.sam, kind="ccar_rc").get()
    assert credential.verified_at is None
    assert credential.evidence_name == "My Certificate.pdf"
    assert credential.evidence_content_type == "application/pdf"
    assert credential.evidence.name.startswith("credential-evidence/")
    assert "Certificate" not in credential.evidence.name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", png(), "is a PNG but its name ends in .pdf"),
        ("page.html", b"<!doctype html><html><body>hi</body></html>", "Choose a PDF, JPEG or PNG"),
        ("huge.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 1), "the limit for a document is 5 MB"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj<<>>", "looks incomplete"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_rejected_evidence_file_says_what_to_fix_and_keeps_the_typed_form(
    cast, client_as, private_dir, name, content, message
):
    response = client_as("sam").post(
        CREDENTIALS,
        {**credential_form(issuer="Typed issuer"), "evidence": SimpleUploadedFile(name, content, "application/pdf")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="Typed issuer"' in page
    assert not Credential.objects.filter(profile__user=cast.sam, kind="ccar_rc").exists()


def test_a_rejected_replacement_keeps_the_saved_evidence(cast, client_as, private_dir):
    client = client_as("sam")
    credential = sam_credential(cast)
    form = {
        "kind": credential.kind,
        "issuer": credential.issuer,
        "jurisdiction": credential.jurisdiction,
        "number": credential.number,
        "issued_on": credential.issued_on.isoformat(),
        "expires_on": credential.expires_on.isoformat(),
        "ce_hours_required": "40",
        "ce_ethics_hours_required": "6",
    }
    client.post(detail(credential), {**form, "evidence": SimpleUploadedFile("c.png", png(), "image/png")})
    credential.refresh_from_db()
    saved = credential.evidence.name
    assert saved
    response = client.post(detail(credential), {**form, "evidence": SimpleUploadedFile("c.pdf", png(), "image/png")})
    assert response.status_code == 400
    credential.refresh_from_db()
    assert credential.evidence.name == saved
    assert credential.evidence.storage.exists(saved)
    assert credential.verified_at is not None  # nothing about it changed


def test_editing_the_expiry_date_on_the_page_asks_for_verification_again(cast, client_as):
    credential = sam_credential(cast)
    client = client_as("sam")
    page = client.get(detail(credential)).content.decode()
    assert "sends it back to an admin to verify again" in page
    response = client.post(
        detail(credential),
        credential_form(kind="cprs", issuer=credential.issuer, issued_on=credential.issued_on.isoformat()),
        follow=True,
    )
    assert "an admin needs to verify it again" in response.content.decode()
    credential.refresh_from_db()
    assert credential.verified_at is None


def test_evidence_is_downloadable_by_the_holder_and_admins_only(cast, client_as, private_dir):
    client_as("sam").post(
        CREDENTIALS,
        {**credential_form(), "evidence": SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf")},
    )
    credential = Credential.objects.get(profile__user=cast.sam, kind="ccar_rc")
    url = f"{detail(credential)}evidence/"
    for persona in ("sam", "alex"):
        response = client_as(persona).get(url)
        assert response.status_code == 200, persona
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == PDF
    for persona in ("riley", "dana", "jordan"):
        assert client_as(persona).get(url).status_code == 403, persona
    assert client_as("casey").get(url).status_code == 404


def test_another_peer_cannot_open_sams_credential(cast, client_as):
    from django.test import Client

    from alongside.accounts.models import User

    luz = Client()
    luz.force_login(User.objects.get(handle="luz"))
    assert luz.get(detail(sam_credential(cast))).status_code == 403


# --- CE hours on the page ----------------------------------------------------------------------


def test_peer_logs_ce_hours_and_sees_progress(cast, client_as):
    credential = sam_credential(cast)
    client = client_as("sam")
    response = client.post(
        f"{detail(credential)}ce/",
        {"title": "Trauma-informed care", "completed_on": "2024-06-01", "hours": "4", "ethics_hours": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "Trauma-informed care" in page
    assert "22 of 40 hours (6 of 6 ethics)" in page


def test_ethics_hours_above_the_hours_are_refused_and_the_entry_is_kept_in_the_form(cast, client_as):
    credential = sam_credential(cast)
    response = client_as("sam").post(
        f"{detail(credential)}ce/",
        {"title": "Ethics day", "completed_on": "2024-06-01", "hours": "2", "ethics_hours": "3"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be more than" in page
    assert 'value="Ethics day"' in page


# --- verification ------------------------------------------------------------------------------


def test_admin_verifies_on_the_page_and_sees_who_and_when(cast, client_as):
    credential = Credential.objects.get(profile__user__handle="jamie.p")
    client = client_as("alex")
    page = client.post(f"{detail(credential)}verify/", {"verified": "1"}, follow=True).content.decode()
    assert "Credential verified." in page
    assert "By alex on" in page
    client.post(f"{detail(credential)}verify/", {"verified": "0"})
    credential.refresh_from_db()
    assert credential.verified_at is None


def test_a_peer_cannot_verify_their_own_credential(cast, client_as):
    credential = Credential.objects.get(profile__user=cast.sam)
    assert client_as("sam").post(f"{detail(credential)}verify/").status_code == 403
    assert client_as("dana").post(f"{detail(credential)}verify/").status_code == 403


def test_an_admin_reads_a_credential_but_cannot_edit_it(cast, client_as):
    credential = sam_credential(cast)
    page = client_as("alex").get(detail(credential)).content.decode()
    assert "Verify" in page or "Remove verification" in page
    assert "Change this credential" not in page
    assert client_as("alex").post(detail(credential), credential_form()).status_code == 403


# --- training ----------------------------------------------------------------------------------


def test_peer_logs_training_with_a_certificate_that_admins_can_open(cast, client_as, private_dir):
    client = client_as("sam")
    response = client.post(
        TRAINING,
        {
            "course": "Mental Health First Aid",
            "provider": "National Council",
            "hours": "8",
            "completed_on": "2024-03-02",
            "certificate": SimpleUploadedFile("mhfa.png", png(), "image/png"),
        },
    )
    assert response.status_code == 302
    record = TrainingRecord.objects.get(course="Mental Health First Aid")
    url = f"/p/harbor/peers/training/{record.pk}/certificate/"
    assert client_as("alex").get(url).status_code == 200
    assert client_as("sam").get(url).status_code == 200
    assert client_as("dana").get(url).status_code == 403
    assert client_as("casey").get(url).status_code == 404
    manage = client_as("alex").get(f"/p/harbor/peers/{cast.sam.pk}/manage/").content.decode()
    assert "Mental Health First Aid" in manage


def test_training_with_no_hours_is_refused_with_the_course_kept(cast, client_as):
    response = client_as("sam").post(TRAINING, {"course": "Kept course", "hours": "0", "completed_on": "2024-03-02"})
    assert response.status_code == 400
    assert 'value="Kept course"' in response.content.decode()


# --- references --------------------------------------------------------------------------------


def test_admin_adds_and_checks_a_reference(cast, client_as):
    client = client_as("alex")
    manage = f"/p/harbor/peers/{cast.sam.pk}/manage/"
    response = client.post(
        manage,
        {"form": "reference", "name": "Chris Vega", "relationship": "Sponsor", "contact": "555-0100", "notes": ""},
    )
    assert response.status_code == 302
    reference = PeerReference.objects.get(name="Chris Vega")
    client.post(f"/p/harbor/peers/references/{reference.pk}/check/", {"checked": "1"})
    reference.refresh_from_db()
    assert reference.checked_by == cast.alex
    assert reference.checked_at is not None
    assert "Checked by alex" in client.get(manage).content.decode()


def test_references_are_never_shown_to_the_peer(cast, client_as):
    reference = PeerReference.objects.get(profile__user=cast.sam)
    sam = client_as("sam")
    for url in (
        "/p/harbor/peers/me/",
        CREDENTIALS,
        TRAINING,
        f"/p/harbor/peers/{cast.sam.pk}/",
        detail(sam_credential(cast)),
    ):
        assert reference.name not in sam.get(url).content.decode(), url
    assert sam.get(f"/p/harbor/peers/references/{reference.pk}/").status_code == 403
    assert sam.get(f"/p/harbor/peers/{cast.sam.pk}/manage/").status_code == 403
    assert client_as("dana").get(f"/p/harbor/peers/references/{reference.pk}/").status_code == 403


def test_admin_sets_capacity_and_a_supervisor_from_the_programs_supervisors(cast, client_as):
    client = client_as("alex")
    manage = f"/p/harbor/peers/{cast.sam.pk}/manage/"
    response = client.post(manage, {"form": "settings", "capacity": "3", "supervisor": str(cast.dana.pk)})
    assert response.status_code == 302
    profile = PeerProfile.objects.get(program=cast.harbor, user=cast.sam)
    assert (profile.capacity, profile.accepting_new, profile.supervisor) == (3, False, cast.dana)
    refused = client.post(manage, {"form": "settings", "capacity": "3", "supervisor": str(cast.riley.pk)})
    assert refused.status_code == 400

"""Access-matrix rows for peers (profiles): see rows_recovery_api.py for the tuple shape.

Tuples ``(key, url_callable, expect, method, data, json, program_scoped)``. Who may do what:
- a peer's own profile, credentials and training pages: the peer (Sam); other roles 403;
- the public card and photo: members, peers, supervisors and admins; allies 403;
- the peer supporters list and the compliance page: admins and supervisors (read-only);
- one peer's admin page, verification and references: admins only (Sam cannot see his
  own references);
- a credential, its evidence and a training certificate: the holder and admins;
  supervisors 403 (they see states on the compliance page, not documents).
Casey, from another program, gets 404 for all of Harbor's.
"""

from __future__ import annotations

import datetime as dt
import io

LOGIN = "login"
PERSONAS = ["anonymous", "riley", "sam", "dana", "alex", "jordan", "casey"]
TODAY = dt.date.today().isoformat()  # noqa: DTZ011 - any zone's today is fine for these dates
V = "/api/v1"


def _expect(ok: dict[str, int], *, api: bool = False) -> dict[str, int | str]:
    """Harbor's object: anonymous to sign in (401 by API), Casey 404, ``ok`` as given, the rest 403."""
    expect: dict[str, int | str] = dict.fromkeys(PERSONAS, 403)
    expect["anonymous"] = 401 if api else LOGIN
    expect["casey"] = 404
    expect.update(ok)
    return expect


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (120, 160, 200)).save(out, format="PNG")
    return out.getvalue()


def _private_file(name: str, content: bytes) -> str:
    from django.core.files.base import ContentFile

    from alongside.peers.models import private_storage

    storage = private_storage()
    if not storage.exists(name):
        storage.save(name, ContentFile(content))
    return name


def _sam_profile(c):
    from alongside.peers.models import PeerProfile

    return PeerProfile.objects.get(program=c.harbor, user=c.sam)


def _sam_with_photo(c) -> int:
    profile = _sam_profile(c)
    if not profile.photo:
        profile.photo.name = _private_file("peer-photos/matrix-sam.png", _png())
        profile.save(update_fields=["photo"])
    return c.sam.pk


def _sam_credential(c) -> int:
    from alongside.peers.models import Credential

    return Credential.objects.filter(profile__user=c.sam, profile__program=c.harbor).order_by("pk").first().pk


def _sam_credential_with_evidence(c) -> int:
    from alongside.peers.models import Credential

    credential = Credential.objects.get(pk=_sam_credential(c))
    if not credential.evidence:
        credential.evidence.name = _private_file("credential-evidence/matrix-sam.png", _png())
        credential.evidence_name = "cprs.png"
        credential.evidence_content_type = "image/png"
        credential.save(update_fields=["evidence", "evidence_name", "evidence_content_type"])
    return credential.pk


def _sam_ce_entry(c) -> int:
    from alongside.peers.models import ContinuingEducation

    return ContinuingEducation.objects.filter(credential_id=_sam_credential(c)).order_by("pk").first().pk


def _sam_training(c) -> int:
    from alongside.peers.models import TrainingRecord

    return TrainingRecord.objects.filter(profile=_sam_profile(c)).order_by("pk").first().pk


def _sam_training_with_certificate(c) -> int:
    from alongside.peers.models import TrainingRecord

    record = TrainingRecord.objects.get(pk=_sam_training(c))
    if not record.certificate:
        record.certificate.name = _private_file("training-certificates/matrix-sam.png", _png())
        record.certificate_name = "naloxone.png"
        record.certificate_content_type = "image/png"
        record.save(update_fields=["certificate", "certificate_name", "certificate_content_type"])
    return record.pk


def _sam_reference(c) -> int:
    from alongside.peers.models import PeerReference

    return PeerReference.objects.filter(profile=_sam_profile(c)).order_by("pk").first().pk


PEER = {"sam": 200}
CARD = {"riley": 200, "sam": 200, "dana": 200, "alex": 200}
STAFF_READ = {"dana": 200, "alex": 200}
ADMIN = {"alex": 200}
HOLDER_OR_ADMIN = {"sam": 200, "alex": 200}

PROFILE_FORM = {
    "display_name": "Sam O.",
    "story": "Nine years in recovery.",
    "lived_experience": ["parenting"],
    "languages": ["en", "es"],
    "city": "Costa Mesa, CA",
    "meets_in_person": "on",
    "meets_remotely": "on",
    "availability": ["mon-evening", "sat-morning"],
    "capacity": "6",
    "accepting_new": "on",
}
CREDENTIAL_FORM = {
    "kind": "ccar_rc",
    "issuer": "CCAR",
    "issued_on": "2024-01-10",
    "expires_on": "2027-01-10",
    "ce_hours_required": "20",
    "ce_ethics_hours_required": "3",
}
CE_FORM = {"title": "Boundaries workshop", "completed_on": "2024-06-01", "hours": "3", "ethics_hours": "1"}
TRAINING_FORM = {"course": "Mental Health First Aid", "provider": "NCBH", "hours": "8", "completed_on": "2024-03-02"}
REFERENCE_FORM = {"name": "Pat Moreno", "relationship": "Former supervisor", "contact": "pat@example.org"}

PAGE_ROWS = [
    # The peer's own pages.
    ("peer_profile_edit", lambda c: "/p/harbor/peers/me/", _expect(PEER), "get", {}, False, True),
    ("peer_profile_edit", lambda c: "/p/harbor/peers/me/", _expect({"sam": 302}), "post", PROFILE_FORM, False, True),
    ("peer_credentials", lambda c: "/p/harbor/peers/me/credentials/", _expect(PEER), "get", {}, False, True),
    (
        "peer_credentials",
        lambda c: "/p/harbor/peers/me/credentials/",
        _expect({"sam": 302}),
        "post",
        CREDENTIAL_FORM,
        False,
        True,
    ),
    ("peer_training", lambda c: "/p/harbor/peers/me/training/", _expect(PEER), "get", {}, False, True),
    (
        "peer_training",
        lambda c: "/p/harbor/peers/me/training/",
        _expect({"sam": 302}),
        "post",
        TRAINING_FORM,
        False,
        True,
    ),
    # Staff lists.
    ("peers_admin", lambda c: "/p/harbor/peers/", _expect(STAFF_READ), "get", {}, False, True),
    ("peer_compliance", lambda c: "/p/harbor/peers/compliance/", _expect(STAFF_READ), "get", {}, False, True),
    ("peer_manage", lambda c: f"/p/harbor/peers/{c.sam.pk}/manage/", _expect(ADMIN), "get", {}, False, True),
    (
        "peer_manage",
        lambda c: f"/p/harbor/peers/{c.sam.pk}/manage/",
        _expect({"alex": 302}),
        "post",
        {"form": "settings", "capacity": "7", "accepting_new": "on", "supervisor": ""},
        False,
        True,
    ),
    # The public card.
    ("peer_card", lambda c: f"/p/harbor/peers/{c.sam.pk}/", _expect(CARD), "get", {}, False, True),
    ("peer_photo", lambda c: f"/p/harbor/peers/{_sam_with_photo(c)}/photo/", _expect(CARD), "get", {}, False, True),
    # Credentials.
    (
        "credential_detail",
        lambda c: f"/p/harbor/peers/credentials/{_sam_credential(c)}/",
        _expect(HOLDER_OR_ADMIN),
        "get",
        {},
        False,
        True,
    ),
    (
        "credential_detail",
        lambda c: f"/p/harbor/peers/credentials/{_sam_credential(c)}/",
        _expect({"sam": 302}),
        "post",
        {**CREDENTIAL_FORM, "kind": "cprs"},
        False,
        True,
    ),
    (
        "credential_evidence",
        lambda c: f"/p/harbor/peers/credentials/{_sam_credential_with_evidence(c)}/evidence/",
        _expect(HOLDER_OR_ADMIN),
        "get",
        {},
        False,
        True,
    ),
    (
        "credential_verify",
        lambda c: f"/p/harbor/peers/credentials/{_sam_credential(c)}/verify/",
        _expect({"alex": 302}),
        "post",
        {"verified": "1"},
        False,
        True,
    ),
    (
        "credential_delete",
        lambda c: f"/p/harbor/peers/credentials/{_sam_credential(c)}/delete/",
        _expect({"sam": 302, "alex": 302}),
        "post",
        {},
        False,
        True,
    ),
    (
        "credential_ce_add",
        lambda c: f"/p/harbor/peers/credentials/{_sam_credential(c)}/ce/",
        _expect({"sam": 302}),
        "post",
        CE_FORM,
        False,
        True,
    ),
    (
        "credential_ce_delete",
        lambda c: f"/p/harbor/peers/credentials/{_sam_credential(c)}/ce/{_sam_ce_entry(c)}/delete/",
        _expect({"sam": 302}),
        "post",
        {},
        False,
        True,
    ),
    # Training.
    (
        "training_edit",
        lambda c: f"/p/harbor/peers/training/{_sam_training(c)}/",
        _expect(PEER),
        "get",
        {},
        False,
        True,
    ),
    (
        "training_edit",
        lambda c: f"/p/harbor/peers/training/{_sam_training(c)}/",
        _expect({"sam": 302}),
        "post",
        TRAINING_FORM,
        False,
        True,
    ),
    (
        "training_delete",
        lambda c: f"/p/harbor/peers/training/{_sam_training(c)}/delete/",
        _expect({"sam": 302}),
        "post",
        {},
        False,
        True,
    ),
    (
        "training_certificate",
        lambda c: f"/p/harbor/peers/training/{_sam_training_with_certificate(c)}/certificate/",
        _expect(HOLDER_OR_ADMIN),
        "get",
        {},
        False,
        True,
    ),
    # References: admins only, the peer included out.
    (
        "reference_edit",
        lambda c: f"/p/harbor/peers/references/{_sam_reference(c)}/",
        _expect(ADMIN),
        "get",
        {},
        False,
        True,
    ),
    (
        "reference_edit",
        lambda c: f"/p/harbor/peers/references/{_sam_reference(c)}/",
        _expect({"alex": 302}),
        "post",
        REFERENCE_FORM,
        False,
        True,
    ),
    (
        "reference_check",
        lambda c: f"/p/harbor/peers/references/{_sam_reference(c)}/check/",
        _expect({"alex": 302}),
        "post",
        {"checked": "1"},
        False,
        True,
    ),
    (
        "reference_delete",
        lambda c: f"/p/harbor/peers/references/{_sam_reference(c)}/delete/",
        _expect({"alex": 302}),
        "post",
        {},
        False,
        True,
    ),
]

API_ROWS = [
    ("GET /api/v1/peers", lambda c: f"{V}/peers?program=harbor", _expect(CARD, api=True), "get", {}, False, True),
    (
        "GET /api/v1/peers/{user_id}",
        lambda c: f"{V}/peers/{c.sam.pk}?program=harbor",
        _expect(CARD, api=True),
        "get",
        {},
        False,
        True,
    ),
    (
        "GET /api/v1/me/peer-profile",
        lambda c: f"{V}/me/peer-profile?program=harbor",
        _expect(PEER, api=True),
        "get",
        {},
        False,
        True,
    ),
    (
        "PUT /api/v1/me/peer-profile",
        lambda c: f"{V}/me/peer-profile?program=harbor",
        _expect(PEER, api=True),
        "put",
        {"display_name": "Sam O.", "languages": ["en", "es"], "city": "Costa Mesa, CA", "capacity": 6},
        True,
        True,
    ),
    (
        "GET /api/v1/credentials",
        lambda c: f"{V}/credentials?program=harbor",
        _expect(HOLDER_OR_ADMIN, api=True),
        "get",
        {},
        False,
        True,
    ),
    (
        "POST /api/v1/credentials",
        lambda c: f"{V}/credentials?program=harbor",
        _expect({"sam": 201}, api=True),
        "post",
        {"kind": "ccar_rc", "issuer": "CCAR", "issued_on": "2024-01-10", "expires_on": "2027-01-10"},
        True,
        True,
    ),
    (
        "GET /api/v1/credentials/{credential_id}",
        lambda c: f"{V}/credentials/{_sam_credential(c)}",
        _expect(HOLDER_OR_ADMIN, api=True),
        "get",
        {},
        False,
        True,
    ),
    (
        "PATCH /api/v1/credentials/{credential_id}",
        lambda c: f"{V}/credentials/{_sam_credential(c)}",
        _expect(PEER, api=True),
        "patch",
        {"jurisdiction": "California"},
        True,
        True,
    ),
    (
        "DELETE /api/v1/credentials/{credential_id}",
        lambda c: f"{V}/credentials/{_sam_credential(c)}",
        _expect({"sam": 204, "alex": 204}, api=True),
        "delete",
        {},
        False,
        True,
    ),
    (
        "POST /api/v1/credentials/{credential_id}/verify",
        lambda c: f"{V}/credentials/{_sam_credential(c)}/verify",
        _expect(ADMIN, api=True),
        "post",
        {"verified": True},
        True,
        True,
    ),
    (
        "POST /api/v1/credentials/{credential_id}/ce",
        lambda c: f"{V}/credentials/{_sam_credential(c)}/ce",
        _expect({"sam": 201}, api=True),
        "post",
        {"title": "Ethics refresher", "completed_on": "2024-05-01", "hours": 2, "ethics_hours": 2},
        True,
        True,
    ),
]

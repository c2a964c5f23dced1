"""A peer's own profile page, the public card and the photo: what is saved, what is shown
to whom, and how uploads are checked."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from alongside.accounts.models import User
from alongside.peers import services
from alongside.peers.models import PeerProfile

EDIT = "/p/harbor/peers/me/"


@pytest.fixture
def private_dir(tmp_path, monkeypatch):
    """Private uploads go to a temporary folder for the test."""
    storage = PeerProfile._meta.get_field("photo").storage
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)
    monkeypatch.setattr(storage, "_location", str(tmp_path))
    yield tmp_path
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


def image_bytes(fmt: str = "PNG", size=(40, 40), exif: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 80))
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def form_data(**changes):
    data = {
        "display_name": "Sam O.",
        "story": "Nine years in recovery.",
        "lived_experience": ["parenting", "veteran"],
        "other_experience": "Foster care, night shifts",
        "substances": ["alcohol"],
        "other_substances": "",
        "pathways": ["smart"],
        "languages": ["en", "es"],
        "other_languages": "vi",
        "gender": "man",
        "age_range": "35-44",
        "city": "Santa Ana, California",
        "meets_in_person": "on",
        "meets_remotely": "on",
        "availability": ["tue-evening", "sat-morning"],
        "capacity": "6",
        "accepting_new": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- the profile page --------------------------------------------------------------------------


def test_a_peer_opening_the_page_for_the_first_time_gets_a_profile_named_after_their_handle(cast):
    jamie = User.objects.get(handle="jamie.p")  # a peer with two-factor sign-in, as staff must have
    PeerProfile.objects.filter(user=jamie).delete()
    client = Client()
    client.force_login(jamie)
    response = client.get(EDIT)
    assert response.status_code == 200
    profile = PeerProfile.objects.get(program=cast.harbor, user=jamie)
    assert profile.display_name == "jamie.p"
    assert 'value="jamie.p"' in response.content.decode()


def test_only_peers_get_a_profile(cast):
    with pytest.raises(Exception, match="Only peer supporters"):
        services.peer_profile_get_or_create(program=cast.harbor, user=cast.riley)


def test_peer_saves_tags_languages_availability_and_the_city_is_located(cast, client_as):
    response = client_as("sam").post(EDIT, form_data())
    assert response.status_code == 302
    profile = PeerProfile.objects.get(program=cast.harbor, user=cast.sam)
    assert profile.lived_experience == ["parenting", "veteran", "foster care", "night shifts"]
    assert profile.languages == ["en", "es", "vi"]
    assert profile.availability == ["tue-evening", "sat-morning"]
    assert profile.city == "Santa Ana, California"
    assert profile.latitude == pytest.approx(33.745, abs=0.05)
    assert profile.longitude == pytest.approx(-117.868, abs=0.05)


def test_a_state_abbreviation_finds_the_city_too(cast, client_as):
    client_as("sam").post(EDIT, form_data(city="Santa Ana, CA"))
    assert PeerProfile.objects.get(program=cast.harbor, user=cast.sam).latitude == pytest.approx(33.745, abs=0.05)


def test_an_unknown_city_is_saved_without_coordinates_and_the_peer_is_told_kindly(cast, client_as):
    client = client_as("sam")
    response = client.post(EDIT, form_data(city="Smallville Hollow, CA"), follow=True)
    profile = PeerProfile.objects.get(program=cast.harbor, user=cast.sam)
    assert profile.city == "Smallville Hollow, CA"
    assert profile.latitude is None and profile.longitude is None
    page = response.content.decode()
    assert "could not find" in page
    assert "in person" in page


def test_the_form_keeps_what_was_typed_when_it_is_rejected(cast, client_as):
    response = client_as("sam").post(
        EDIT, form_data(meets_in_person=None, meets_remotely=None, story="My words stay", capacity="99")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "My words stay" in page
    assert "Choose at least one way to meet" in page
    assert 'value="tue-evening" id="id_availability_tue_evening" checked' in page
    assert PeerProfile.objects.get(program=cast.harbor, user=cast.sam).story != "My words stay"


def test_availability_is_a_table_with_day_and_time_headers(cast, client_as):
    page = client_as("sam").get(EDIT).content.decode()
    assert '<th scope="row">Monday</th>' in page
    assert '<th scope="col">Evening</th>' in page
    assert 'for="id_availability_mon_evening"' in page


def test_other_roles_cannot_open_the_profile_page(cast, client_as):
    assert client_as("riley").get(EDIT).status_code == 403
    assert client_as("alex").get(EDIT).status_code == 403
    assert client_as("casey").get(EDIT).status_code == 404


# --- the card ----------------------------------------------------------------------------------


def test_members_see_the_card_with_public_fields_only(cast, client_as):
    page = client_as("riley").get(f"/p/harbor/peers/{cast.sam.pk}/").content.decode()
    assert "Sam O." in page
    assert "SMART meetings" in page  # the story
    assert "Parenting" in page
    assert "Costa Mesa" in page
    assert "Verified credential" in page
    for private in ("35–44", "Dana", "CPRS-20417", "33.64", "Man<", "Pat Moreno"):
        assert private not in page


def test_a_peer_without_a_verified_credential_has_no_badge(cast, client_as):
    jamie = User.objects.get(handle="jamie.p")
    page = client_as("riley").get(f"/p/harbor/peers/{jamie.pk}/").content.decode()
    assert "Jamie P." in page
    assert "Verified credential" not in page


def test_allies_get_403_and_outsiders_404_for_a_card(cast, client_as):
    assert client_as("jordan").get(f"/p/harbor/peers/{cast.sam.pk}/").status_code == 403
    assert client_as("casey").get(f"/p/harbor/peers/{cast.sam.pk}/").status_code == 404


def test_a_card_for_someone_who_is_not_a_peer_is_404(cast, client_as):
    assert client_as("riley").get(f"/p/harbor/peers/{cast.dana.pk}/").status_code == 404


# --- the photo ---------------------------------------------------------------------------------


def _upload(client, name, content, content_type="image/png", **changes):
    return client.post(EDIT, {**form_data(**changes), "photo": SimpleUploadedFile(name, content, content_type)})


def test_a_photo_is_stored_under_a_random_name_without_its_metadata(cast, client_as, private_dir):
    response = _upload(client_as("sam"), "sam-at-home.jpg", image_bytes("JPEG", exif=True), "image/jpeg")
    assert response.status_code == 302
    profile = PeerProfile.objects.get(program=cast.harbor, user=cast.sam)
    assert profile.photo.name.startswith("peer-photos/")
    assert "sam" not in profile.photo.name
    stored = Image.open(profile.photo.path)
    assert stored.format == "JPEG"
    assert not stored.getexif()


def test_the_photo_is_served_privately_to_those_who_may_see_the_card(cast, client_as, private_dir):
    _upload(client_as("sam"), "me.png", image_bytes())
    url = f"/p/harbor/peers/{cast.sam.pk}/photo/"
    response = client_as("riley").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"].startswith("private")
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "PNG"
    assert client_as("jordan").get(url).status_code == 403
    assert client_as("casey").get(url).status_code == 404


def test_no_photo_is_a_404(cast, client_as, private_dir):
    assert client_as("riley").get(f"/p/harbor/peers/{cast.sam.pk}/photo/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("me.pdf", image_bytes(), "name ends in .pdf"),
        ("page.html", b"<html><script>alert(1)</script></html>", "not one of those"),
        ("me.gif", b"GIF89a" + b"\x00" * 40, "not one of those"),
        ("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024 + 10), "the limit for a photo is 2 MB"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "damaged or not really an image"),
    ],
)
def test_a_rejected_photo_says_what_to_fix_and_loses_nothing(cast, client_as, private_dir, name, content, message):
    client = client_as("sam")
    _upload(client, "first.png", image_bytes())
    profile = PeerProfile.objects.get(program=cast.harbor, user=cast.sam)
    kept = profile.photo.name
    response = _upload(client, name, content, story="Typed again")
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Typed again" in page  # what was typed is still in the form
    profile.refresh_from_db()
    assert profile.photo.name == kept  # the saved photo is still there
    assert profile.photo.storage.exists(kept)


def test_a_replaced_photo_file_is_deleted_after_the_save(
    cast, client_as, private_dir, django_capture_on_commit_callbacks
):
    client = client_as("sam")
    _upload(client, "first.png", image_bytes())
    first = PeerProfile.objects.get(program=cast.harbor, user=cast.sam).photo.name
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, "second.webp", image_bytes("WEBP"), "image/webp")
    profile = PeerProfile.objects.get(program=cast.harbor, user=cast.sam)
    assert profile.photo.name.endswith(".webp")
    assert not profile.photo.storage.exists(first)


def test_peer_removes_their_photo(cast, client_as, private_dir):
    client = client_as("sam")
    _upload(client, "first.png", image_bytes())
    client.post(EDIT, form_data(remove_photo="on"))
    assert not PeerProfile.objects.get(program=cast.harbor, user=cast.sam).photo

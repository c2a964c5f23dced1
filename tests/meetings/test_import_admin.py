"""The program admin's import page: upload or URL, the run's progress page (and its htmx
partial), saved sources and their re-import, and who may do any of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from alongside.meetings import services
from alongside.meetings.models import FeedSource, ImportRun, ImportStatus, Meeting

FEEDS = Path(__file__).resolve().parent / "feeds"  # real intergroup feeds; see feeds/README.md

IMPORT_URL = "/p/harbor/meetings/import/"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    data = content if content is not None else (FEEDS / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="application/json")


@pytest.fixture
def alex(cast, client_as) -> Client:
    return client_as("alex")


@pytest.fixture
def post_import(alex, django_capture_on_commit_callbacks):
    """POST the form; the task runs inline (immediate backend) once the request commits."""

    def send(data: dict, follow: bool = False):
        with django_capture_on_commit_callbacks(execute=True):
            return alex.post(IMPORT_URL, data, follow=follow)

    return send


def test_page_lists_form_runs_and_sources(cast, alex):
    FeedSource.objects.create(program=cast.harbor, name="OC intergroup", url="https://example.org/feed.json")
    response = alex.get(IMPORT_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert "OC intergroup" in body and "/p/harbor/meetings/sources/" in body
    assert "/feeds/harbor/meetings.json" in body


def test_upload_imports_and_the_run_page_shows_the_summary(cast, alex, post_import):
    response = post_import({"file": upload("edmonton-nonconformant.json")})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/p/harbor/meetings/import/{run.pk}/"
    assert (run.status, run.imported, run.skipped, len(run.warnings)) == (ImportStatus.DONE, 315, 0, 24)
    assert (run.label, run.started_by) == ("edmonton-nonconformant.json", cast.alex)
    assert Meeting.objects.filter(program=cast.harbor).count() == 315
    # The saved upload is gone once imported.
    assert not (Path(settings.DATA_DIR) / "imports" / f"{run.pk}.json").exists()

    page = alex.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert '<progress id="import-progress" max="100" value="100" aria-label="Import progress"' in body
    assert "hx-trigger" not in body  # done: no more polling
    assert "<dt>New</dt><dd>315</dd>" in body
    assert "<dt>Warnings</dt><dd>24</dd>" in body
    assert body.count("<li><code>") == 24 and "<code>23</code>" in body
    assert "<!DOCTYPE html>" in body


def test_many_warnings_show_the_first_200_with_a_count(cast, alex):
    run = ImportRun.objects.create(
        program=cast.harbor, label="x", status=ImportStatus.DONE,
        warnings=[{"slug": f"m{i}", "reason": "Skipped: no time."} for i in range(300)], skipped=300,
    )  # fmt: skip
    body = alex.get(f"/p/harbor/meetings/import/{run.pk}/").content.decode()
    assert body.count("<li><code>") == 200
    assert "The first 200 of 300." in body


def test_a_running_import_polls_with_htmx_and_the_partial_is_just_the_status(cast, alex):
    run = ImportRun.objects.create(program=cast.harbor, label="big.json", total=1000, done=250)
    url = f"/p/harbor/meetings/import/{run.pk}/"
    page = alex.get(url).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 1s"' in page
    assert 'value="25"' in page and "Importing… 250 of 1000" in page
    partial = alex.get(url, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert partial.status_code == 200
    assert body.startswith('<div id="import-run"') and "<!DOCTYPE" not in body
    assert 'hx-trigger="every 1s"' in body
    # Once it is done, the partial no longer asks to be polled: htmx stops.
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.DONE, done=1000, imported=1000)
    body = alex.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in body and 'value="100"' in body


def test_a_malformed_upload_is_a_form_error_and_creates_nothing(cast, post_import):
    response = post_import({"file": upload("malformed.json")})
    assert response.status_code == 400
    body = response.content.decode()
    assert "This file is not valid JSON (line 80, column 3)" in body
    assert not ImportRun.objects.exists() and not Meeting.objects.exists()


def test_a_json_upload_that_is_not_a_feed_shows_a_failed_run(cast, post_import, alex):
    response = post_import({"file": upload("x.json", b'{"not": "a feed"}')})
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED and "array of meetings" in run.error
    body = alex.get(response["Location"]).content.decode()
    assert "array of meetings" in body and "Nothing was changed." in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a file or give an address"),
        ({"url": "https://example.org/f.json", "file": "upload"}, "Choose a file or give an address"),
        ({"url": "ftp://example.org/f.json"}, "Use an address starting with https://"),
        ({"file": "upload", "keep": "on", "refresh_hours": "24"}, "Only a feed at an address can be re-imported"),
    ],
)
def test_form_errors(cast, post_import, data, message):
    if "file" in data:  # a real (tiny, valid) upload stands in for the placeholder
        data = {**data, "file": upload("a.json", b"[]")}
    response = post_import(data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_over_the_cap_is_refused(cast, post_import, monkeypatch):
    monkeypatch.setattr("alongside.meetings.forms.MAX_FEED_BYTES", 100)
    response = post_import({"file": upload("edmonton-nonconformant.json")})
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_a_url_saved_as_a_source_and_reimported_now(
    cast, alex, post_import, monkeypatch, django_capture_on_commit_callbacks
):
    fetched: list[str] = []

    def fake_fetch(url: str, *, allow_private: bool = False) -> bytes:
        fetched.append(url)
        return (FEEDS / "edmonton-nonconformant.json").read_bytes()

    monkeypatch.setattr(services, "fetch_feed", fake_fetch)
    url = "https://intergroup.example.org/meetings.json"
    response = post_import({"url": url, "keep": "on", "refresh_hours": "6"})
    assert response.status_code == 302
    source = FeedSource.objects.get()
    assert (source.name, source.url, source.refresh_hours) == ("intergroup.example.org", url, 6)
    run = ImportRun.objects.get()
    assert (run.source, run.label, run.status, run.imported) == (source, url, ImportStatus.DONE, 315)
    assert fetched == [url]

    refresh = f"/p/harbor/meetings/sources/{source.pk}/refresh/"
    with django_capture_on_commit_callbacks(execute=True):
        response = alex.post(refresh)
    second = ImportRun.objects.exclude(pk=run.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/p/harbor/meetings/import/{second.pk}/"
    assert (second.status, second.imported, second.unchanged) == (ImportStatus.DONE, 0, 315)
    assert fetched == [url, url]


def test_admin_urls_of_private_addresses_fail_without_fetching(cast, alex, post_import):
    response = post_import({"url": "http://127.0.0.1:8000/admin/"})
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert "private or local address" in run.error
    assert "private or local address" in alex.get(response["Location"]).content.decode()


def test_reimporting_a_source_without_an_address(cast, alex):
    source = FeedSource.objects.create(program=cast.harbor, name="file", url="")
    response = alex.post(f"/p/harbor/meetings/sources/{source.pk}/refresh/", follow=True)
    assert "no address to import from" in response.content.decode()
    assert not ImportRun.objects.exists()


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("riley", 403), ("sam", 403), ("dana", 403), ("jordan", 403), ("casey", 404)]
)
def test_only_the_programs_admins(cast, client_as, persona, status):
    run = ImportRun.objects.create(program=cast.harbor, label="x")
    source = FeedSource.objects.create(program=cast.harbor, name="s", url="https://example.org/f.json")
    client = client_as(persona)
    assert client.get(IMPORT_URL).status_code == status
    assert client.post(IMPORT_URL, {"url": "https://example.org/f.json"}).status_code == status
    assert client.get(f"/p/harbor/meetings/import/{run.pk}/").status_code == status
    assert client.post(f"/p/harbor/meetings/sources/{source.pk}/refresh/").status_code == status
    assert ImportRun.objects.count() == 1


def test_another_programs_run_and_source_are_not_found(cast, alex):
    run = ImportRun.objects.create(program=cast.desert, label="x")
    source = FeedSource.objects.create(program=cast.desert, name="s", url="https://example.org/f.json")
    assert alex.get(f"/p/harbor/meetings/import/{run.pk}/").status_code == 404
    assert alex.post(f"/p/harbor/meetings/sources/{source.pk}/refresh/").status_code == 404
    assert alex.get("/p/desert-bloom/meetings/import/").status_code == 404


def test_anonymous_is_sent_to_sign_in(cast):
    response = Client().get(IMPORT_URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

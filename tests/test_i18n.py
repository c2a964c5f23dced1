"""Spanish from the start (ARCHITECTURE.md §7): a complete catalog, compiled, and used.

The .mo is committed next to the .po (a fresh machine may not have gettext), so the
tests check that the compiled catalog says exactly what the .po says rather than trust
file dates, which a git checkout does not keep.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

import alongside

LC_MESSAGES = Path(alongside.__file__).resolve().parent / "locale" / "es" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# Python-format placeholders must survive translation exactly, or rendering breaks.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.fixture(autouse=True)
def _back_to_default_language():
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _live(catalog) -> list:
    return [entry for entry in catalog if not entry.obsolete and entry.msgid]


def test_spanish_catalog_has_no_untranslated_or_fuzzy_entries(po):
    assert po.metadata.get("Language") == "es"
    assert not po.metadata_is_fuzzy
    untranslated = [e.msgid for e in _live(po) if not (e.msgstr or any(e.msgstr_plural.values()))]
    fuzzy = [e.msgid for e in _live(po) if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []
    assert len(_live(po)) > 100  # the catalog covers the project, not a stub


def test_spanish_translations_keep_placeholders_and_line_breaks(po):
    for entry in _live(po):
        # A plural entry keeps its forms in msgstr_plural: the first answers msgid, the
        # others msgid_plural.
        pairs = (
            [(entry.msgid if n == 0 else entry.msgid_plural, form) for n, form in sorted(entry.msgstr_plural.items())]
            if entry.msgid_plural
            else [(entry.msgid, entry.msgstr)]
        )
        for source, translated in pairs:
            assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(source)), source
            assert translated.count("\n") == source.count("\n"), source


def test_compiled_catalog_matches_the_po(po):
    assert MO_PATH.exists(), "run `alongside compilemessages` and commit django.mo"
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(MO_PATH)) if entry.msgid}
    source = {entry.msgid: entry.msgstr for entry in po.translated_entries()}
    assert compiled == source, "django.mo is stale: run `alongside compilemessages` from alongside/"


@pytest.mark.django_db
def test_help_page_in_spanish_keeps_every_number(client):
    response = client.get(reverse("help_now"), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    body = response.content.decode()
    assert '<html lang="es">' in body
    assert "Pide ayuda ahora" in body
    assert "988 Línea de Prevención del Suicidio y Crisis" in body
    assert "Llama al 988" in body
    assert "naloxona" in body
    assert "Get help now" not in body
    assert 'href="tel:988"' in body
    assert 'href="sms:988"' in body
    assert "sms:741741?&amp;body=HOME" in body
    assert 'href="tel:1-800-662-4357"' in body
    assert 'href="tel:911"' in body


def test_language_switch_turns_signed_in_pages_spanish(client_as):
    client = client_as("riley")
    assert "Who opened your records" in client.get("/privacy/").content.decode()

    response = client.post(reverse("set_language"), {"language": "es", "next": "/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"

    response = client.get("/privacy/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="es">' in body
    assert "Privacidad" in body
    assert "Quién abrió tu expediente" in body
    # Strings from Python (selectors, model choices) follow the request's language too.
    assert "Tu diario" in body
    assert "Acompañante entre pares" in body
    assert "Mi acompañante entre pares puede ver mis registros diarios" in body
    assert "Who opened your records" not in body
    assert f'href="{reverse("help_now")}"' in body

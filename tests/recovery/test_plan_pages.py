"""The relapse-prevention plan: one tap to open, easy to change, every version kept, and a
PDF from the same template in the size the member chooses.

The PDF's text is read with ``tests/pdf_reading.py``.
"""

from __future__ import annotations

import re

import pytest

from alongside.recovery import selectors, services
from alongside.recovery.models import STARTER_COPING, PlanVersion
from tests.pdf_reading import joined_words, pdf_info, pdf_text

# --- the form ------------------------------------------------------------------------------


def _people(rows: list[dict[str, str]], total: int = 5) -> dict[str, str]:
    data = {
        "people-TOTAL_FORMS": str(total),
        "people-INITIAL_FORMS": str(total),
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "15",
    }
    for index, row in enumerate(rows):
        data.update({f"people-{index}-{key}": value for key, value in row.items()})
    return data


def _form(**sections: object) -> dict[str, object]:
    people = sections.pop("people", [])
    return {
        "warning_signs": "",
        "triggers": "",
        "coping": "",
        "places": "",
        "reasons": "",
        "if_i_use": "",
        **sections,
        **_people(people),  # type: ignore[arg-type]
    }


def test_a_member_without_a_plan_is_invited_to_write_one(cast, client_as):
    body = client_as("casey").get("/plan/").content.decode()
    assert "Write my plan" in body
    assert 'href="/plan/edit/"' in body
    assert 'href="/help/"' in body  # the crisis lines, one tap away


def test_saving_the_plan_keeps_every_section(cast, client_as):
    client = client_as("casey")
    response = client.post(
        "/plan/edit/",
        _form(
            warning_signs="Skipping meals\n\n  Isolating  ",
            triggers="Payday",
            coping="Text my sister",
            coping_starters=["2", "0"],
            places="The library",
            reasons="My kids",
            if_i_use="Tell my peer the same day.",
            people=[{"name": "Jo", "phone": "+1 (555) 010-0123", "when": "Any time"}],
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/plan/"
    saved = selectors.my_plan(cast.casey)
    assert saved is not None and saved.number == 1
    assert saved.content == {
        "warning_signs": ["Skipping meals", "Isolating"],
        "triggers": ["Payday"],
        # Their own words first, then the ideas they ticked, in the list's order.
        "coping": ["Text my sister", str(STARTER_COPING[0]), str(STARTER_COPING[2])],
        "people": [{"name": "Jo", "phone": "+1 (555) 010-0123", "when": "Any time"}],
        "places": ["The library"],
        "reasons": ["My kids"],
        "if_i_use": "Tell my peer the same day.",
    }
    page = client.get("/plan/").content.decode()
    assert 'href="tel:+15550100123"' in page
    for words in ("Skipping meals", "Text my sister", "The library", "My kids", "Tell my peer the same day."):
        assert words in page


def test_the_edit_form_shows_the_saved_plan_and_offers_only_new_ideas(cast, client_as):
    services.plan_save(
        user=cast.casey,
        content={"coping": [str(STARTER_COPING[3]), "Call my aunt"], "people": [{"name": "Jo", "phone": "555"}]},
    )
    body = client_as("casey").get("/plan/edit/").content.decode()
    # An idea already in the plan is a line like any other, in the member's order.
    assert f"{STARTER_COPING[3]}\nCall my aunt</textarea>" in body
    assert 'name="coping_starters" value="3"' not in body
    assert 'name="coping_starters" value="4"' in body
    assert 'name="people-0-name" value="Jo"' in body
    # Five rows to fill in on a phone, more once they are used.
    assert 'name="people-TOTAL_FORMS" value="5"' in body


def test_more_rows_for_people_after_saving(cast, client_as):
    people = [{"name": f"Friend {n}", "phone": "", "when": ""} for n in range(5)]
    services.plan_save(user=cast.casey, content={"people": people})
    body = client_as("casey").get("/plan/edit/").content.decode()
    assert 'name="people-TOTAL_FORMS" value="7"' in body


def test_saving_without_a_change_makes_no_new_version(cast, client_as):
    client = client_as("riley")
    before = PlanVersion.objects.filter(user=cast.riley).count()
    page = client.get("/plan/edit/")
    # Send back exactly what the form showed, as a browser would.
    data = dict(page.context["form"].initial)
    people = page.context["people"]
    assert people.total_form_count() == 5
    data.update(_people([form.initial for form in people.forms if form.initial]))
    response = client.post("/plan/edit/", data, follow=True)
    assert PlanVersion.objects.filter(user=cast.riley).count() == before
    assert "Nothing changed, so your plan stays as it was." in response.content.decode()


def test_a_change_shows_in_history_with_added_and_removed_lines(cast, client_as):
    client = client_as("casey")
    client.post("/plan/edit/", _form(warning_signs="Skipping meals\nIsolating", reasons="My kids"))
    client.post("/plan/edit/", _form(warning_signs="Skipping meals\nNot sleeping", reasons="My kids"))
    assert [v.number for v in PlanVersion.objects.filter(user=cast.casey)] == [2, 1]
    body = client.get("/plan/history/").content.decode()
    newest = body[body.index("Version 2") : body.index("Version 1")]
    assert "My warning signs" in newest
    assert re.search(r"Added</span>\s*Not sleeping", newest)
    assert re.search(r"Removed</span>\s*<del>Isolating</del>", newest)
    assert "My reasons for recovery" not in newest  # unchanged sections are not listed
    oldest = body[body.index("Version 1") :]
    assert re.search(r"Added</span>\s*Isolating", oldest)


def test_the_history_is_the_members_own(cast, client_as):
    body = client_as("sam").get("/plan/history/").content.decode()
    assert "Payday Fridays" not in body and "No versions yet." in body


def test_a_person_without_a_name_is_shown_again_with_what_to_fix(cast, client_as):
    response = client_as("casey").post(
        "/plan/edit/",
        _form(warning_signs="Isolating", people=[{"name": "", "phone": "555 0100", "when": "nights"}]),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Give this person a name, or clear the row." in body
    assert 'value="555 0100"' in body and "Isolating</textarea>" in body
    assert not PlanVersion.objects.filter(user=cast.casey).exists()


def test_a_phone_number_with_letters_is_refused(cast, client_as):
    response = client_as("casey").post("/plan/edit/", _form(people=[{"name": "Jo", "phone": "call me maybe"}]))
    assert response.status_code == 400
    assert "Use digits, spaces and + ( ) - only" in response.content.decode()


def test_too_many_lines_keeps_the_text_and_says_the_limit(cast, client_as):
    lines = "\n".join(f"sign {n}" for n in range(31))
    response = client_as("casey").post("/plan/edit/", _form(triggers=lines))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Keep this to 30 lines or fewer." in body
    assert "sign 30" in body


@pytest.mark.parametrize(
    "tampered",
    [
        {"people-TOTAL_FORMS": "lots"},
        {"people-TOTAL_FORMS": "900"},
        {"coping_starters": ["99"]},
        {"coping_starters": ["0"], "coping": "anything"},  # already in Riley's plan: not offered
        {"coping_starters": ["x"]},
    ],
)
def test_tampered_fields_are_a_form_error_not_a_500(cast, client_as, tampered):
    before = PlanVersion.objects.filter(user=cast.riley).count()
    response = client_as("riley").post("/plan/edit/", {**_form(reasons="My kids"), **tampered})
    assert response.status_code == 400
    assert "My kids" in response.content.decode()
    assert PlanVersion.objects.filter(user=cast.riley).count() == before


# --- the PDF -------------------------------------------------------------------------------


def test_plan_pdf_is_a_real_pdf_with_the_plan_text(cast, client_as):
    response = client_as("riley").get("/plan.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]
    assert pdf_info(response.content)["title"] == "Relapse-prevention plan of riley"
    text = joined_words(pdf_text(response.content))
    for words in (
        "My relapse-prevention plan",
        "Skipping meals",
        "Payday Fridays",
        "Walk the dog around the block",
        "Sam (peer)",
        "Call 1-714-555-0101",
        "Tell Sam the same day.",
        "If I am in crisis",
        "988",
    ):
        assert words in text, words
    # What only makes sense on a screen stays off the paper.
    assert "Change my plan" not in text and "See what changed" not in text


@pytest.mark.parametrize(
    ("size", "points"),
    [("phone", (255, 454)), ("a4", (595, 842)), ("letter", (612, 792)), ("bogus", (612, 792)), ("", (612, 792))],
)
def test_plan_pdf_page_size_follows_the_choice(cast, client_as, size, points):
    response = client_as("riley").get(f"/plan.pdf?size={size}")
    assert response.status_code == 200
    info = pdf_info(response.content)
    assert info["sizes"] == {points}
    assert isinstance(info["pages"], int) and info["pages"] >= 1


def test_a_phone_sized_pdf_has_more_pages_than_a_letter_one(cast, client_as):
    client = client_as("riley")
    phone = pdf_info(client.get("/plan.pdf?size=phone").content)["pages"]
    letter = pdf_info(client.get("/plan.pdf?size=letter").content)["pages"]
    assert phone > letter  # type: ignore[operator]


def test_an_empty_plan_prints_with_room_to_write(cast, client_as):
    response = client_as("casey").get("/plan.pdf?size=a4")
    assert response.status_code == 200
    text = joined_words(pdf_text(response.content))
    assert "My warning signs" in text and "People I can call" in text
    assert pdf_info(response.content)["title"] == "Relapse-prevention plan of casey"


def test_the_pdf_shows_only_the_members_own_plan(cast, client_as):
    pdf = client_as("sam").get("/plan.pdf").content
    assert "Payday Fridays" not in pdf_text(pdf)
    assert pdf_info(pdf)["title"] == "Relapse-prevention plan of sam"


def test_every_label_on_the_plan_form_points_at_one_box(cast, client_as):
    body = client_as("riley").get("/plan/edit/").content.decode()
    ids = re.findall(r'\bid="([^"]+)"', body)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for target in re.findall(r'<label[^>]* for="([^"]+)"', body):
        assert target in ids, target

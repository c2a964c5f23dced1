"""FHIR R4 Questionnaire / QuestionnaireResponse export, checked against the R4 rules it must meet."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from alongside.recovery.fhir import (
    DEFAULT_BASE,
    TOTAL_LINK_ID,
    questionnaire,
    questionnaire_response,
    questionnaire_url,
)
from alongside.recovery.instruments import INSTRUMENTS, Instrument, score

# Regular expressions from the R4 datatypes page (hl7.org/fhir/R4/datatypes.html).
FHIR_DATETIME = re.compile(
    r"([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])"
    r"(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?"
)
FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
FHIR_CODE = re.compile(r"[^\s]+(\s[^\s]+)*")
QUESTIONNAIRE_NAME = re.compile(r"[A-Z]([A-Za-z0-9_]){0,254}")  # constraint que-0
ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string", "text"}
ITEM_TYPES |= {"url", "choice", "open-choice", "attachment", "reference", "quantity"}
AUTHORED = dt.datetime(2025, 3, 9, 21, 15, tzinfo=ZoneInfo("America/New_York"))

CASES = [(code, language) for code in INSTRUMENTS for language in ("en", "es")]


def first_answers(instrument: Instrument) -> list[int]:
    values = [o.value for o in instrument.options]
    return [values[n % len(values)] for n in range(len(instrument.items))]


def response(instrument: Instrument, answers: list[int] | None = None, **overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "authored": AUTHORED,
        "subject_reference": "Patient/riley",
        "response_id": "assessment-42",
    } | overrides
    return questionnaire_response(instrument, answers or first_answers(instrument), **arguments)


def codings_by_link_id(resource: dict) -> dict[str, list[tuple[str, str]]]:
    return {
        item["linkId"]: [(o["valueCoding"]["system"], o["valueCoding"]["code"]) for o in item.get("answerOption", [])]
        for item in resource["item"]
    }


# --- Questionnaire --------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "language"), CASES)
def test_questionnaire_meets_the_r4_rules(code, language):
    instrument = INSTRUMENTS[code]
    resource = questionnaire(instrument, language)
    assert json.loads(json.dumps(resource)) == resource
    assert resource["resourceType"] == "Questionnaire"
    assert resource["status"] == "active"  # 1..1, from the publication-status value set
    assert resource["url"] == f"https://alongside.example/fhir/Questionnaire/{code}"
    assert FHIR_ID.fullmatch(resource["id"])
    assert QUESTIONNAIRE_NAME.fullmatch(resource["name"])
    assert resource["language"] == language
    assert resource["title"] == instrument.title.get(language)

    link_ids = [item["linkId"] for item in resource["item"]]
    assert len(set(link_ids)) == len(link_ids)  # linkIds are unique in a Questionnaire
    for item in resource["item"]:
        assert item["type"] in ITEM_TYPES and item["text"]
        assert "item" not in item  # no groups here, so no nesting (que-1)
        if item["type"] == "display":
            # que-6: no required/repeats on display items; que-9: no readOnly; que-5: no answers.
            assert not {"required", "repeats", "readOnly", "answerOption"} & set(item)
        elif item["type"] == "choice":
            assert item["required"] is True
            assert "answerValueSet" not in item  # que-4: not both
            assert len(item["answerOption"]) == len(instrument.options)
            for option in item["answerOption"]:
                coding = option["valueCoding"]
                assert set(coding) == {"system", "code", "display"}
                assert coding["system"].startswith(("http://", "https://"))
                assert FHIR_CODE.fullmatch(coding["code"]) and coding["display"]
        else:
            assert "answerOption" not in item  # que-5: answers only on choice items

    questions = [item for item in resource["item"] if item["type"] == "choice"]
    assert [q["linkId"] for q in questions] == [i.link_id for i in instrument.items]
    assert [q["text"] for q in questions] == [i.text.get(language) for i in instrument.items]
    assert resource["item"][0]["text"] == instrument.stem.get(language)
    total = resource["item"][-1]
    assert (total["linkId"], total["type"], total["readOnly"]) == (TOTAL_LINK_ID, "integer", True)


def test_questionnaire_options_carry_codes_and_scores():
    phq9 = questionnaire(INSTRUMENTS["phq9"], "es")
    item9 = next(item for item in phq9["item"] if item["linkId"] == "phq9-9")
    assert item9["code"] == [{"system": "http://loinc.org", "code": "44260-8"}]
    assert item9["answerOption"][1] == {
        "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 1}],
        "valueCoding": {"system": "http://loinc.org", "code": "LA6569-3", "display": "Varios días"},
    }
    assert phq9["code"] == [{"system": "http://loinc.org", "code": "44249-1"}]
    assert phq9["item"][-1]["code"] == [{"system": "http://loinc.org", "code": "44261-6"}]

    barc10 = questionnaire(INSTRUMENTS["barc10"])
    assert barc10["item"][1]["answerOption"][-1]["valueCoding"] == {
        "system": "https://alongside.example/fhir/CodeSystem/barc10-options",
        "code": "6",
        "display": "Strongly agree",
    }
    assert "code" not in barc10


def test_the_barc10_spanish_questionnaire_says_it_is_our_translation():
    assert "not a validated" in questionnaire(INSTRUMENTS["barc10"], "es")["description"]
    assert "not a validated" not in questionnaire(INSTRUMENTS["barc10"], "en")["description"]


def test_base_url_is_a_parameter():
    resource = questionnaire(INSTRUMENTS["barc10"], base="https://recovery.example.org/fhir/")
    assert resource["url"] == "https://recovery.example.org/fhir/Questionnaire/barc10"
    assert resource["item"][1]["answerOption"][0]["valueCoding"]["system"] == (
        "https://recovery.example.org/fhir/CodeSystem/barc10-options"
    )
    assert questionnaire_url(INSTRUMENTS["gad7"]) == f"{DEFAULT_BASE}/Questionnaire/gad7"


def test_unsupported_language_is_refused():
    with pytest.raises(ValueError, match="no instrument text"):
        questionnaire(INSTRUMENTS["gad7"], "de")


# --- QuestionnaireResponse ------------------------------------------------------------------


@pytest.mark.parametrize(("code", "language"), CASES)
def test_response_meets_the_r4_rules_and_matches_its_questionnaire(code, language):
    instrument = INSTRUMENTS[code]
    answers = first_answers(instrument)
    form = questionnaire(instrument, language)
    resource = response(instrument, answers, language=language)

    assert json.loads(json.dumps(resource)) == resource
    assert resource["resourceType"] == "QuestionnaireResponse"
    assert resource["status"] == "completed"  # 1..1
    assert resource["questionnaire"] == form["url"]  # canonical of the Questionnaire
    assert resource["id"] == "assessment-42"
    assert resource["subject"] == {"reference": "Patient/riley"}
    assert resource["language"] == language
    assert FHIR_DATETIME.fullmatch(resource["authored"])

    options = codings_by_link_id(form)
    form_order = [item["linkId"] for item in form["item"]]
    seen = [item["linkId"] for item in resource["item"]]
    assert seen == [link_id for link_id in form_order if link_id in seen]  # same order as the form
    for item in resource["item"]:
        assert item["linkId"] in options  # every linkId exists in the Questionnaire
        assert not ("answer" in item and "item" in item)  # qrs-1
        assert len(item["answer"]) == 1  # no item repeats
    required = [item["linkId"] for item in form["item"] if item.get("required")]
    assert set(required) <= set(seen)

    for item, value in zip(resource["item"], answers, strict=False):
        coding = item["answer"][0]["valueCoding"]
        # The answer is one of the item's answerOptions (system + code), in the form's language.
        assert (coding["system"], coding["code"]) in options[item["linkId"]]
        assert coding["display"] == instrument.option(value).text.get(language)
    assert resource["item"][-1] == {
        "linkId": TOTAL_LINK_ID,
        "text": form["item"][-1]["text"],
        "answer": [{"valueInteger": score(code, answers).total}],
    }


def test_authored_keeps_its_offset():
    assert response(INSTRUMENTS["gad7"])["authored"] == "2025-03-09T21:15:00-04:00"
    in_utc = response(INSTRUMENTS["gad7"], authored=dt.datetime(2025, 1, 2, 3, 4, 5, 678, tzinfo=dt.UTC))
    assert in_utc["authored"] == "2025-01-02T03:04:05+00:00"
    assert dt.datetime.fromisoformat(response(INSTRUMENTS["gad7"])["authored"]) == AUTHORED


def test_phq9_response_codes():
    resource = response(INSTRUMENTS["phq9"], [0, 1, 2, 3, 0, 1, 2, 3, 1])
    assert resource["item"][8]["answer"] == [
        {"valueCoding": {"system": "http://loinc.org", "code": "LA6569-3", "display": "Several days"}}
    ]
    assert resource["item"][-1]["answer"] == [{"valueInteger": 13}]


def test_response_refuses_what_fhir_or_the_instrument_would_not_accept():
    gad7 = INSTRUMENTS["gad7"]
    with pytest.raises(ValueError, match="authored must be an aware datetime"):
        response(gad7, authored=dt.datetime(2025, 1, 1, 9, 0))  # noqa: DTZ001 (the point of the test)
    with pytest.raises(ValueError, match="not a FHIR id"):
        response(gad7, response_id="assessment/42")
    with pytest.raises(ValueError, match="not a FHIR id"):
        response(gad7, response_id="x" * 65)
    with pytest.raises(ValueError, match="subject_reference"):
        response(gad7, subject_reference=" ")
    with pytest.raises(ValueError, match=r"item 7 \(gad7-7\) must be a whole number 0–3"):
        response(gad7, [0, 0, 0, 0, 0, 0, 4])
    with pytest.raises(ValueError, match="expected 7 answers, got 6"):
        response(gad7, [0] * 6)

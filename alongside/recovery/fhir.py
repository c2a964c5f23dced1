"""FHIR R4 Questionnaire and QuestionnaireResponse for the assessment instruments.

Pure: no Django. Returns plain dicts ready for ``json.dumps``; the API and the member's data
export serialise them. The shapes follow the R4 resources (hl7.org/fhir/R4/questionnaire.html,
questionnaireresponse.html) with no profile beyond the core one.

Codes: PHQ-9 and GAD-7 items and answers carry their LOINC codes, so another system can read
them without our Questionnaire. BARC-10 has no LOINC answer list, so its answers are coded in
a CodeSystem named under ``base`` (``<base>/CodeSystem/barc10-options``), with the score as code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from alongside.recovery.instruments import Instrument, Option, Text, normalise_language, score

__all__ = [
    "DEFAULT_BASE",
    "TOTAL_LINK_ID",
    "answer_coding",
    "questionnaire",
    "questionnaire_response",
    "questionnaire_url",
]

DEFAULT_BASE = "https://alongside.example/fhir"
LOINC = "http://loinc.org"
# R4 core extension: the score an answer contributes, so a reader can total the form itself.
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
TOTAL_LINK_ID = "total"
STEM_LINK_ID = "stem"
_TOTAL = Text("Total score", "Puntuación total")
_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")  # R4 'id' datatype

Resource = dict[str, Any]


def questionnaire_url(instrument: Instrument, *, base: str = DEFAULT_BASE) -> str:
    return f"{base.rstrip('/')}/Questionnaire/{instrument.code}"


def answer_coding(
    instrument: Instrument, option: Option, language: str = "en", *, base: str = DEFAULT_BASE
) -> Resource:
    # display is in the form's language because it is what the person read; the meaning
    # travels in system + code, which do not change with language.
    if option.loinc is not None:
        system, code = LOINC, option.loinc
    else:
        system, code = f"{base.rstrip('/')}/CodeSystem/{instrument.code}-options", str(option.value)
    return {"system": system, "code": code, "display": option.text.get(language)}


def _name(instrument: Instrument) -> str:
    # Questionnaire.name should be usable as an identifier (constraint que-0): "PHQ9".
    return instrument.code.upper()


def questionnaire(instrument: Instrument, language: str = "en", *, base: str = DEFAULT_BASE) -> Resource:
    """The instrument as an R4 Questionnaire in one language."""
    language = normalise_language(language)
    items: list[Resource] = [
        {"linkId": STEM_LINK_ID, "type": "display", "text": instrument.stem.get(language)},
    ]
    for item in instrument.items:
        entry: Resource = {"linkId": item.link_id}
        if item.loinc is not None:
            entry["code"] = [{"system": LOINC, "code": item.loinc}]
        entry.update(
            {
                "text": item.text.get(language),
                "type": "choice",
                "required": True,
                "answerOption": [
                    {
                        "extension": [{"url": ORDINAL_VALUE, "valueDecimal": option.value}],
                        "valueCoding": answer_coding(instrument, option, language, base=base),
                    }
                    for option in instrument.options
                ],
            }
        )
        items.append(entry)
    total: Resource = {"linkId": TOTAL_LINK_ID}
    if instrument.total_loinc is not None:
        total["code"] = [{"system": LOINC, "code": instrument.total_loinc}]
    total.update(
        {
            "text": _TOTAL.get(language),
            "type": "integer",
            "readOnly": True,
        }
    )
    items.append(total)

    resource: Resource = {
        "resourceType": "Questionnaire",
        "id": instrument.code,
        "language": language,
        "url": questionnaire_url(instrument, base=base),
        "name": _name(instrument),
        "title": instrument.title.get(language),
        "status": "active",
        "subjectType": ["Patient"],
        "description": instrument.citation,
        "copyright": instrument.licence_note,
    }
    if instrument.translation_note is not None and language != "en":
        resource["description"] += "\n\n" + instrument.translation_note
    if instrument.loinc is not None:
        resource["code"] = [{"system": LOINC, "code": instrument.loinc}]
    resource["item"] = items
    return resource


def questionnaire_response(
    instrument: Instrument,
    answers: Sequence[int],
    *,
    authored: dt.datetime,
    subject_reference: str,
    response_id: str,
    language: str = "en",
    base: str = DEFAULT_BASE,
) -> Resource:
    """One completed assessment as an R4 QuestionnaireResponse (status ``completed``).

    Answers are validated and totalled by ``instruments.score``, so an export can never carry
    a total that the app would not have computed.
    """
    language = normalise_language(language)
    if authored.tzinfo is None or authored.utcoffset() is None:
        # R4 dateTime: "If hours and minutes are specified, a time zone SHALL be populated".
        raise ValueError("authored must be an aware datetime: FHIR requires a time zone on a dateTime with a time")
    if not _FHIR_ID.fullmatch(response_id):
        raise ValueError(f"response_id {response_id!r} is not a FHIR id (1–64 of A–Z, a–z, 0–9, '-', '.')")
    if not subject_reference.strip():
        raise ValueError("subject_reference must name the member, e.g. 'Patient/123'")
    result = score(instrument.code, answers)

    items: list[Resource] = []
    for item, value in zip(instrument.items, answers, strict=True):
        items.append(
            {
                "linkId": item.link_id,
                "text": item.text.get(language),
                "answer": [{"valueCoding": answer_coding(instrument, instrument.option(value), language, base=base)}],
            }
        )
    items.append(
        {
            "linkId": TOTAL_LINK_ID,
            "text": _TOTAL.get(language),
            "answer": [{"valueInteger": result.total}],
        }
    )
    return {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "language": language,
        "questionnaire": questionnaire_url(instrument, base=base),
        "status": "completed",
        "subject": {"reference": subject_reference},
        "authored": authored.isoformat(timespec="seconds"),
        "item": items,
    }

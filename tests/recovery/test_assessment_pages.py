"""The member's assessment pages: what is offered, taking one, the result (with the crisis
lines at once for PHQ-9 item 9), the FHIR download, and Spanish."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from alongside.accounts import selectors as accounts_selectors
from alongside.recovery import instruments, services
from alongside.recovery.fhir import questionnaire
from alongside.recovery.models import Assessment
from alongside.safety import selectors as safety_selectors
from alongside.safety.models import AlertKind, AlertStatus, Severity


def _answers(values: list[int]) -> dict[str, str]:
    return {f"q{number}": str(value) for number, value in enumerate(values, start=1)}


def _enable_phq9(cast) -> None:
    services.recovery_settings_update(program=cast.harbor, phq9_enabled=True)


def test_the_list_shows_what_is_offered_and_my_scores_over_time(cast, client_as):
    body = client_as("riley").get(reverse("assessments")).content.decode()
    assert "Brief Assessment of Recovery Capital (BARC-10)" in body
    assert "43 of 60" in body  # the demo's check-up, in the history table
    assert "Patient Health Questionnaire" not in body  # Harbor has not turned PHQ-9 on
    assert "Your recovery check-up is due" not in body  # the demo's was 80 days ago
    assert "not a diagnosis" in body


def test_barc10_due_notice(cast, client_as):
    Assessment.objects.filter(user=cast.riley).delete()
    body = client_as("riley").get(reverse("assessments")).content.decode()
    assert "Your recovery check-up is due" in body
    assert "You have not taken this one yet" in body


def test_take_barc10_and_see_the_score(cast, client_as):
    riley = client_as("riley")
    page = riley.get(reverse("assessment_take", args=["barc10"])).content.decode()
    assert page.count("<fieldset") == 10
    assert page.count('type="radio"') == 60
    assert "There are more important things to me in life than using substances." in page
    assert "Vilsaint" in page  # the citation
    response = riley.post(reverse("assessment_take", args=["barc10"]), _answers([5, 5, 5, 5, 5, 4, 4, 4, 4, 4]))
    assert response.status_code == 302
    result = riley.get(response["Location"])
    body = result.content.decode()
    assert "Score: 45 of 60" in body
    assert "Recovery capital" in body
    assert "not a diagnosis" in body
    assert "Free to use; cite Vilsaint et al. (2017)." in body
    assert 'href="tel:988"' not in body.split("<main", 1)[1].split("</main>", 1)[0]
    assert "43 of 60" in body  # the earlier one, in the history
    latest = Assessment.objects.filter(user=cast.riley).first()
    assert latest.total == 45
    assert latest.program == cast.harbor


def test_a_missing_answer_keeps_what_was_chosen_and_says_what_to_do(cast, client_as):
    before = Assessment.objects.filter(user=cast.riley).count()
    answers = _answers([6] * 10)
    del answers["q4"]
    response = client_as("riley").post(reverse("assessment_take", args=["barc10"]), answers)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose one answer for this question." in body
    assert body.count("checked") == 9
    assert Assessment.objects.filter(user=cast.riley).count() == before


def test_an_answer_outside_the_scale_is_refused(cast, client_as):
    response = client_as("riley").post(reverse("assessment_take", args=["barc10"]), _answers([9] * 10))
    assert response.status_code == 400
    assert "Choose one of the answers shown." in response.content.decode()


@pytest.mark.parametrize("code", ["phq9", "gad7", "mmpi", "r"])
def test_unknown_or_not_offered_is_404(cast, client_as, code):
    assert client_as("riley").get(reverse("assessment_take", args=[code])).status_code == 404


def test_phq9_item_9_shows_the_crisis_lines_at_once_and_alerts_the_peer(
    cast, client_as, django_capture_on_commit_callbacks
):
    _enable_phq9(cast)
    riley = client_as("riley")
    page = riley.get(reverse("assessment_take", args=["phq9"])).content.decode()
    assert "Thoughts that you would be better off dead" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = riley.post(reverse("assessment_take", args=["phq9"]), _answers([1, 0, 0, 0, 0, 0, 0, 0, 1]))
    assert response.status_code == 302
    body = riley.get(response["Location"]).content.decode()
    main = body.split('<main id="main"', 1)[1]
    assert 'href="tel:988"' in main
    assert main.index('href="tel:988"') < main.index("Score: 2 of 27")
    assert "Your team has been told" in main
    assert "Minimal" in main
    # ... and a person is on it: an open crisis alert in Sam's queue.
    _program, sam_membership = accounts_selectors.get_program_for(cast.sam, "harbor")
    queue = list(safety_selectors.alert_queue_for(cast.sam, sam_membership))
    alert = next(a for a in queue if a.kind == AlertKind.ASSESSMENT_RISK)
    assert alert.subject == cast.riley
    assert alert.severity == Severity.CRISIS
    assert alert.status == AlertStatus.OPEN


def test_phq9_without_item_9_shows_no_crisis_block(cast, client_as):
    _enable_phq9(cast)
    riley = client_as("riley")
    response = riley.post(reverse("assessment_take", args=["phq9"]), _answers([2, 2, 2, 2, 1, 1, 1, 1, 0]))
    body = riley.get(response["Location"]).content.decode()
    assert "Score: 12 of 27" in body
    assert "Moderate" in body
    assert "We are here with you" not in body


@pytest.mark.parametrize("who", ["casey", "sam", "dana", "alex", "jordan"])
def test_nobody_else_opens_rileys_result_or_its_download(cast, client_as, who):
    assessment = Assessment.objects.filter(user=cast.riley).first()
    client = client_as(who)
    assert client.get(reverse("assessment_result", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("assessment_fhir", args=[assessment.pk])).status_code == 404


def test_fhir_download_is_a_valid_questionnaire_response(cast, client_as):
    _enable_phq9(cast)
    riley = client_as("riley")
    riley.post(reverse("assessment_take", args=["phq9"]), _answers([0, 1, 2, 3, 0, 1, 2, 3, 0]))
    assessment = Assessment.objects.filter(user=cast.riley, instrument="phq9").get()
    response = riley.get(reverse("assessment_fhir", args=[assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["Content-Disposition"].startswith("attachment;")
    resource = json.loads(response.content)
    # Structure of an R4 QuestionnaireResponse, checked against our own Questionnaire.
    form = questionnaire(instruments.INSTRUMENTS["phq9"])
    assert resource["resourceType"] == "QuestionnaireResponse"
    assert resource["status"] == "completed"
    assert resource["questionnaire"].endswith("/Questionnaire/phq9")
    assert resource["subject"] == {"reference": f"Patient/{cast.riley.pk}"}
    assert "T" in resource["authored"] and (resource["authored"].endswith("+00:00") or "Z" in resource["authored"])
    answerable = {item["linkId"]: item for item in form["item"] if item["type"] in ("choice", "integer")}
    assert [item["linkId"] for item in resource["item"]] == list(answerable)
    for item in resource["item"][:-1]:
        (answer,) = item["answer"]
        coding = answer["valueCoding"]
        allowed = [option["valueCoding"]["code"] for option in answerable[item["linkId"]]["answerOption"]]
        assert coding["system"] == "http://loinc.org"
        assert coding["code"] in allowed
    assert resource["item"][-1] == {"linkId": "total", "text": "Total score", "answer": [{"valueInteger": 12}]}


def test_spanish_page_shows_the_spanish_text_and_keeps_the_language(cast, client_as):
    riley = client_as("riley")
    page = riley.get(reverse("assessment_take", args=["barc10"]), HTTP_ACCEPT_LANGUAGE="es")
    body = page.content.decode()
    assert page["Content-Language"] == "es"
    assert "Hay cosas en la vida más importantes para mí que consumir sustancias." in body
    assert "Totalmente de acuerdo" in body
    assert "There are more important things" not in body
    assert "not a validated Spanish version of the BARC-10" in body  # the Spanish text is ours: say so
    riley.post(reverse("assessment_take", args=["barc10"]), _answers([4] * 10), HTTP_ACCEPT_LANGUAGE="es")
    assert Assessment.objects.filter(user=cast.riley).first().language == "es"


def test_anonymous_is_sent_to_sign_in(db, client):
    response = client.get(reverse("assessments"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

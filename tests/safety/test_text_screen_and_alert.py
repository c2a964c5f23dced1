from __future__ import annotations

from alongside.safety.models import Alert, AlertKind, Severity
from alongside.safety.screening import Level
from alongside.safety.services import text_screen_and_alert


def test_crisis_text_from_a_member_raises_a_crisis_alert_with_reasons(cast):
    result, alert = text_screen_and_alert(
        program=cast.harbor, writer=cast.riley, text="I want to kill myself tonight", source_key="post:test:1"
    )
    assert result.level == Level.CRISIS
    assert alert is not None
    assert alert.kind == AlertKind.CRISIS_TEXT
    assert alert.severity == Severity.CRISIS
    assert alert.reasons
    assert {"rule", "phrase"} <= set(alert.reasons[0])


def test_concern_text_raises_a_concern_alert(cast):
    result, alert = text_screen_and_alert(
        program=cast.harbor,
        writer=cast.riley,
        text="cravings are so strong today, thinking about using",
        source_key="post:test:2",
    )
    assert result.level == Level.CONCERN
    assert alert is not None
    assert alert.severity == Severity.CONCERN


def test_ordinary_text_and_idioms_raise_nothing(cast):
    before = Alert.objects.count()
    for n, text in enumerate(
        ["Had a great meeting tonight", "this traffic is killing me", "she killed it at the talk"]
    ):
        result, alert = text_screen_and_alert(
            program=cast.harbor, writer=cast.riley, text=text, source_key=f"post:ok:{n}"
        )
        assert result.level == Level.NONE
        assert alert is None
    assert Alert.objects.count() == before


def test_the_same_post_saved_twice_raises_one_alert(cast):
    _, first = text_screen_and_alert(
        program=cast.harbor, writer=cast.riley, text="I want to die", source_key="post:test:3"
    )
    _, second = text_screen_and_alert(
        program=cast.harbor, writer=cast.riley, text="I want to die!", source_key="post:test:3"
    )
    assert first == second


def test_help_request_details_carry_screening_reasons(cast, client_as):
    client = client_as("riley")
    client.post("/support/")
    alert = Alert.objects.filter(subject=cast.riley).latest("raised_at")
    client.post(f"/support/{alert.pk}/", {"message": "I have pills and I want to end it", "contact_preference": "call"})
    alert.refresh_from_db()
    assert alert.reasons


def test_the_semantic_second_look_can_raise_a_level_when_switched_on(cast, settings, monkeypatch):
    from alongside.safety import semantic
    from alongside.safety.screening import Reason

    veiled = "I sorted out who gets my guitar and wrote to my sister."

    def second_look(text, language, rules_level):
        assert rules_level == Level.NONE
        return Level.CRISIS, (Reason("semantic.crisis", text),)

    monkeypatch.setattr(semantic, "second_look", second_look)
    settings.SCREENING_SEMANTIC = False
    result, alert = text_screen_and_alert(program=cast.harbor, writer=cast.riley, text=veiled, source_key="post:s1")
    assert result.level == Level.NONE and alert is None

    settings.SCREENING_SEMANTIC = True
    result, alert = text_screen_and_alert(program=cast.harbor, writer=cast.riley, text=veiled, source_key="post:s2")
    assert result.level == Level.CRISIS
    assert alert is not None and alert.kind == AlertKind.CRISIS_TEXT
    assert alert.reasons == [{"rule": "semantic.crisis", "phrase": veiled}]

"""Text screening (issue 3): behaviour, interface, gating soundness and the labelled set.

Pure tests: no database. Timing is measured by ``bench/screening.py``, never here.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alongside.safety import screening
from alongside.safety.screening import MAX_SCAN_CHARS, Level, Reason, Screening, screen
from tests.safety.screening_cases import ALL_CASES, DEV_CASES, HOLDOUT_CASES, PARTS, TUNED_CASES, Case

ROOT = Path(__file__).resolve().parents[2]


def level_of(text: str, language: str = "en") -> str:
    return screen(text, language).level.value


def rules_of(text: str) -> list[str]:
    return [reason.rule for reason in screen(text).reasons]


# ------------------------------------------------------------------------------- interface


def test_level_is_a_string_enum_with_the_agreed_values():
    assert [level.value for level in Level] == ["crisis", "concern", "none"]
    assert Level.CRISIS == "crisis"
    assert isinstance(Level.NONE, str)


def test_screening_and_reason_are_frozen_and_serialise_to_the_agreed_shape():
    result = screen("I want to kill myself")
    assert isinstance(result, Screening)
    assert all(isinstance(reason, Reason) for reason in result.reasons)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.level = Level.NONE  # type: ignore[misc]
    assert result.as_dict() == {
        "level": "crisis",
        "reasons": [{"rule": "suicidal_intent", "phrase": "want to kill myself"}],
    }


def test_screening_module_does_not_import_django():
    code = (
        "import sys; import alongside.safety.screening; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


# ------------------------------------------------------------------------------- behaviour


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \n"])
def test_empty_or_whitespace_text_is_none_with_no_reasons(text):
    assert screen(text) == Screening(Level.NONE, ())


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "honestly i just want to die",
        "everyone would be better off without me",
        "I'm going to cut myself tonight",
        "I took a whole bottle of my pills",
        "I'm going to kill him when he gets home",
        "by the time you read this I'll be gone",
    ],
)
def test_clear_crisis_statements_are_crisis(text):
    assert level_of(text) == "crisis"


def test_negated_suicidal_statement_is_concern_not_crisis():
    result = screen("I'm not going to kill myself, don't worry")
    assert result.level is Level.CONCERN
    assert result.reasons == (Reason("suicidal_intent.negated", "kill myself"),)


def test_safety_statement_after_ideation_softens_it_to_concern():
    assert level_of("sometimes I think about suicide but I would never do it") == "concern"
    assert level_of("I've had thoughts of ending my life but I'm safe tonight") == "concern"


def test_not_that_does_not_negate_the_intent_stays_crisis():
    assert level_of("I want to kill myself, I'm not joking") == "crisis"
    assert level_of("I'm not okay. I want to die.") == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "this traffic is killing me",
        "I'm dying to see you guys on Saturday!",
        "she killed it at the talk tonight",
        "that cheesecake was to die for",
        "I'd rather die than go to another meeting in that basement lol",
        "I cut myself shaving lol",
        "i OD'd on cookies at the potluck lol",
        "me muero de hambre",
        "este tráfico me está matando",
    ],
)
def test_idioms_are_none(text):
    assert level_of(text) == "none"


def test_substance_idioms_are_still_cravings():
    assert rules_of("I'd kill for a drink right now") == ["craving"]
    assert rules_of("I'm dying for a drink") == ["craving"]


@pytest.mark.parametrize(
    "text",
    [
        "Two years ago I overdosed; today I'm grateful to be alive",
        "I tried to kill myself in 2016. Today I help others as a peer coach.",
        "When I was using I overdosed three times. Now I carry Narcan everywhere.",
        "hace dos años tuve una sobredosis, hoy estoy agradecido",
    ],
)
def test_recovery_stories_about_the_distant_past_are_none(text):
    assert level_of(text) == "none"


def test_a_sobriety_date_does_not_switch_off_present_intent():
    assert level_of("I'm 2 years clean and I want to die") == "crisis"


def test_returning_thoughts_undo_the_distant_past_reading():
    assert level_of("I used to be suicidal, and lately those thoughts are creeping back") == "crisis"


def test_recent_return_to_use_is_concern():
    assert screen("I relapsed yesterday").reasons == (Reason("return_to_use", "relapsed"),)
    assert level_of("recaí ayer", "es") == "concern"


def test_recent_suicide_attempt_stays_crisis():
    assert level_of("Tried to kill myself last night. Still here I guess.") == "crisis"


def test_someone_elses_overdose_now_is_crisis_but_last_week_is_concern():
    assert level_of("HELP my brother is ODing right now") == "crisis"
    assert level_of("my roommate is not breathing and his lips are blue") == "crisis"
    assert level_of("my friend od'd last week and I can't stop thinking about it") == "concern"


def test_overdose_signs_count_only_with_talk_of_taking_something():
    assert level_of("my brother shot up and he's blue, what do I do") == "crisis"
    assert level_of("I can't breathe, panic attack at work") == "none"


def test_a_means_or_place_counts_only_with_despair_or_intent():
    assert level_of("I'm standing on the overpass. I can't do this anymore.") == "crisis"
    assert level_of("I'm standing on the bridge taking photos of the sunset") == "none"


@pytest.mark.parametrize(
    "text",
    ["kms", "i wanna unalive myself", "i'm gonna od tonight", "Ive been sucidal for weeks", "i want to kil myself"],
)
def test_slang_and_misspellings_are_caught(text):
    assert level_of(text) == "crisis"


def test_repeated_letters_accents_and_curly_quotes_are_normalised_for_matching():
    assert level_of("I want to dieeeee") == "crisis"
    assert level_of("quiero morír") == "crisis"
    assert level_of("I’m going to KILL MYSELF") == "crisis"


def test_reasons_report_the_phrase_as_written():
    assert screen("I’m going to KILL MYSELF tonight").reasons == (Reason("suicidal_intent", "KILL MYSELF"),)
    assert screen("Quiero morírme yaaaa").reasons == (Reason("suicidal_intent", "Quiero morírme"),)


@pytest.mark.parametrize("language", ["en", "es", "fr", ""])
def test_spanish_crisis_terms_are_caught_whatever_the_language_says(language):
    assert level_of("I can't anymore, quiero morir", language) == "crisis"
    assert level_of("me voy a matar esta noche", language) == "crisis"


def test_negated_concern_is_none():
    assert level_of("no cravings today, feeling strong") == "none"
    assert level_of("I'm not hopeless anymore") == "none"
    assert level_of("the cravings are gone since I started meds, so grateful") == "none"


def test_joking_suicide_talk_is_concern_and_joking_threats_are_none():
    assert screen("kms lol this homework").reasons == (Reason("suicidal_intent.joking", "kms"),)
    assert level_of("I'm going to kill my brother if he eats my leftovers again 😂") == "none"


def test_goodbye_messages_need_finality_not_just_a_farewell():
    assert level_of("Goodbye everyone. I love you all. Please take care of my dog.") == "crisis"
    assert level_of("This will be the last time you hear from me. Thank you for everything.") == "crisis"
    assert level_of("Goodbye everyone, see you Thursday!") == "none"
    assert level_of("bye guys, logging off for the night") == "none"
    assert level_of("thank you all for everything this year, see you at the holiday party") == "none"


def test_every_flag_lists_reasons_and_none_lists_none():
    for case in ALL_CASES:
        result = screen(case.text, case.language)
        assert bool(result.reasons) == (result.level is not Level.NONE), case.text
        assert all(reason.phrase and reason.phrase in case.text for reason in result.reasons), case.text


def test_reasons_are_listed_once_each():
    assert screen("I want to die. I want to die. I want to die.").reasons == (
        Reason("suicidal_intent", "I want to die"),
    )


def test_only_the_first_max_scan_chars_are_screened():
    padding = "I went to a meeting and had coffee. " * (MAX_SCAN_CHARS // 30)
    assert level_of("I want to kill myself. " + padding) == "crisis"
    assert level_of(padding + " I want to kill myself.") == "none"


def test_very_long_run_on_text_is_screened_without_error():
    text = "i want to die and i used to want to kill myself years ago " * 400
    assert level_of(text) == "crisis"


# --------------------------------------------------------------- warning-sign rule families


@pytest.mark.parametrize(
    "text",
    [
        "I've been googling ways to die all night",
        "spent all night looking up painless ways to go",
        "how many tylenol would it take to not wake up",
        "searched how much insulin would be lethal",
        "whats the easiest way to kill urself",
        "estuve buscando cómo matarme",
    ],
)
def test_method_research_is_crisis(text):
    assert level_of(text) == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "googling ways to dye my hair pink lol",
        "How much naloxone does it take to reverse a fentanyl overdose?",
        "buscando cómo dejar de fumar",
    ],
)
def test_questions_that_only_sound_like_method_research_are_not_crisis(text):
    assert level_of(text) != "crisis"


def test_stockpiling_medication_is_crisis_but_stockpiling_snacks_is_none():
    assert rules_of("I've been stockpiling my oxy for a few weeks now") == ["means"]
    assert level_of("he estado juntando pastillas", "es") == "crisis"
    assert level_of("stockpiling snacks for movie night") == "none"


def test_buying_a_means_counts_with_a_sign_it_is_meant_for_the_writer():
    assert level_of("bought a rope today. I know which tree.") == "crisis"
    assert level_of("bought a new rope for the tire swing") == "none"


def test_a_plan_with_a_date_or_place_is_crisis_but_a_wedding_date_is_none():
    assert level_of("I've got a plan and a date. I'm done.") == "crisis"
    assert level_of("I have a date picked. The 14th.") == "crisis"
    assert level_of("ya tengo la fecha y el lugar", "es") == "crisis"
    assert level_of("We set a date for the wedding! June 14th") == "none"
    assert level_of("I have a plan for the holidays: meetings every day") == "none"


def test_goodbye_letter_is_crisis():
    assert level_of("finished my goodbye letter to my son") == "crisis"
    assert level_of("wrote a note and left it on the kitchen table for them to find") == "crisis"
    assert level_of("ya escribí mi carta de despedida", "es") == "crisis"


def test_goodbye_letter_to_a_substance_is_a_recovery_exercise_not_crisis():
    assert level_of("Writing a goodbye letter to alcohol, my therapist suggested it") == "none"
    assert level_of("wrote a letter to my younger self for step work") == "none"


def test_a_past_suicide_note_in_a_recovery_story_is_none():
    assert level_of("A year ago I wrote a suicide note. Today I read it out at my share.") == "none"


def test_preparatory_acts_together_are_crisis_one_alone_is_not():
    assert level_of("I've been putting my affairs in order. paid everything off, wrote a will.") == "crisis"
    assert level_of("Finally made a will after my daughter was born, adulting!") == "none"
    assert level_of("can you take care of my kids for me after tonight") == "crisis"
    assert level_of("Can you take care of my dog this weekend while I'm at the retreat?") == "none"


def test_farewell_language_is_crisis_but_leaving_a_job_or_city_is_not():
    assert level_of("goodbye everyone, it was nice knowing you all") == "crisis"
    assert level_of("thank you for everything. this is the last you'll hear from me") == "crisis"
    assert level_of("Ready to go. I've said my goodbyes.") == "crisis"
    assert level_of("Saying my goodbyes to this city, moving to Denver on Friday") == "none"
    assert level_of("Last day at my job today, goodbye everyone at the warehouse!") == "none"


def test_giving_possessions_away_with_finality_is_crisis_and_in_recovery_is_none():
    assert level_of("gave my guitar and my dog to my brother, i wont be needing them") == "crisis"
    assert level_of("gave away all my old wine glasses, don't need them anymore") == "none"


def test_perceived_burdensomeness_is_crisis():
    assert level_of("I won't be a problem for anyone much longer") == "crisis"
    assert level_of("my family would be better off with the life insurance money") == "crisis"
    assert level_of("everyone would be better off if I overdosed") == "crisis"
    assert level_of("ya no voy a ser una carga por mucho tiempo", "es") == "crisis"


def test_feeling_a_burden_without_finality_is_concern_and_negated_is_none():
    assert level_of("I feel like such a burden to my family lately") == "concern"
    assert level_of("me siento una carga para mi familia", "es") == "concern"
    assert level_of("My sponsor says I'm not a burden, and I'm starting to believe her") == "none"


def test_intentional_overdose_is_crisis_but_never_use_alone_advice_is_none():
    assert level_of("doing the whole bag by myself tonight, dont care if i wake up") == "crisis"
    assert level_of("thinking of swallowing everything in my medicine cabinet") == "crisis"
    assert level_of("Never use alone. The Never Use Alone hotline will send help if you stop responding.") == "none"


def test_veiled_plan_with_a_time_is_crisis():
    assert level_of("tonight I'm finally going to do it") == "crisis"
    assert level_of("imma end it tonight fr") == "crisis"
    assert level_of("ya me despedí de todos, esta noche termino con todo", "es") == "crisis"


def test_revenge_with_a_weapon_is_harm_to_others():
    assert rules_of("I'm going to make that man pay, I've got my brother's gun") == ["harm_to_others"]


def test_passive_wishes_are_crisis():
    assert level_of("I hope I get hit by a car on the way home") == "crisis"
    assert level_of("wish i'd never been born") == "crisis"
    assert level_of("i just wanna be dead") == "crisis"
    assert level_of("I'm dead tired, wanna be in bed") == "none"


# ------------------------------------------------------------------- gating is only a speed-up

_VOCABULARY = sorted(
    {word for case in ALL_CASES for word in case.text.lower().split()}
    | {"od'd", "o.d.", "oding", "kms", "self-harm", "unalive", "my", "self", "if", "i", "died", "again", "lol"}
)
_word_salad = st.lists(st.sampled_from(_VOCABULARY), min_size=1, max_size=14).map(" ".join)


def _all_parts():
    for rule, part in screening._RULE_PARTS.items:
        yield rule.requires, part
    for group in (screening._IDIOMS, screening._GOODBYE_STRONG, screening._GOODBYE_FINAL):
        for part in group:
            yield None, part


def _stems(text: str) -> set[str]:
    return {token[:3] for token in screening._TOKEN.findall(text)}


def _assert_parts_gated_soundly(text: str) -> None:
    norm = screening._normalise(text)[0]
    message_stems = _stems(norm)
    for requires, part in _all_parts():
        for match in part.pattern.finditer(norm):
            match_stems = _stems(match.group())
            assert match_stems & part.stems, (sorted(part.stems), match.group())
            if part.also:
                if requires is not None:  # the second gate stands for the rule's message-level condition
                    if requires.search(norm) is None:
                        continue
                    assert message_stems & part.also, (sorted(part.also), text)
                else:
                    assert match_stems & part.also, (sorted(part.also), match.group())


def test_every_match_contains_a_word_with_one_of_its_parts_stems():
    for case in ALL_CASES:
        _assert_parts_gated_soundly(case.text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_word_salad)
def test_every_match_in_word_salad_contains_a_stem_of_its_part(text):
    _assert_parts_gated_soundly(text)


def test_gating_never_changes_the_answer_on_the_labelled_set():
    for case in ALL_CASES:
        assert screening._screen(case.text, gated=True) == screening._screen(case.text, gated=False), case.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_word_salad)
def test_gating_never_changes_the_answer_on_word_salad(text):
    assert screening._screen(text, gated=True) == screening._screen(text, gated=False)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_screens_to_a_valid_result(text):
    result = screen(text)
    assert result.level in Level
    assert bool(result.reasons) == (result.level is not Level.NONE)


# ------------------------------------------------------------------------- the labelled set


def _measure(cases: tuple[Case, ...]) -> Counter[tuple[str, str]]:
    return Counter((case.expected, level_of(case.text, case.language)) for case in cases)


def _recall(matrix: Counter[tuple[str, str]], level: str) -> float:
    total = sum(count for (expected, _), count in matrix.items() if expected == level)
    return matrix[(level, level)] / total


def _none_to_crisis(matrix: Counter[tuple[str, str]]) -> float:
    total = sum(count for (expected, _), count in matrix.items() if expected == "none")
    return matrix[("none", "crisis")] / total


def test_labelled_set_is_large_varied_and_has_a_fresh_holdout():
    levels = Counter(case.expected for case in ALL_CASES)
    assert len(ALL_CASES) >= 300
    assert levels["none"] >= 120 and levels["concern"] >= 90 and levels["crisis"] >= 90
    assert sum(case.language == "es" for case in ALL_CASES) >= 30
    assert set(levels) == {"crisis", "concern", "none"}
    assert len(DEV_CASES) + sum(len(part) for name, part in PARTS.items() if name != "dev") == len(ALL_CASES)
    written_after_rules = len(ALL_CASES) - len(DEV_CASES)
    assert written_after_rules / len(ALL_CASES) >= 0.2
    assert len({(case.text, case.language) for case in ALL_CASES}) == len(ALL_CASES)  # no duplicates


def test_labelled_set_meets_the_targets():
    # Every case the rules were built or tuned against (the holdout is checked below).
    matrix = _measure(TUNED_CASES)
    assert _recall(matrix, "crisis") >= 0.97
    assert _none_to_crisis(matrix) <= 0.02


@pytest.mark.parametrize("name", list(PARTS))
def test_every_part_stays_under_the_false_crisis_alarm_target(name):
    # The holdout was read while the fifth version was written, so it is tuning data now;
    # the fresh check is tests/safety/screening_fresh.py, reported (never asserted on, so
    # nobody tunes against it) by bench/screening.py.
    matrix = _measure(PARTS[name])
    assert _none_to_crisis(matrix) <= 0.02
    assert _recall(matrix, "crisis") >= 0.97


def test_holdout_is_documented_as_tuning_data_now():
    assert PARTS["holdout"] == HOLDOUT_CASES
    assert set(HOLDOUT_CASES) <= set(TUNED_CASES)


# ------------------------------------------- trying parts only where they can start is a speed-up


_spaced_salad = st.lists(
    st.tuples(st.sampled_from(_VOCABULARY), st.sampled_from([" ", " ", " ", "  ", "\n", " \t ", ", ", "\n\n"])),
    min_size=1,
    max_size=14,
).map(lambda pairs: "".join(word + gap for word, gap in pairs))


def _assert_candidates_find_every_match(text: str) -> None:
    norm = screening._normalise(text)[0]
    candidates = screening._TRIGGERS.candidates(norm, screening._PART_BITS)
    for part in screening._ALL_PARTS:
        expected = [m.span() for m in part.pattern.finditer(norm)]
        assert [m.span() for m in screening._matches(part, norm, candidates)] == expected, (part.pattern.pattern, text)


def test_every_part_has_known_starts():
    # A part without them still works (it scans the whole text) but is slow on every post.
    assert screening._TRIGGERS.unpinned == 0


def test_candidate_starts_find_every_match_on_the_labelled_set():
    texts = [case.text for case in ALL_CASES]
    posts = [" ".join(texts[i : i + 4]) for i in range(0, len(texts), 4)]
    for text in texts + posts + ["\n\n".join(texts[i : i + 3]) for i in range(0, len(texts), 3)]:
        _assert_candidates_find_every_match(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_spaced_salad)
def test_candidate_starts_find_every_match_in_word_salad(text):
    _assert_candidates_find_every_match(text)


def _needing_patterns():
    return [value for value in vars(screening).values() if isinstance(value, screening._Needing)]


def test_needed_words_never_skip_a_match_on_the_labelled_set():
    assert _needing_patterns()
    for case in ALL_CASES:
        norm = screening._normalise(case.text)[0]
        for needing in _needing_patterns():
            for start in range(0, len(norm), 7):
                found = needing.search(norm, start, start + 60)
                expected = needing.pattern.search(norm, start, start + 60)
                assert (found and found.span()) == (expected and expected.span()), (needing.pattern.pattern, norm)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_spaced_salad)
def test_needed_words_never_skip_a_match_in_word_salad(text):
    norm = screening._normalise(text)[0]
    for needing in _needing_patterns():
        found, expected = needing.search(norm), needing.pattern.search(norm)
        assert (found and found.span()) == (expected and expected.span())

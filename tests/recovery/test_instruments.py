"""Assessment instruments: published text and published scoring rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alongside.recovery.instruments import INSTRUMENTS, LANGUAGES, Instrument, Score, Text, normalise_language, score

BARC10, PHQ9, GAD7 = INSTRUMENTS["barc10"], INSTRUMENTS["phq9"], INSTRUMENTS["gad7"]


def answers_totalling(instrument: Instrument, total: int, *, keep_last_at_lowest: bool = False) -> list[int]:
    """Answers (in option values) adding up to ``total``, filled from the first item."""
    values = sorted(option.value for option in instrument.options)
    low, high = values[0], values[-1]
    answers = [low] * len(instrument.items)
    rest = total - low * len(answers)
    fillable = len(answers) - 1 if keep_last_at_lowest else len(answers)
    for index in range(fillable):
        step = min(high - low, rest)
        answers[index] += step
        rest -= step
    assert rest == 0, f"cannot make {total} from {instrument.code}"
    return answers


# --- Definitions ----------------------------------------------------------------------------


def test_the_three_instruments():
    assert set(INSTRUMENTS) == {"barc10", "phq9", "gad7"}
    assert all(code == instrument.code for code, instrument in INSTRUMENTS.items())
    assert [len(i.items) for i in (BARC10, PHQ9, GAD7)] == [10, 9, 7]
    assert [o.value for o in BARC10.options] == [1, 2, 3, 4, 5, 6]
    assert [o.value for o in PHQ9.options] == [0, 1, 2, 3]
    assert [o.value for o in GAD7.options] == [0, 1, 2, 3]


@pytest.mark.parametrize("instrument", INSTRUMENTS.values(), ids=list(INSTRUMENTS))
def test_totals_follow_from_items_and_options(instrument: Instrument):
    values = [o.value for o in instrument.options]
    assert instrument.min_total == min(values) * len(instrument.items)
    assert instrument.max_total == max(values) * len(instrument.items)


@pytest.mark.parametrize("instrument", INSTRUMENTS.values(), ids=list(INSTRUMENTS))
def test_every_text_is_there_in_every_language(instrument: Instrument):
    texts = [
        instrument.title,
        instrument.stem,
        *(i.text for i in instrument.items),
        *(o.text for o in instrument.options),
    ]
    texts += [band.label for band in instrument.bands]
    for text in texts:
        for language in LANGUAGES:
            assert text.get(language).strip() == text.get(language) != ""
        assert text.en != text.es
    link_ids = [item.link_id for item in instrument.items]
    assert len(set(link_ids)) == len(link_ids)
    assert instrument.citation and instrument.licence_note


@pytest.mark.parametrize("instrument", [PHQ9, GAD7], ids=["phq9", "gad7"])
def test_bands_cover_the_range_without_gaps(instrument: Instrument):
    assert instrument.bands[0].low == instrument.min_total
    assert instrument.bands[-1].high == instrument.max_total
    for before, after in zip(instrument.bands, instrument.bands[1:], strict=False):
        assert after.low == before.high + 1


def test_published_wording():
    assert PHQ9.stem.en == "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    assert GAD7.stem.en == "Over the last 2 weeks, how often have you been bothered by the following problems?"
    assert PHQ9.items[8].text.en == "Thoughts that you would be better off dead or of hurting yourself in some way"
    assert PHQ9.items[8].text.es == "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera"
    assert [o.text.en for o in PHQ9.options] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    assert [o.text.es for o in PHQ9.options] == [
        "Ningún día",
        "Varios días",
        "Más de la mitad de los días",
        "Casi todos los días",
    ]
    assert GAD7.items[0].text.en == "Feeling nervous, anxious, or on edge"
    assert BARC10.items[0].text.en == "There are more important things to me in life than using substances."
    assert BARC10.items[9].text.en == "I am making good progress on my recovery journey."
    assert [o.text.en for o in BARC10.options][::5] == ["Strongly disagree", "Strongly agree"]


def test_loinc_codes_where_loinc_has_them():
    assert (PHQ9.loinc, PHQ9.total_loinc, PHQ9.items[8].loinc) == ("44249-1", "44261-6", "44260-8")
    assert (GAD7.loinc, GAD7.total_loinc, GAD7.items[0].loinc) == ("69737-5", "70274-6", "69725-0")
    assert [o.loinc for o in PHQ9.options] == ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
    assert all(i.loinc for i in PHQ9.items + GAD7.items)
    assert BARC10.loinc is None and all(o.loinc is None for o in BARC10.options)


def test_only_the_barc10_spanish_is_our_own_translation():
    assert BARC10.translation_note is not None and "not a validated" in BARC10.translation_note
    assert PHQ9.translation_note is None and GAD7.translation_note is None


@pytest.mark.parametrize(
    ("given_language", "expected"), [("en", "en"), ("es", "es"), ("es-MX", "es"), ("ES", "es"), ("en_US", "en")]
)
def test_languages(given_language, expected):
    assert normalise_language(given_language) == expected
    assert Text("hello", "hola").get(given_language) == {"en": "hello", "es": "hola"}[expected]


def test_a_language_without_a_text_is_refused_not_replaced():
    with pytest.raises(ValueError, match="no instrument text in language 'fr'"):
        PHQ9.stem.get("fr")


# --- Scoring --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands(total, band):
    result = score("phq9", answers_totalling(PHQ9, total))
    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands(total, band):
    assert score("gad7", answers_totalling(GAD7, total)) == Score(total=total, band=band, flags=())


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item9_flags_thoughts_of_self_harm_whatever_the_total(item9):
    answers = [0] * 8 + [item9]
    assert score("phq9", answers) == Score(total=item9, band="minimal", flags=("self_harm_thoughts",))


def test_phq9_item9_not_at_all_raises_no_flag():
    assert score("phq9", answers_totalling(PHQ9, 24, keep_last_at_lowest=True)).flags == ()
    assert score("phq9", [3] * 8 + [0]) == Score(total=24, band="severe", flags=())


def test_barc10_range_and_no_bands():
    assert score("barc10", [1] * 10) == Score(total=10, band=None, flags=())
    assert score("barc10", [6] * 10) == Score(total=60, band=None, flags=())
    assert score("barc10", [1, 2, 3, 4, 5, 6, 6, 5, 4, 3]).total == 39


@given(
    st.sampled_from(list(INSTRUMENTS.values())).flatmap(
        lambda i: st.tuples(
            st.just(i),
            st.lists(st.sampled_from([o.value for o in i.options]), min_size=len(i.items), max_size=len(i.items)),
        )
    )
)
def test_any_complete_form_scores_within_range(case):
    instrument, answers = case
    result = score(instrument.code, answers)
    assert instrument.min_total <= result.total <= instrument.max_total
    assert result.total == sum(answers)
    if instrument.bands:
        band = instrument.band_for(result.total)
        assert band is not None and result.band == band.key
    assert ("self_harm_thoughts" in result.flags) == (instrument.code == "phq9" and answers[8] > 0)


# --- Bad input ------------------------------------------------------------------------------


def test_too_few_answers_name_the_first_missing_item():
    with pytest.raises(ValueError, match=r"phq9: expected 9 answers, got 8; item 9 \(phq9-9\) is missing"):
        score("phq9", [0] * 8)
    with pytest.raises(ValueError, match=r"item 1 \(gad7-1\) is missing"):
        score("gad7", [])


def test_too_many_answers():
    with pytest.raises(ValueError, match="barc10: expected 10 answers, got 11"):
        score("barc10", [3] * 11)


@pytest.mark.parametrize(
    ("code", "position", "bad", "message"),
    [
        ("phq9", 3, 4, r"phq9: item 3 \(phq9-3\) must be a whole number 0–3, got 4"),
        ("phq9", 1, -1, r"item 1 \(phq9-1\) must be a whole number 0–3, got -1"),
        ("gad7", 7, 9, r"item 7 \(gad7-7\) must be a whole number 0–3, got 9"),
        ("barc10", 5, 0, r"barc10: item 5 \(barc10-5\) must be a whole number 1–6, got 0"),
        ("barc10", 10, 7, r"item 10 \(barc10-10\) must be a whole number 1–6, got 7"),
        ("phq9", 2, 1.0, r"item 2 \(phq9-2\) must be a whole number 0–3, got 1.0"),
        ("phq9", 2, "1", r"item 2 \(phq9-2\) must be a whole number 0–3, got '1'"),
        ("phq9", 2, True, r"item 2 \(phq9-2\) must be a whole number 0–3, got True"),
        ("gad7", 4, None, r"gad7: item 4 \(gad7-4\) is missing"),
    ],
)
def test_out_of_range_or_missing_answers_name_the_item(code, position, bad, message):
    instrument = INSTRUMENTS[code]
    answers: list[object] = [instrument.options[0].value] * len(instrument.items)
    answers[position - 1] = bad
    with pytest.raises(ValueError, match=message):
        score(code, answers)  # type: ignore[arg-type]


def test_unknown_instrument_and_a_string_of_answers():
    with pytest.raises(ValueError, match="unknown instrument 'phq2'"):
        score("phq2", [0, 0])
    with pytest.raises(ValueError, match="sequence of numbers"):
        score("gad7", "0000000")  # type: ignore[arg-type]

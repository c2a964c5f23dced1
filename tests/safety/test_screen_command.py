"""``alongside screen``: JSON lines in, one JSON line out per input line, never a crash."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from alongside.safety.management.commands import screen as screen_command

ROOT = Path(__file__).resolve().parents[2]


def run(stdin: str | io.TextIOBase) -> list[dict]:
    stream = io.StringIO(stdin) if isinstance(stdin, str) else stdin
    out = io.StringIO()
    call_command("screen", stdin=stream, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def jsonl(*items: object) -> str:
    return "".join(json.dumps(item) + "\n" for item in items)


def test_each_line_gets_one_result_line_in_order_with_its_id():
    results = run(
        jsonl(
            {"id": 1, "text": "I want to kill myself", "language": "en"},
            {"id": "b", "text": "craving so bad right now", "language": "en"},
            {"id": [3], "text": "this traffic is killing me", "language": "en"},
        )
    )
    assert results == [
        {"id": 1, "level": "crisis", "reasons": [{"rule": "suicidal_intent", "phrase": "want to kill myself"}]},
        {"id": "b", "level": "concern", "reasons": [{"rule": "craving", "phrase": "craving"}]},
        {"id": [3], "level": "none", "reasons": []},
    ]


def test_blank_lines_are_skipped():
    results = run('\n   \n{"id": 1, "text": "hello"}\n\r\n\n{"id": 2, "text": "bye for now"}\n')
    assert [result["id"] for result in results] == [1, 2]


def test_language_is_optional_and_spanish_is_screened():
    results = run(jsonl({"id": 1, "text": "quiero morir"}, {"id": 2, "text": "me voy a matar", "language": None}))
    assert [result["level"] for result in results] == ["crisis", "crisis"]


def test_unparseable_line_gets_an_error_with_null_id_and_the_run_goes_on():
    results = run('{"id": 1, "text": "hi"}\nnot json at all\n{"id": 2, "text": "I relapsed yesterday"}\n')
    assert results[0]["level"] == "none"
    assert results[1]["id"] is None
    assert results[1]["error"]["code"] == "invalid_json"
    assert results[2] == {"id": 2, "level": "concern", "reasons": [{"rule": "return_to_use", "phrase": "relapsed"}]}


@pytest.mark.parametrize("line", ["[1, 2, 3]", '"just a string"', "42", "null"])
def test_json_that_is_not_an_object_is_an_error_with_null_id(line):
    (result,) = run(line + "\n")
    assert result == {"id": None, "error": {"code": "invalid_input", "message": result["error"]["message"]}}


@pytest.mark.parametrize(
    ("item", "code"),
    [
        ({"id": 7, "text": 12}, "invalid_text"),
        ({"id": 7}, "invalid_text"),
        ({"id": 7, "text": None}, "invalid_text"),
        ({"id": 7, "text": "hi", "language": 3}, "invalid_language"),
    ],
)
def test_a_bad_field_gets_an_error_line_for_that_id(item, code):
    (result,) = run(jsonl(item))
    assert result["id"] == 7
    assert result["error"]["code"] == code
    assert "level" not in result


def test_nan_and_infinity_are_not_json():
    (result,) = run('{"id": NaN, "text": "hi"}\n')
    assert result["id"] is None and result["error"]["code"] == "invalid_json"


def test_missing_id_is_echoed_as_null():
    (result,) = run(jsonl({"text": "cravings are insane today"}))
    assert result["id"] is None and result["level"] == "concern"


def test_bytes_that_are_not_utf8_give_an_error_line_not_a_crash():
    raw = b'{"id": 1, "text": "hi"}\n\xff\xfe broken\n{"id": 2, "text": "me cort\xc3\xa9 otra vez anoche"}\n'
    results = run(io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    assert results[0]["level"] == "none"
    assert results[1] == {"id": None, "error": {"code": "invalid_encoding", "message": "the line is not valid UTF-8"}}
    assert results[2]["level"] == "crisis"
    assert results[2]["reasons"][0]["phrase"] == "me corté"


def test_a_screening_failure_costs_one_line_not_the_run(monkeypatch):
    real_screen = screen_command.screen

    def flaky(text, language="en"):
        if text == "boom":
            raise RuntimeError("bug")
        return real_screen(text, language)

    monkeypatch.setattr(screen_command, "screen", flaky)
    results = run(jsonl({"id": 1, "text": "boom"}, {"id": 2, "text": "I want to die"}))
    assert results[0] == {
        "id": 1,
        "error": {"code": "screening_failed", "message": "could not screen this line (RuntimeError)"},
    }
    assert results[1]["level"] == "crisis"


def test_reads_sys_stdin_when_no_stream_is_given(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(jsonl({"id": "x", "text": "I feel so hopeless"})))
    out = io.StringIO()
    call_command("screen", stdout=out)
    assert json.loads(out.getvalue()) == {
        "id": "x",
        "level": "concern",
        "reasons": [{"rule": "hopelessness", "phrase": "hopeless"}],
    }


def test_empty_input_writes_nothing():
    assert run("") == []


def test_the_alongside_console_script_screens_stdin(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT), "DATA_DIR": str(tmp_path)}
    script = Path(sys.executable).with_name("alongside")
    completed = subprocess.run(
        [str(script), "screen"],
        input=jsonl({"id": 1, "text": "I want to kill myself"}) + "oops\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    lines = [json.loads(line) for line in completed.stdout.splitlines()]
    assert lines[0]["level"] == "crisis"
    assert lines[1]["id"] is None and lines[1]["error"]["code"] == "invalid_json"

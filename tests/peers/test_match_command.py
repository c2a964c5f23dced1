"""``alongside match``: SCENARIO in, RESULT and SCORES out; unusable input → exit 2, one clear line."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from alongside.peers.matching import run_cli

SCENARIO: dict[str, Any] = {
    "members": [
        {
            "id": "m1",
            "languages": ["es"],
            "pathways": ["medication"],
            "substances": ["opioids"],
            "gender": "woman",
            "peer_gender_preference": "woman",
            "age": 31,
            "lived_experience_wanted": ["parenting"],
            "location": [34.05, -118.24],
            "remote_ok": False,
            "availability": ["tue-evening"],
        },
        {"id": 2, "languages": ["en"], "location": None, "remote_ok": True},
        {"id": "m3", "languages": ["fr"]},
    ],
    "peers": [
        {
            "id": "p1",
            "languages": ["es", "en"],
            "pathways": ["medication"],
            "substances": ["opioids"],
            "gender": "Woman",
            "age": 35,
            "lived_experience": ["parenting"],
            "location": [34.15, -118.14],
            "remote_ok": True,
            "availability": ["tue-evening", "wed-evening"],
            "capacity": 10,
            "current_caseload": 9,
            "credential_valid": True,
        },
        {"id": 7, "languages": ["en"], "remote_ok": True, "capacity": 2, "credential_valid": True},
    ],
    "exclusions": [["m3", 7]],
    "max_distance_km": 40,
}


def write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "scenario.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def test_good_run_writes_result_and_scores_in_the_documented_shape(tmp_path: Path) -> None:
    out, scores_out = tmp_path / "result.json", tmp_path / "scores.json"
    assert run_cli(write(tmp_path, SCENARIO), out, scores_out) == 0
    result = json.loads(out.read_text())
    assert set(result) == {"assignments", "unassigned", "objective"}
    assert [(a["member"], a["peer"]) for a in result["assignments"]] == [("m1", "p1"), (2, 7)]
    first = result["assignments"][0]
    assert first["reasons"][:2] == ["also on a medication-assisted path", "has lived experience as a parent"]
    assert "speaks Spanish" in first["reasons"]
    assert "free Tuesday evenings" in first["reasons"]
    assert "14 km away" in first["reasons"]
    assert result["unassigned"] == [{"member": "m3", "reason": "no peer shares a language"}]
    assert result["objective"] == pytest.approx(sum(a["score"] for a in result["assignments"]))
    scores = json.loads(scores_out.read_text())
    # member 2 (remote, no location) may meet both remote peers; keys are strings in JSON
    assert scores == {"m1": {"p1": first["score"]}, "2": {"p1": 0.0, "7": 0.0}, "m3": {}}
    assert result["assignments"][1]["reasons"] == ["both open to meeting remotely"]


def test_the_management_command_runs_the_same_round(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    call_command("match", "--input", str(write(tmp_path, SCENARIO)), "--output", str(out))
    assert json.loads(out.read_text())["objective"] > 0


def test_the_management_command_exits_2_on_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        call_command("match", "--input", str(tmp_path / "missing.json"), "--output", str(tmp_path / "r.json"))
    assert stop.value.code == 2
    assert "cannot read" in capsys.readouterr().err


def broken(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(SCENARIO)
    change(document)
    return document


def _set(path: tuple[Any, ...], value: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return change


BAD = [
    ("not json", "{members: [", "is not valid JSON"),
    ("not an object", "[1, 2]", "must be a JSON object"),
    ("NaN", '{"members": [], "peers": [], "max_distance_km": NaN}', "is not valid JSON"),
    ("members missing", broken(_set(("members",), KeyError)), '"members" must be a list'),
    (
        "location shape",
        broken(_set(("members", 0, "location"), [34.0])),
        'members[0] (id "m1"): "location" must be [lat, lon] or null',
    ),
    (
        "latitude out of range",
        broken(_set(("peers", 0, "location"), [134.0, 10.0])),
        'peers[0] (id "p1"): "location" is out of range',
    ),
    (
        "languages not a list of strings",
        broken(_set(("members", 1, "languages"), "en")),
        'members[1] (id 2): "languages" must be a list of strings',
    ),
    (
        "languages missing",
        broken(_set(("members", 2, "languages"), KeyError)),
        'members[2] (id "m3"): "languages" is required',
    ),
    ("languages empty", broken(_set(("peers", 1, "languages"), [])), 'peers[1] (id 7): "languages" must list'),
    ("id missing", broken(_set(("members", 0, "id"), KeyError)), 'members[0]: "id" is required'),
    ("id a float", broken(_set(("peers", 0, "id"), 1.5)), 'peers[0]: "id" is required'),
    ("duplicate id", broken(_set(("members", 2, "id"), "m1")), 'members[2] (id "m1"): "id" repeats members[0]'),
    (
        "negative capacity",
        broken(_set(("peers", 1, "capacity"), -1)),
        'peers[1] (id 7): "capacity" must be a whole number, 0 or more',
    ),
    ("capacity missing", broken(_set(("peers", 1, "capacity"), KeyError)), 'peers[1] (id 7): "capacity"'),
    (
        "credential missing",
        broken(_set(("peers", 0, "credential_valid"), KeyError)),
        'peers[0] (id "p1"): "credential_valid" must be true or false',
    ),
    ("remote_ok a string", broken(_set(("members", 0, "remote_ok"), "yes")), '"remote_ok" must be true or false'),
    ("age a string", broken(_set(("members", 0, "age"), "31")), 'members[0] (id "m1"): "age" must be'),
    ("gender a number", broken(_set(("peers", 0, "gender"), 3)), 'peers[0] (id "p1"): "gender" must be a string'),
    ("unknown member in exclusions", broken(_set(("exclusions",), [["m9", 7]])), 'exclusions[0]: unknown member "m9"'),
    ("unknown peer in exclusions", broken(_set(("exclusions",), [["m1", "p9"]])), 'exclusions[0]: unknown peer "p9"'),
    ("exclusion not a pair", broken(_set(("exclusions",), [["m1"]])), "exclusions[0] must be a [member_id, peer_id]"),
    ("max distance zero", broken(_set(("max_distance_km",), 0)), '"max_distance_km" must be a positive number'),
    ("max distance text", broken(_set(("max_distance_km",), "40")), '"max_distance_km" must be a positive number'),
]


@pytest.mark.parametrize(("document", "message"), [(d, m) for _, d, m in BAD], ids=[name for name, _, _ in BAD])
def test_malformed_input_exits_2_with_a_message_naming_the_record_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: Any, message: str
) -> None:
    out = tmp_path / "result.json"
    assert run_cli(write(tmp_path, document), out) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.startswith("alongside match: error: ")
    assert "Traceback" not in err
    assert not out.exists()


def test_missing_input_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(tmp_path / "nope.json", tmp_path / "out.json") == 2
    assert "cannot read" in capsys.readouterr().err


def test_optional_fields_may_be_missing(tmp_path: Path) -> None:
    document = {
        "members": [{"id": "a", "languages": ["en"]}],
        "peers": [{"id": "b", "languages": ["en"], "capacity": 1, "credential_valid": True}],
    }
    out = tmp_path / "result.json"
    assert run_cli(write(tmp_path, document), out) == 0
    # no location and not remote: the hard rule says no
    assert json.loads(out.read_text())["unassigned"] == [
        {"member": "a", "reason": "no location given and not open to remote support"}
    ]

"""``alongside screen``: screen JSON lines from stdin, one JSON line out per line in.

Input, one object a line::

    {"id": "m-1", "text": "I want to die", "language": "en"}

``language`` is optional (default ``"en"``); ``id`` may be any JSON value and is echoed back
(``null`` when missing). Output, in the same order::

    {"id": "m-1", "level": "crisis", "reasons": [{"rule": "suicidal_intent", "phrase": "want to die"}]}

A bad line gives an error line instead of stopping the run::

    {"id": "m-2", "error": {"code": "invalid_text", "message": "..."}}

with ``id`` ``null`` when the line could not be read as a JSON object. Blank lines are
skipped. The exit status is 0 once all input has been read. Screening only sorts messages
for human triage; it never blocks anything.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.management.base import BaseCommand

from alongside.safety.screening import screen


class _BadLine(Exception):
    def __init__(self, code: str, message: str, line_id: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line_id = line_id


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def _lines(stream: Any) -> Iterator[str | _BadLine]:
    """Lines of text; undecodable bytes become a _BadLine for that line."""
    source: Iterable[str | bytes] = getattr(stream, "buffer", stream)
    first = True
    for raw in source:
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8-sig" if first else "utf-8")
            except UnicodeDecodeError:
                first = False
                yield _BadLine("invalid_encoding", "the line is not valid UTF-8")
                continue
        else:
            line = raw.removeprefix("\ufeff") if first else raw
        first = False
        yield line


def _screen_line(line: str) -> dict[str, Any]:
    try:
        item = json.loads(line, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise _BadLine("invalid_json", f"the line is not valid JSON ({error})") from None
    if not isinstance(item, dict):
        raise _BadLine("invalid_input", 'each line must be a JSON object like {"id": 1, "text": "..."}')
    line_id = item.get("id")
    text = item.get("text")
    if not isinstance(text, str):
        raise _BadLine("invalid_text", '"text" must be a string', line_id)
    language = item.get("language", "en")
    if language is None:
        language = "en"
    if not isinstance(language, str):
        raise _BadLine("invalid_language", '"language" must be a string such as "en" or "es"', line_id)
    try:
        screening = screen(text, language)
    except Exception as error:  # a screening bug must cost one line, not the run
        raise _BadLine("screening_failed", f"could not screen this line ({type(error).__name__})", line_id) from None
    return {"id": line_id, **screening.as_dict()}


class Command(BaseCommand):
    help = (
        'Screen JSON lines from stdin ({"id": ..., "text": ..., "language": "en"}) and write one JSON line '
        'per input: {"id": ..., "level": "crisis|concern|none", "reasons": [...]}. Bad lines get an error '
        "line; blank lines are skipped."
    )
    # Tests pass a StringIO as ``stdin=`` through call_command.
    stealth_options = ("stdin",)

    def handle(self, *args: Any, **options: Any) -> None:
        stream = options.get("stdin") or sys.stdin
        for line in _lines(stream):
            if isinstance(line, _BadLine):
                result: dict[str, Any] = self._error(line)
            elif not line.strip():
                continue
            else:
                try:
                    result = _screen_line(line)
                except _BadLine as bad:
                    result = self._error(bad)
            self.stdout.write(json.dumps(result))
            self.stdout.flush()

    @staticmethod
    def _error(bad: _BadLine) -> dict[str, Any]:
        return {"id": bad.line_id, "error": {"code": bad.code, "message": bad.message}}

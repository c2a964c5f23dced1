"""The relapse-prevention plan's shape, cleaning and the difference between two versions.

Pure: no Django. The plan is stored as JSON so a section can be added later without a
migration; this module is the one place that says what a valid plan looks like.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Sections that are plain lists of short lines, in the order the plan shows them.
LIST_SECTIONS = ("warning_signs", "triggers", "coping", "places", "reasons")
MAX_LINES = 30
MAX_LINE = 200
MAX_PEOPLE = 15
MAX_IF_I_USE = 2000


class PlanError(ValueError):
    """Carries a message per section so a form or the API can show what to fix."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {value}" for key, value in fields.items()))
        self.fields = fields


def empty() -> dict[str, Any]:
    return {**{section: [] for section in LIST_SECTIONS}, "people": [], "if_i_use": ""}


def clean(raw: dict[str, Any]) -> dict[str, Any]:
    """A valid plan from what a person sent: blank lines dropped, whitespace trimmed,
    limits enforced with a message that says what to change."""
    if not isinstance(raw, dict):
        raise PlanError({"plan": "Send the plan as an object with its sections."})
    errors: dict[str, str] = {}
    plan = empty()
    unknown = set(raw) - set(plan)
    if unknown:
        errors["plan"] = f"Unknown sections: {', '.join(sorted(unknown))}."
    for section in LIST_SECTIONS:
        value = raw.get(section, [])
        if isinstance(value, str):
            value = value.splitlines()
        if not isinstance(value, list) or not all(isinstance(line, str) for line in value):
            errors[section] = "Send a list of short lines."
            continue
        lines = [line.strip() for line in value if line.strip()]
        if len(lines) > MAX_LINES:
            errors[section] = f"Keep this to {MAX_LINES} lines or fewer."
        elif any(len(line) > MAX_LINE for line in lines):
            errors[section] = f"Keep each line to {MAX_LINE} characters or fewer."
        else:
            plan[section] = lines
    people = raw.get("people", [])
    if not isinstance(people, list) or not all(isinstance(person, dict) for person in people):
        errors["people"] = "Send a list of people, each with a name, and a phone and when to call if you like."
    else:
        cleaned = []
        for person in people:
            name = str(person.get("name", "")).strip()
            phone = str(person.get("phone", "")).strip()
            when = str(person.get("when", "")).strip()
            if not (name or phone or when):
                continue
            if not name:
                errors["people"] = "Give each person a name."
                break
            if len(name) > 80 or len(phone) > 40 or len(when) > MAX_LINE:
                errors["people"] = "Keep names under 80 characters and phone numbers under 40."
                break
            cleaned.append({"name": name, "phone": phone, "when": when})
        if len(cleaned) > MAX_PEOPLE:
            errors["people"] = f"Keep this to {MAX_PEOPLE} people or fewer."
        plan["people"] = cleaned
    if_i_use = raw.get("if_i_use", "")
    if not isinstance(if_i_use, str):
        errors["if_i_use"] = "Send this as text."
    elif len(if_i_use.strip()) > MAX_IF_I_USE:
        errors["if_i_use"] = f"Keep this to {MAX_IF_I_USE} characters or fewer."
    else:
        plan["if_i_use"] = if_i_use.strip()
    if errors:
        raise PlanError(errors)
    return plan


def is_empty(plan: dict[str, Any]) -> bool:
    return not any(plan.get(key) for key in empty())


@dataclass(frozen=True)
class SectionChange:
    section: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


def _lines(plan: dict[str, Any], section: str) -> list[str]:
    if section == "people":
        return [" · ".join(part for part in (p["name"], p["phone"], p["when"]) if part) for p in plan.get("people", [])]
    if section == "if_i_use":
        return [plan["if_i_use"]] if plan.get("if_i_use") else []
    return list(plan.get(section, []))


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[SectionChange]:
    """What changed from one version to the next, section by section, in plan order."""
    changes = []
    for section in empty():
        before, after = _lines(old, section), _lines(new, section)
        added = tuple(line for line in after if line not in before)
        removed = tuple(line for line in before if line not in after)
        if added or removed:
            changes.append(SectionChange(section, added, removed))
    return changes

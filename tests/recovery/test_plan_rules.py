"""The relapse-prevention plan's shape: cleaning, limits and what changed. Pure: no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alongside.recovery import plan
from alongside.recovery.plan import LIST_SECTIONS, MAX_LINE, MAX_LINES, MAX_PEOPLE, PlanError, clean, diff, empty

# --- clean ------------------------------------------------------------------------------------


def test_an_empty_object_is_an_empty_plan():
    assert clean({}) == empty()
    assert plan.is_empty(clean({}))


def test_blank_lines_are_dropped_and_whitespace_trimmed():
    cleaned = clean({"coping": ["  Call Sam ", "", "   ", "Walk the dog"]})
    assert cleaned["coping"] == ["Call Sam", "Walk the dog"]


def test_a_section_sent_as_text_is_split_into_lines():
    assert clean({"triggers": "Payday\n\n  Arguments  \n"})["triggers"] == ["Payday", "Arguments"]


def test_people_without_anything_are_dropped_and_others_are_trimmed():
    cleaned = clean({"people": [{"name": " Sam ", "phone": " 555 ", "when": ""}, {"name": "", "phone": ""}]})
    assert cleaned["people"] == [{"name": "Sam", "phone": "555", "when": ""}]


def test_a_person_needs_a_name():
    with pytest.raises(PlanError) as error:
        clean({"people": [{"phone": "555-0101"}]})
    assert error.value.fields == {"people": "Give each person a name."}


def test_unknown_sections_are_named_in_the_error():
    with pytest.raises(PlanError) as error:
        clean({"coping": ["Walk"], "secrets": [], "extra": "x"})
    assert error.value.fields["plan"] == "Unknown sections: extra, secrets."


def test_too_many_lines_says_the_limit():
    with pytest.raises(PlanError) as error:
        clean({"reasons": [f"reason {n}" for n in range(MAX_LINES + 1)]})
    assert error.value.fields == {"reasons": f"Keep this to {MAX_LINES} lines or fewer."}


def test_a_line_too_long_says_the_limit():
    with pytest.raises(PlanError) as error:
        clean({"places": ["x" * (MAX_LINE + 1)]})
    assert error.value.fields == {"places": f"Keep each line to {MAX_LINE} characters or fewer."}


def test_too_many_people_says_the_limit():
    with pytest.raises(PlanError) as error:
        clean({"people": [{"name": f"Person {n}"} for n in range(MAX_PEOPLE + 1)]})
    assert error.value.fields == {"people": f"Keep this to {MAX_PEOPLE} people or fewer."}


def test_wrong_types_are_errors_per_section_not_crashes():
    with pytest.raises(PlanError) as error:
        clean({"coping": [1, 2], "people": "Sam", "if_i_use": ["call"]})
    assert set(error.value.fields) == {"coping", "people", "if_i_use"}


def test_a_plan_that_is_not_an_object_is_refused():
    with pytest.raises(PlanError) as error:
        clean(["coping"])  # type: ignore[arg-type]
    assert set(error.value.fields) == {"plan"}


def test_every_error_is_reported_at_once():
    with pytest.raises(PlanError) as error:
        clean({"coping": ["x" * 500], "triggers": ["y" * 500], "if_i_use": "z" * 5000})
    assert set(error.value.fields) == {"coping", "triggers", "if_i_use"}
    assert "coping" in str(error.value)


# --- diff ---------------------------------------------------------------------------------------


def test_diff_lists_added_and_removed_lines_in_plan_order():
    old = clean({"coping": ["Walk", "Call Sam"], "reasons": ["My daughter"]})
    new = clean({"coping": ["Walk", "Breathe"], "reasons": ["My daughter"], "if_i_use": "Tell Sam"})
    changes = diff(old, new)
    assert [(c.section, c.added, c.removed) for c in changes] == [
        ("coping", ("Breathe",), ("Call Sam",)),
        ("if_i_use", ("Tell Sam",), ()),
    ]


def test_diff_shows_people_as_one_line_each():
    new = clean({"people": [{"name": "Sam", "phone": "555", "when": "evenings"}]})
    assert diff(empty(), new)[0].added == ("Sam · 555 · evenings",)


def test_no_change_has_no_diff():
    same = clean({"coping": ["Walk"]})
    assert diff(same, same) == []


# --- properties -------------------------------------------------------------------------------------

short_line = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
raw_plans = st.fixed_dictionaries(
    {},
    optional={
        **{section: st.lists(short_line, max_size=8) | short_line for section in LIST_SECTIONS},
        "people": st.lists(
            st.fixed_dictionaries(
                {"name": st.text(min_size=1, max_size=20).filter(str.strip)},
                optional={"phone": st.text(max_size=10), "when": short_line},
            ),
            max_size=4,
        ),
        "if_i_use": short_line,
    },
)


@given(raw_plans)
def test_clean_is_idempotent(raw):
    try:
        once = clean(raw)
    except PlanError:
        return
    assert clean(once) == once


@given(raw_plans)
def test_a_clean_plan_has_every_section_and_nothing_else(raw):
    try:
        cleaned = clean(raw)
    except PlanError:
        return
    assert set(cleaned) == set(empty())
    for section in LIST_SECTIONS:
        assert all(line == line.strip() and line for line in cleaned[section])


@given(raw_plans)
def test_a_plan_compared_with_itself_has_no_changes(raw):
    try:
        cleaned = clean(raw)
    except PlanError:
        return
    assert diff(cleaned, cleaned) == []
    assert [c.section for c in diff(empty(), cleaned)] == [s for s in empty() if cleaned[s]]

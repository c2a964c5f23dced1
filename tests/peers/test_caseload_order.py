"""The caseload order, pure: facts in, rows with reasons out. No database."""

from __future__ import annotations

import datetime as dt

from alongside.peers import caseload
from alongside.peers.caseload import CheckinDay, MemberFacts, UpcomingMilestone

TODAY = dt.date(2026, 3, 10)


def _days(cravings_by_back: dict[int, int], mood: int = 3) -> tuple[CheckinDay, ...]:
    return tuple(
        CheckinDay(local_date=TODAY - dt.timedelta(days=back), mood=mood, craving=craving)
        for back, craving in cravings_by_back.items()
    )


def _steady(from_back: int, to_back: int, craving: int = 2) -> dict[int, int]:
    return dict.fromkeys(range(from_back, to_back + 1), craving)


def facts(handle: str, member_id: int, **kw) -> MemberFacts:
    kw.setdefault("last_contact_on", TODAY - dt.timedelta(days=1))
    return MemberFacts(member_id=member_id, handle=handle, today=TODAY, **kw)


def codes(row: caseload.CaseloadRow) -> list[str]:
    return [reason.code for reason in row.reasons]


def test_open_alerts_come_first_then_missed_checkins_cravings_milestones_and_contact():
    rows = caseload.order(
        [
            facts("quiet", 1, last_contact_on=TODAY - dt.timedelta(days=20)),
            facts(
                "milestone",
                2,
                milestones=(UpcomingMilestone("Alcohol", "90d", TODAY + dt.timedelta(days=3)),),
            ),
            facts("cravings", 3, checkins_shared=True, checkins=_days({**_steady(7, 13, 1), **_steady(0, 6, 5)})),
            facts("missed", 4, checkins_shared=True, checkins=_days(_steady(4, 17))),
            facts("alert", 5, open_alerts=1),
        ]
    )
    assert [row.handle for row in rows] == ["alert", "missed", "cravings", "milestone", "quiet"]


def test_a_crisis_alert_outranks_more_concern_alerts():
    rows = caseload.order([facts("two-concerns", 1, open_alerts=2), facts("crisis", 2, open_alerts=1, crisis_alerts=1)])
    assert [row.handle for row in rows] == ["crisis", "two-concerns"]


def test_missed_checkins_need_a_habit_and_a_gap_of_more_than_two_days():
    habit_two_days_ago = facts("recent", 1, checkins_shared=True, checkins=_days(_steady(2, 15)))
    habit_three_days_ago = facts("gap", 2, checkins_shared=True, checkins=_days(_steady(3, 16)))
    now_and_then = facts("sometimes", 3, checkins_shared=True, checkins=_days({5: 1, 9: 1, 14: 1}))
    rows = {row.handle: row for row in caseload.order([habit_two_days_ago, habit_three_days_ago, now_and_then])}
    assert caseload.MISSED_CHECKINS not in codes(rows["recent"])
    assert caseload.MISSED_CHECKINS in codes(rows["gap"])
    missed = next(r for r in rows["gap"].reasons if r.code == caseload.MISSED_CHECKINS)
    assert missed.values == {"days": 3}
    assert missed.from_checkins
    assert caseload.MISSED_CHECKINS not in codes(rows["sometimes"])


def test_cravings_rising_by_two_on_average_or_any_craving_of_eight():
    rising = facts("rising", 1, checkins_shared=True, checkins=_days({**_steady(7, 13, 2), **_steady(0, 6, 4)}))
    small_rise = facts("small", 2, checkins_shared=True, checkins=_days({**_steady(7, 13, 2), **_steady(0, 6, 3)}))
    one_high = facts("high", 3, checkins_shared=True, checkins=_days({**_steady(1, 13, 1), 0: 8}))
    rows = {row.handle: row for row in caseload.order([rising, small_rise, one_high])}
    reason = next(r for r in rows["rising"].reasons if r.code == caseload.CRAVINGS_RISING)
    assert reason.values == {"recent": 4.0, "before": 2.0}
    assert caseload.CRAVINGS_RISING not in codes(rows["small"])
    assert caseload.CRAVING_HIGH_CODE not in codes(rows["small"])
    high = next(r for r in rows["high"].reasons if r.code == caseload.CRAVING_HIGH_CODE)
    assert high.values == {"highest": 8}


def test_without_shared_checkins_nothing_of_the_checkins_shows_and_the_row_says_so():
    # The selector never passes check-ins then; even if it did, they are ignored.
    hidden = facts("private", 1, checkins_shared=False, checkins=_days({**_steady(7, 13, 1), **_steady(0, 6, 9)}))
    (row,) = caseload.order([hidden])
    assert caseload.CHECKINS_NOT_SHARED in codes(row)
    assert not any(reason.from_checkins for reason in row.reasons)
    assert row.latest_checkin is None
    assert not row.needs_attention


def test_a_milestone_counts_only_within_a_week():
    soon = facts("soon", 1, milestones=(UpcomingMilestone("Alcohol", "30d", TODAY + dt.timedelta(days=7)),))
    later = facts("later", 2, milestones=(UpcomingMilestone("Alcohol", "60d", TODAY + dt.timedelta(days=8)),))
    rows = {row.handle: row for row in caseload.order([soon, later])}
    milestone = next(r for r in rows["soon"].reasons if r.code == caseload.MILESTONE_SOON)
    assert milestone.values == {"clock": "Alcohol", "key": "30d", "days": 7}
    assert caseload.MILESTONE_SOON not in codes(rows["later"])


def test_longest_since_contact_first_and_never_contacted_before_everyone():
    rows = caseload.order(
        [
            facts("yesterday", 1, last_contact_on=TODAY - dt.timedelta(days=1)),
            facts("never", 2, last_contact_on=None),
            facts("fortnight", 3, last_contact_on=TODAY - dt.timedelta(days=14)),
        ]
    )
    assert [row.handle for row in rows] == ["never", "fortnight", "yesterday"]
    assert codes(rows[0])[-1] == caseload.NO_CONTACT
    last = rows[1].reasons[-1]
    assert (last.code, last.values) == (caseload.LAST_CONTACT, {"days": 14})


def test_ties_fall_back_to_the_handle_so_the_order_is_stable():
    same = {"last_contact_on": TODAY}
    rows = caseload.order([facts("Blake", 2, **same), facts("alex", 1, **same), facts("casey", 3, **same)])
    assert [row.handle for row in rows] == ["alex", "Blake", "casey"]


def test_latest_checkin_is_the_newest_shared_day():
    member = facts("m", 1, checkins_shared=True, checkins=_days({3: 1, 0: 6, 1: 2}))
    (row,) = caseload.order([member])
    assert row.latest_checkin == CheckinDay(TODAY, 3, 6)


def test_an_empty_caseload_is_an_empty_list():
    assert caseload.order([]) == []

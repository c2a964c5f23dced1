"""Sobriety clocks: starting one, a return to use (with or without a restart), milestones."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from alongside.lib.tz import start_of_day
from alongside.recovery import selectors, services, signals
from alongside.recovery.models import Clock, MilestoneShare, ReturnToUse

LA = ZoneInfo("America/Los_Angeles")  # Riley's zone in the demo
NOW = dt.datetime(2025, 6, 15, 18, 0, tzinfo=LA)


def day(month: int, d: int) -> dt.date:
    return dt.date(2025, month, d)


@pytest.fixture
def clock(cast) -> Clock:
    return services.clock_start(user=cast.riley, label="Gambling", started_on=day(5, 1), now=NOW)


@pytest.fixture
def shared_signals():
    heard: list[dict] = []

    def listen(sender, **kwargs):
        heard.append(kwargs)

    signals.milestone_shared.connect(listen)
    yield heard
    signals.milestone_shared.disconnect(listen)


# --- starting a clock ------------------------------------------------------------------------


def test_a_clock_counts_from_the_start_of_the_chosen_local_day(cast, clock):
    assert clock.started_at == dt.datetime(2025, 5, 1, 0, 0, tzinfo=LA)
    assert clock.label == "Gambling"
    assert clock.ended_at is None


def test_a_clock_may_start_at_a_chosen_time(cast):
    clock = services.clock_start(
        user=cast.riley, label="Nicotine", started_on=day(6, 15), start_time=dt.time(9, 30), now=NOW
    )
    assert clock.started_at == dt.datetime(2025, 6, 15, 9, 30, tzinfo=LA)


def test_a_clock_cannot_start_on_a_future_day(cast):
    with pytest.raises(ValidationError) as error:
        services.clock_start(user=cast.riley, label="Alcohol", started_on=day(6, 16), now=NOW)
    assert "started_on" in error.value.message_dict


def test_a_clock_cannot_start_later_today(cast):
    with pytest.raises(ValidationError) as error:
        services.clock_start(user=cast.riley, label="Alcohol", started_on=day(6, 15), start_time=dt.time(23), now=NOW)
    assert "start_time" in error.value.message_dict


def test_a_clock_needs_a_label(cast):
    with pytest.raises(ValidationError) as error:
        services.clock_start(user=cast.riley, label="   ", started_on=day(6, 1), now=NOW)
    assert "label" in error.value.message_dict


def test_ten_running_clocks_is_the_limit_and_put_away_clocks_do_not_count(cast):
    running = Clock.objects.filter(user=cast.riley, ended_at__isnull=True, archived_at__isnull=True).count()
    made = [
        services.clock_start(user=cast.riley, label=f"Clock {n}", started_on=day(6, 1), now=NOW)
        for n in range(10 - running)
    ]
    with pytest.raises(ValidationError, match="up to 10 clocks"):
        services.clock_start(user=cast.riley, label="Eleventh", started_on=day(6, 1), now=NOW)
    services.clock_archive(clock=made[0], user=cast.riley, now=NOW)
    services.clock_start(user=cast.riley, label="Eleventh", started_on=day(6, 1), now=NOW)


def test_a_label_change_names_every_stretch_of_the_series(cast, clock):
    services.clock_return_to_use(clock=clock, user=cast.riley, occurred_on=day(6, 1), restart=True, now=NOW)
    services.clock_update(clock=clock, user=cast.riley, label="Betting", share_milestones=True)
    assert set(Clock.objects.filter(series=clock.series).values_list("label", "share_milestones")) == {
        ("Betting", True)
    }


# --- a return to use ------------------------------------------------------------------------------


def test_return_with_restart_keeps_the_old_stretch_and_starts_the_next_day(cast, clock):
    recorded = services.clock_return_to_use(
        clock=clock, user=cast.riley, occurred_on=day(6, 10), restart=True, note=" Hard week. ", now=NOW
    )
    clock.refresh_from_db()
    assert clock.ended_at == start_of_day(day(6, 10), LA)
    new = recorded.running
    assert new.pk != clock.pk
    assert new.series == clock.series
    assert new.label == clock.label
    assert new.started_at == start_of_day(day(6, 11), LA)
    assert new.ended_at is None
    record = recorded.record
    assert (record.restarted, record.note, record.clock_id, record.series) == (
        True,
        "Hard week.",
        clock.pk,
        clock.series,
    )


def test_return_today_with_restart_starts_the_new_count_now(cast, clock):
    recorded = services.clock_return_to_use(clock=clock, user=cast.riley, occurred_on=day(6, 15), restart=True, now=NOW)
    assert recorded.running.started_at == NOW


def test_history_after_a_restart_shows_longest_and_total_days(cast, clock):
    services.clock_return_to_use(clock=clock, user=cast.riley, occurred_on=day(6, 10), restart=True, now=NOW)
    history = selectors.clock_history(cast.riley, clock, now=NOW)
    # 1 May to 10 June is 40 days; 11 June to 15 June 18:00 is 4 whole days.
    assert [(s.days, s.running) for s in history.stretches] == [(4, True), (40, False)]
    assert history.longest_days == 40
    assert history.total_days == 44
    assert history.current is not None and history.current.clock.ended_at is None
    assert len(history.returns) == 1


def test_return_without_restart_keeps_the_same_clock_counting(cast, clock):
    recorded = services.clock_return_to_use(
        clock=clock, user=cast.riley, occurred_on=day(6, 10), restart=False, now=NOW
    )
    clock.refresh_from_db()
    assert recorded.running.pk == clock.pk
    assert clock.ended_at is None
    assert Clock.objects.filter(series=clock.series).count() == 1
    assert ReturnToUse.objects.get(series=clock.series).restarted is False
    history = selectors.clock_history(cast.riley, clock, now=NOW)
    assert history.longest_days == history.total_days == 45


def test_cannot_return_on_a_clock_that_already_ended(cast, clock):
    services.clock_return_to_use(clock=clock, user=cast.riley, occurred_on=day(6, 10), restart=True, now=NOW)
    clock.refresh_from_db()
    with pytest.raises(ValidationError, match="already been restarted"):
        services.clock_return_to_use(clock=clock, user=cast.riley, occurred_on=day(6, 12), restart=True, now=NOW)
    assert ReturnToUse.objects.filter(series=clock.series).count() == 1


def test_return_day_must_be_within_the_clock(cast, clock):
    with pytest.raises(ValidationError) as future:
        services.clock_return_to_use(clock=clock, user=cast.riley, occurred_on=day(6, 16), restart=True, now=NOW)
    with pytest.raises(ValidationError) as before:
        services.clock_return_to_use(clock=clock, user=cast.riley, occurred_on=day(4, 30), restart=True, now=NOW)
    assert "occurred_on" in future.value.message_dict
    assert "occurred_on" in before.value.message_dict
    assert not ReturnToUse.objects.filter(series=clock.series).exists()


def test_only_the_owner_can_record_a_return(cast, clock):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.clock_return_to_use(clock=clock, user=cast.casey, occurred_on=day(6, 10), restart=True, now=NOW)


# --- milestones ---------------------------------------------------------------------------------------


def test_cannot_mark_a_milestone_not_reached_yet(cast, clock):
    with pytest.raises(ValidationError, match="not been reached"):
        services.milestone_mark(clock=clock, user=cast.riley, key="90d", share=False, now=NOW)


def test_an_unknown_milestone_key_is_refused(cast, clock):
    with pytest.raises(ValidationError, match="not a milestone"):
        services.milestone_mark(clock=clock, user=cast.riley, key="5d", share=False, now=NOW)


def test_a_milestone_after_a_clock_ended_cannot_be_marked_on_it(cast, clock):
    services.clock_return_to_use(clock=clock, user=cast.riley, occurred_on=day(5, 20), restart=True, now=NOW)
    clock.refresh_from_db()
    with pytest.raises(ValidationError):
        services.milestone_mark(clock=clock, user=cast.riley, key="30d", share=False, now=NOW)
    services.milestone_mark(clock=clock, user=cast.riley, key="7d", share=False, now=NOW)


def test_sharing_needs_the_clocks_sharing_switch(cast, clock, shared_signals, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mark = services.milestone_mark(clock=clock, user=cast.riley, key="30d", share=True, now=NOW)
    assert mark.shared is False
    assert shared_signals == []


def test_a_shared_milestone_is_announced_after_commit(cast, clock, shared_signals, django_capture_on_commit_callbacks):
    services.clock_update(clock=clock, user=cast.riley, label=clock.label, share_milestones=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mark = services.milestone_mark(clock=clock, user=cast.riley, key="30d", share=True, now=NOW)
    assert mark.shared is True
    assert shared_signals == []  # nothing is announced before the write commits
    for callback in callbacks:
        callback()
    assert len(shared_signals) == 1
    heard = shared_signals[0]
    assert (heard["user"], heard["clock"], heard["key"]) == (cast.riley, clock, "30d")
    assert heard["reached_at"] == start_of_day(day(5, 31), LA)


def test_a_milestone_kept_private_is_not_announced(cast, clock, shared_signals, django_capture_on_commit_callbacks):
    services.clock_update(clock=clock, user=cast.riley, label=clock.label, share_milestones=True)
    with django_capture_on_commit_callbacks(execute=True):
        mark = services.milestone_mark(clock=clock, user=cast.riley, key="30d", share=False, now=NOW)
    assert mark.shared is False
    assert shared_signals == []


def test_marking_twice_keeps_one_mark_and_announces_once(
    cast, clock, shared_signals, django_capture_on_commit_callbacks
):
    services.clock_update(clock=clock, user=cast.riley, label=clock.label, share_milestones=True)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.milestone_mark(clock=clock, user=cast.riley, key="30d", share=True, now=NOW)
        second = services.milestone_mark(clock=clock, user=cast.riley, key="30d", share=True, now=NOW)
    assert first.pk == second.pk
    assert MilestoneShare.objects.filter(clock=clock, key="30d").count() == 1
    assert len(shared_signals) == 1


def test_a_milestone_seen_privately_can_be_shared_later(
    cast, clock, shared_signals, django_capture_on_commit_callbacks
):
    services.clock_update(clock=clock, user=cast.riley, label=clock.label, share_milestones=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.milestone_mark(clock=clock, user=cast.riley, key="30d", share=False, now=NOW)
        later = services.milestone_mark(clock=clock, user=cast.riley, key="30d", share=True, now=NOW)
    assert later.shared is True
    assert len(shared_signals) == 1


# --- the celebration on the home page -----------------------------------------------------------------


def test_a_recent_milestone_is_celebrated_until_it_is_marked(cast):
    now = dt.datetime(2025, 5, 3, 12, 0, tzinfo=LA)
    clock = services.clock_start(user=cast.riley, label="Gambling", started_on=day(4, 1), now=now)
    view = next(v for v in selectors.member_home(cast.riley, cast.harbor, now=now).clocks if v.clock == clock)
    assert view.celebrate is not None and view.celebrate.key == "30d"
    services.milestone_mark(clock=clock, user=cast.riley, key="30d", share=False, now=now)
    view = next(v for v in selectors.member_home(cast.riley, cast.harbor, now=now).clocks if v.clock == clock)
    assert view.celebrate is None


def test_an_old_milestone_is_not_celebrated(cast):
    now = dt.datetime(2025, 5, 12, 12, 0, tzinfo=LA)
    clock = services.clock_start(user=cast.riley, label="Gambling", started_on=day(4, 1), now=now)
    view = next(v for v in selectors.my_clocks(cast.riley, now=now) if v.clock == clock)
    assert view.celebrate is None  # 30 days was on 1 May, more than a week ago


def _main(html: str) -> str:
    return re.search(r"<main.*</main>", html, re.S).group(0)  # type: ignore[union-attr]


def test_the_celebration_shows_on_home_and_goes_away_after_marking(cast, client_as):
    # Riley's demo Alcohol clock reached 90 days three days ago.
    alcohol = Clock.objects.get(user=cast.riley, label="Alcohol", ended_at__isnull=True)
    riley = client_as("riley")
    page = riley.get("/").content.decode()
    assert f"/clocks/{alcohol.pk}/milestones/90d/" in page
    response = riley.post(f"/clocks/{alcohol.pk}/milestones/90d/", {"share": "1", "next": "home"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert MilestoneShare.objects.get(clock=alcohol, key="90d").shared is True
    assert f"/clocks/{alcohol.pk}/milestones/" not in riley.get("/").content.decode()


# --- pages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["casey", "sam"])
def test_someone_else_gets_404_for_rileys_clock(cast, client_as, who):
    alcohol = Clock.objects.filter(user=cast.riley, ended_at__isnull=True).first()
    client = client_as(who)
    assert client.get(f"/clocks/{alcohol.pk}/").status_code == 404
    assert client.get(f"/clocks/{alcohol.pk}/return/").status_code == 404
    assert (
        client.post(f"/clocks/{alcohol.pk}/return/", {"occurred_on": "2025-01-01", "restart": "1"}).status_code == 404
    )
    assert client.post(f"/clocks/{alcohol.pk}/put-away/").status_code == 404
    assert client.post(f"/clocks/{alcohol.pk}/milestones/90d/", {"share": "1"}).status_code == 404
    assert not ReturnToUse.objects.filter(clock=alcohol).exists()


JUDGING = re.compile(r"\b(relapse|clean|dirty|failure|failed|addict)\w*", re.I)


def test_return_pages_use_non_judgemental_words(cast, client_as):
    alcohol = Clock.objects.get(user=cast.riley, label="Alcohol", ended_at__isnull=True)
    riley = client_as("riley")
    pages = [
        riley.get(f"/clocks/{alcohol.pk}/return/"),
        riley.get(f"/clocks/{alcohol.pk}/"),
        riley.get("/clocks/"),
    ]
    for response in pages:
        assert response.status_code == 200
        assert JUDGING.findall(_main(response.content.decode())) == []
    today = selectors.checkin_today(cast.riley)
    assert today is None
    done = riley.post("/checkin/", {"mood": "2", "craving": "5", "used_today": "on", "used_what": "beer"})
    assert done.status_code == 200
    assert JUDGING.findall(_main(done.content.decode())) == []


def test_return_page_records_a_restart_and_shows_the_new_count(cast, client_as):
    alcohol = Clock.objects.get(user=cast.riley, label="Alcohol", ended_at__isnull=True)
    riley = client_as("riley")
    yesterday = (dt.datetime.now(LA) - dt.timedelta(days=1)).date()
    response = riley.post(f"/clocks/{alcohol.pk}/return/", {"occurred_on": yesterday.isoformat(), "restart": "1"})
    new = Clock.objects.get(series=alcohol.series, ended_at__isnull=True)
    assert response.status_code == 302 and response["Location"] == f"/clocks/{new.pk}/"
    page = riley.get(response["Location"])
    assert page.status_code == 200
    assert "still counting" in page.content.decode()
    # the old stretch's return page now sends the person to the clock instead
    assert riley.get(f"/clocks/{alcohol.pk}/return/").status_code == 302


def test_return_page_keeps_input_and_shows_an_error_for_a_future_day(cast, client_as):
    alcohol = Clock.objects.get(user=cast.riley, label="Alcohol", ended_at__isnull=True)
    future = (dt.datetime.now(LA) + dt.timedelta(days=3)).date().isoformat()
    response = client_as("riley").post(
        f"/clocks/{alcohol.pk}/return/", {"occurred_on": future, "restart": "0", "note": "my words"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose today or a day in the past." in html
    assert "my words" in html
    assert not ReturnToUse.objects.filter(clock=alcohol).exists()


def test_clocks_page_starts_a_clock_and_refuses_a_future_day_with_a_message(cast, client_as):
    riley = client_as("riley")
    today = dt.datetime.now(LA).date()
    ok = riley.post("/clocks/", {"label": "Nicotine", "started_on": today.isoformat()})
    assert ok.status_code == 302
    assert Clock.objects.filter(user=cast.riley, label="Nicotine").exists()
    bad = riley.post("/clocks/", {"label": "Sugar", "started_on": (today + dt.timedelta(days=2)).isoformat()})
    assert bad.status_code == 200
    assert "Choose today or a day in the past." in bad.content.decode()
    assert not Clock.objects.filter(user=cast.riley, label="Sugar").exists()


def test_putting_a_clock_away_moves_it_to_past_clocks(cast, client_as):
    cannabis = Clock.objects.get(user=cast.riley, label="Cannabis")
    riley = client_as("riley")
    assert riley.post(f"/clocks/{cannabis.pk}/put-away/").status_code == 302
    assert cannabis not in [v.clock for v in selectors.my_clocks(cast.riley)]
    assert list(selectors.my_past_clocks(cast.riley)) == [cannabis]
    assert riley.get(f"/clocks/{cannabis.pk}/").status_code == 200


def test_marking_an_unreached_milestone_on_the_page_shows_a_message_not_an_error(cast, client_as):
    cannabis = Clock.objects.get(user=cast.riley, label="Cannabis")
    riley = client_as("riley")
    response = riley.post(f"/clocks/{cannabis.pk}/milestones/1y/", {"share": "0"}, follow=True)
    assert response.status_code == 200
    assert "not been reached yet" in response.content.decode()
    response = riley.post(f"/clocks/{cannabis.pk}/milestones/bogus/", {"share": "0"}, follow=True)
    assert response.status_code == 200
    assert not MilestoneShare.objects.filter(clock=cannabis).exists()


def test_dates_on_clock_pages_are_the_members_own_days(cast, client_as):
    # Midnight in Tokyo is 15:00 UTC the day before: pages must not show the UTC date.
    riley = cast.riley
    riley.time_zone = "Asia/Tokyo"
    riley.save(update_fields=["time_zone"])
    clock = services.clock_start(user=riley, label="Gambling", started_on=dt.date(2025, 6, 1))
    client = client_as("riley")
    for page in ("/clocks/", f"/clocks/{clock.pk}/"):
        html = client.get(page).content.decode()
        assert "Counting since June 1, 2025" in html, page
        assert "May 31, 2025" not in html, page


# --- words for clocks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("24h", "24 hours"),
        ("7d", "7 days"),
        ("6m", "6 months"),
        ("1y", "1 year"),
        ("18m", "18 months"),
        ("2y", "2 years"),
    ],
)
def test_milestone_keys_read_as_words(key, words):
    from alongside.recovery.templatetags.recovery_tags import milestone_key_label

    assert milestone_key_label(key) == words


def test_an_unknown_milestone_key_reads_as_itself():
    from alongside.recovery.templatetags.recovery_tags import milestone_key_label

    assert milestone_key_label("soon") == "soon"
    assert milestone_key_label("") == ""


@pytest.mark.parametrize(
    ("span", "words"),
    [
        ((0, 0, 0, 0), "0 days"),
        ((1, 0, 0, 1), "1 day"),
        ((31, 0, 1, 0), "1 month"),
        ((400, 1, 1, 4), "1 year, 1 month, 4 days"),
        ((730, 2, 0, 0), "2 years"),
    ],
)
def test_elapsed_time_leaves_out_zero_parts(span, words):
    from alongside.recovery.milestones import Elapsed
    from alongside.recovery.templatetags.recovery_tags import days_label, elapsed_label

    assert elapsed_label(Elapsed(*span)) == words
    assert days_label(span[0]).endswith("day" if span[0] == 1 else "days")


def test_return_page_can_keep_the_clock_counting(cast, client_as):
    alcohol = Clock.objects.get(user=cast.riley, label="Alcohol", ended_at__isnull=True)
    yesterday = (dt.datetime.now(LA) - dt.timedelta(days=1)).date()
    response = client_as("riley").post(
        f"/clocks/{alcohol.pk}/return/", {"occurred_on": yesterday.isoformat(), "restart": "0", "note": "One night."}
    )
    assert response.status_code == 302 and response["Location"] == f"/clocks/{alcohol.pk}/"
    alcohol.refresh_from_db()
    assert alcohol.ended_at is None
    record = ReturnToUse.objects.get(clock=alcohol)
    assert (record.restarted, record.note) == (False, "One night.")

"""Every write of the recovery journey. Keyword-only, atomic; alerts go through
``safety.services`` and news for other apps goes out as signals after commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alongside.accounts import services as accounts_services
from alongside.accounts.models import CareRelation, CareTeamLink, Membership, Program, Role, User
from alongside.lib.tz import local_date, start_of_day, zone_of
from alongside.recovery import instruments, milestones, plan, risk, signals
from alongside.recovery.models import (
    Assessment,
    CheckIn,
    Clock,
    Goal,
    GoalComment,
    GoalStatus,
    GoalStep,
    JournalEntry,
    MilestoneShare,
    Pathway,
    PlanVersion,
    RecoveryProfile,
    RecoverySettings,
    ReminderSent,
    ReturnToUse,
    SupportWanted,
    Trigger,
)
from alongside.safety import services as safety_services
from alongside.safety.models import Alert, AlertKind, Severity
from alongside.safety.screening import Level, Screening, screen

logger = logging.getLogger(__name__)

# No recovery, clock or return to use starts before this day: far older dates are typing
# slips, and year 1 in a zone east of UTC cannot even be turned into an instant.
EARLIEST_DAY = dt.date(1900, 1, 1)


def _require_past_day(day: dt.date, today: dt.date, field_name: str) -> None:
    if day > today:
        raise ValidationError({field_name: _("Choose today or a day in the past.")})
    if day < EARLIEST_DAY:
        raise ValidationError({field_name: _("Choose a day after 1 January 1900.")})


def _member_programs(user: User) -> list[Program]:
    return [m.program for m in Membership.objects.filter(user=user, role=Role.MEMBER).select_related("program")]


def settings_for(program: Program) -> RecoverySettings:
    found, _created = RecoverySettings.objects.get_or_create(program=program)
    return found


def recovery_settings_update(*, program: Program, **values: Any) -> RecoverySettings:
    current = settings_for(program)
    allowed = {
        "craving_alert_at",
        "missed_checkins_alert_after",
        "low_mood_days",
        "barc10_every_days",
        "phq9_enabled",
        "gad7_enabled",
    }
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"unknown settings {sorted(unknown)}")
    for name, value in values.items():
        setattr(current, name, value)
    current.full_clean()
    current.save(update_fields=list(values))
    return current


# --- profile and onboarding ----------------------------------------------------------------


def _clean_choices(values: Sequence[str], allowed: Sequence[str], *, free: bool = False, limit: int = 12) -> list[str]:
    seen: list[str] = []
    for value in values:
        value = str(value).strip()[:40]
        if not value or value in seen:
            continue
        if not free and value not in allowed:
            raise ValidationError(_("“%(value)s” is not one of the choices.") % {"value": value})
        seen.append(value)
    return seen[:limit]


def profile_save(
    *,
    user: User,
    recovery_started_on: dt.date | None,
    substances: Sequence[str] = (),
    pathways: Sequence[str] = (),
    languages: Sequence[str] = (),
    support_wanted: Sequence[str] = (),
    support_note: str = "",
    reminder_time: dt.time | None = None,
    time_zone: str | None = None,
    now: dt.datetime | None = None,
) -> RecoveryProfile:
    """Save the member's recovery profile. The first save (onboarding) also starts a
    clock from the recovery start date, so day one already counts."""
    now = now or timezone.now()
    with transaction.atomic():
        if time_zone and time_zone != user.time_zone:
            user.time_zone = time_zone
            user.full_clean(validate_unique=False, exclude=["password", "handle", "email"])
            user.save(update_fields=["time_zone"])
        zone = zone_of(user)
        if recovery_started_on:
            _require_past_day(recovery_started_on, local_date(now, zone), "recovery_started_on")
        profile, _created = RecoveryProfile.objects.select_for_update().get_or_create(user=user)
        profile.recovery_started_on = recovery_started_on
        profile.substances = _clean_choices(substances, (), free=True)
        profile.pathways = _clean_choices(pathways, Pathway.values)
        profile.languages = _clean_choices(languages, (), free=True, limit=6)
        profile.support_wanted = _clean_choices(support_wanted, SupportWanted.values)
        profile.support_note = support_note.strip()[:300]
        profile.reminder_time = reminder_time
        profile.updated_at = now
        profile.onboarded_at = profile.onboarded_at or now
        profile.save(
            update_fields=[
                "recovery_started_on",
                "substances",
                "pathways",
                "languages",
                "support_wanted",
                "support_note",
                "reminder_time",
                "updated_at",
                "onboarded_at",
            ]
        )
        # The first start date given (at onboarding or later) starts a first clock; after
        # that, clocks are the member's to manage.
        if recovery_started_on and not Clock.objects.filter(user=user).exists():
            Clock.objects.create(
                user=user, label=_("My recovery"), started_at=start_of_day(recovery_started_on, zone), created_at=now
            )
    return profile


def onboarding_skip(*, user: User, now: dt.datetime | None = None) -> RecoveryProfile:
    profile, _created = RecoveryProfile.objects.get_or_create(user=user)
    if profile.onboarded_at is None:
        profile.onboarded_at = now or timezone.now()
        profile.save(update_fields=["onboarded_at"])
    return profile


# --- clocks ------------------------------------------------------------------------------


def _start_from(day: dt.date, start_time: dt.time | None, user: User, now: dt.datetime) -> dt.datetime:
    zone = zone_of(user)
    _require_past_day(day, local_date(now, zone), "started_on")
    started_at = start_of_day(day, zone) if start_time is None else dt.datetime.combine(day, start_time, tzinfo=zone)
    if started_at > now:
        raise ValidationError({"start_time": _("Choose a time that has already passed.")})
    return started_at


def clock_start(
    *,
    user: User,
    label: str,
    started_on: dt.date,
    start_time: dt.time | None = None,
    share_milestones: bool = False,
    now: dt.datetime | None = None,
) -> Clock:
    now = now or timezone.now()
    label = label.strip()
    if not label:
        raise ValidationError({"label": _("Say what this clock counts, for example “Alcohol”.")})
    if Clock.objects.filter(user=user, ended_at__isnull=True, archived_at__isnull=True).count() >= 10:
        raise ValidationError(_("You can keep up to 10 clocks running. Put one away first."))
    return Clock.objects.create(
        user=user,
        label=label[:60],
        started_at=_start_from(started_on, start_time, user, now),
        share_milestones=share_milestones,
        created_at=now,
    )


def clock_update(*, clock: Clock, user: User, label: str, share_milestones: bool) -> Clock:
    if clock.user_id != user.pk:
        raise PermissionDenied
    label = label.strip()
    if not label:
        raise ValidationError({"label": _("Say what this clock counts, for example “Alcohol”.")})
    with transaction.atomic():
        # A label belongs to the whole series so past stretches keep their name.
        Clock.objects.filter(series=clock.series).update(label=label[:60], share_milestones=share_milestones)
    clock.label, clock.share_milestones = label[:60], share_milestones
    return clock


def clock_archive(*, clock: Clock, user: User, now: dt.datetime | None = None) -> None:
    """Put a clock away (no longer counted on the home page); its history stays."""
    if clock.user_id != user.pk:
        raise PermissionDenied
    clock.archived_at = now or timezone.now()
    clock.save(update_fields=["archived_at"])


@dataclass(frozen=True)
class ReturnRecorded:
    record: ReturnToUse
    running: Clock  # the clock that now counts (new when restarted, the same one otherwise)


def clock_return_to_use(
    *,
    clock: Clock,
    user: User,
    occurred_on: dt.date,
    restart: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> ReturnRecorded:
    """Record a return to use on a running clock. The member decides whether the clock
    restarts; the old stretch is kept either way, so nothing they achieved disappears."""
    if clock.user_id != user.pk:
        raise PermissionDenied
    if clock.ended_at is not None:
        raise ValidationError(_("This clock has already been restarted. Use the clock that is counting now."))
    if clock.archived_at is not None:
        raise ValidationError(_("This clock is put away. Start a new clock if you would like to count again."))
    now = now or timezone.now()
    zone = zone_of(user)
    today = local_date(now, zone)
    if occurred_on > today:
        raise ValidationError({"occurred_on": _("Choose today or a day in the past.")})
    if occurred_on < local_date(clock.started_at, zone):
        raise ValidationError({"occurred_on": _("Choose a day on or after this clock started.")})
    occurred_at = max(clock.started_at, min(start_of_day(occurred_on, zone), now))
    with transaction.atomic():
        running = clock
        if restart:
            clock.ended_at = occurred_at
            clock.save(update_fields=["ended_at"])
            # The new count starts the day after, unless that day has not begun yet.
            next_day = start_of_day(occurred_on + dt.timedelta(days=1), zone)
            running = Clock.objects.create(
                user=user,
                series=clock.series,
                label=clock.label,
                started_at=min(next_day, now),
                share_milestones=clock.share_milestones,
                created_at=now,
            )
        record = ReturnToUse.objects.create(
            user=user,
            series=clock.series,
            clock=clock,
            occurred_at=occurred_at,
            restarted=restart,
            note=note.strip()[:500],
            created_at=now,
        )
    return ReturnRecorded(record, running)


def milestone_mark(
    *, clock: Clock, user: User, key: str, share: bool, now: dt.datetime | None = None
) -> MilestoneShare:
    """The member saw a milestone's celebration and chose whether to share it. Sharing
    needs the clock's sharing switch as well, so one tap never shares by surprise."""
    if clock.user_id != user.pk:
        raise PermissionDenied
    now = now or timezone.now()
    try:
        stone = milestones.milestone_at(key, clock.started_at, zone_of(user))
    except ValueError as error:
        raise ValidationError(_("That is not a milestone.")) from error
    if stone.due_at > now or (clock.ended_at is not None and stone.due_at > clock.ended_at):
        raise ValidationError(_("This milestone has not been reached yet."))
    share = share and clock.share_milestones
    with transaction.atomic():
        mark, created = MilestoneShare.objects.get_or_create(
            clock=clock, key=key, defaults={"reached_at": stone.due_at, "shared": share, "created_at": now}
        )
        newly_shared = created and share
        if not created and share and not mark.shared:
            mark.shared = True
            mark.save(update_fields=["shared"])
            newly_shared = True
        if newly_shared:
            # Announced once: a second tap (or a retried request) never celebrates twice.
            transaction.on_commit(
                lambda: signals.milestone_shared.send(
                    sender=Clock, user=user, clock=clock, key=key, reached_at=stone.due_at
                )
            )
    return mark


# --- check-ins ---------------------------------------------------------------------------


@dataclass
class CheckinResult:
    checkin: CheckIn
    created: bool
    reasons: list[risk.RiskReason] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    screening: Screening | None = None

    @property
    def show_crisis_lines(self) -> bool:
        return self.screening is not None and self.screening.level == Level.CRISIS


def _clean_checkin(
    mood: int, craving: int, triggers: Sequence[str], sleep_quality: int | None, used_today: bool, used_what: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not 1 <= mood <= 5:
        errors["mood"] = _("Choose a mood from 1 to 5.")
    if not 0 <= craving <= 10:
        errors["craving"] = _("Choose a craving from 0 to 10.")
    if sleep_quality is not None and not 1 <= sleep_quality <= 5:
        errors["sleep_quality"] = _("Choose sleep from 1 to 5, or leave it out.")
    if any(t not in Trigger.values for t in triggers):
        errors["triggers"] = _("Choose triggers from the list.")
    if used_what and not used_today:
        errors["used_what"] = _("Tick “used today” too, or leave this empty.")
    return errors


def checkin_record(
    *,
    user: User,
    mood: int,
    craving: int,
    triggers: Sequence[str] = (),
    used_today: bool = False,
    used_what: str = "",
    sleep_quality: int | None = None,
    note: str = "",
    wants_outreach: bool = False,
    now: dt.datetime | None = None,
) -> CheckinResult:
    """Today's check-in, in the member's own day. A second one the same day edits the first.

    Risk rules and note screening raise alerts for the member's team after the check-in is
    saved; the check-in itself is never refused or changed because of what it says.
    """
    now = now or timezone.now()
    errors = _clean_checkin(mood, craving, triggers, sleep_quality, used_today, used_what.strip())
    if errors:
        raise ValidationError(errors)
    today = local_date(now, zone_of(user))
    values = {
        "mood": mood,
        "craving": craving,
        "triggers": sorted(set(triggers), key=list(Trigger.values).index),
        "used_today": used_today,
        "used_what": used_what.strip()[:120],
        "sleep_quality": sleep_quality,
        "note": note.strip()[:280],
        "wants_outreach": wants_outreach,
        "updated_at": now,
    }
    try:
        with transaction.atomic():
            checkin, created = CheckIn.objects.update_or_create(
                user=user, local_date=today, defaults=values, create_defaults={**values, "created_at": now}
            )
    except IntegrityError:
        # Two taps raced; the second one edits what the first created.
        checkin = CheckIn.objects.get(user=user, local_date=today)
        for name, value in values.items():
            setattr(checkin, name, value)
        checkin.save(update_fields=list(values))
        created = False
    result = CheckinResult(checkin, created)
    _checkin_alerts(result, user, now)
    return result


def _checkin_alerts(result: CheckinResult, user: User, now: dt.datetime) -> None:
    checkin = result.checkin
    earlier = [
        risk.Day(c.local_date, c.mood, c.craving, c.used_today, c.wants_outreach, c.used_what)
        for c in CheckIn.objects.filter(user=user, local_date__lt=checkin.local_date).only(
            "local_date", "mood", "craving", "used_today", "wants_outreach", "used_what"
        )[:14]
    ]
    today = risk.Day(
        checkin.local_date, checkin.mood, checkin.craving, checkin.used_today, checkin.wants_outreach, checkin.used_what
    )
    for program in _member_programs(user):
        chosen = settings_for(program)
        thresholds = risk.Thresholds(chosen.craving_alert_at, chosen.missed_checkins_alert_after, chosen.low_mood_days)
        reasons = risk.checkin_risks(today, earlier, thresholds)
        result.reasons += [reason for reason in reasons if reason not in result.reasons]
        if reasons:
            rules = "+".join(sorted(reason.rule for reason in reasons))
            result.alerts.append(
                safety_services.alert_raise(
                    program=program,
                    subject=user,
                    kind=AlertKind.CHECKIN_RISK,
                    severity=Severity.CONCERN,
                    source_key=f"checkin:{checkin.pk}:{program.pk}:{rules}"[:120],
                    source_label=_("Check-in of %(date)s") % {"date": checkin.local_date.isoformat()},
                    source_url=reverse("member_recovery", kwargs={"slug": program.slug, "user_id": user.pk}),
                    reasons=[reason.as_dict() for reason in reasons],
                    contact_preference="message" if checkin.wants_outreach else "",
                    now=now,
                )
            )
        if checkin.note:
            digest = hashlib.sha256(checkin.note.encode()).hexdigest()[:16]
            screening, alert = safety_services.text_screen_and_alert(
                program=program,
                writer=user,
                text=checkin.note,
                source_key=f"checkin-note:{checkin.pk}:{program.pk}:{digest}",
                source_label=_("Check-in note of %(date)s") % {"date": checkin.local_date.isoformat()},
                source_url=reverse("member_recovery", kwargs={"slug": program.slug, "user_id": user.pk}),
            )
            result.screening = screening
            if alert is not None:
                result.alerts.append(alert)
    if checkin.note and result.screening is None:
        # Not a member anywhere, so nobody is alerted; the writer still sees the crisis lines.
        result.screening = screen(checkin.note, user.preferred_language or "en")


def missed_checkins_scan(*, now: dt.datetime | None = None) -> int:
    """Raise a concern for members who usually check in and have missed several days in a
    row. One alert per gap (the key is the last check-in's date). Run by the sweep."""
    now = now or timezone.now()
    raised = 0
    last_by_user = dict(
        CheckIn.objects.filter(user__memberships__role=Role.MEMBER)
        .values("user_id")
        .annotate(last=Max("local_date"))
        .values_list("user_id", "last")
    )
    memberships = (
        Membership.objects.filter(role=Role.MEMBER, user__is_active=True, user_id__in=list(last_by_user))
        .select_related("user", "program", "program__recovery_settings")
        .order_by("pk")
    )
    # Who has a long enough gap, in their own day; then one query each for the alerts
    # already raised and the recent check-ins of just those people.
    gaps = []
    for membership in memberships:
        user, program = membership.user, membership.program
        last = last_by_user[user.pk]
        today = local_date(now, zone_of(user))
        chosen = getattr(program, "recovery_settings", None) or RecoverySettings(program=program)
        if risk.missed_run(last, today) >= chosen.missed_checkins_alert_after:
            gaps.append((membership, last, today, f"missed-checkins:{user.pk}:{program.pk}:{last.isoformat()}"))
    raised_before = set(
        Alert.objects.filter(source_key__in=[key for *_rest, key in gaps]).values_list("source_key", flat=True)
    )
    gaps = [gap for gap in gaps if gap[3] not in raised_before]
    earliest = min((last for _m, last, _t, _k in gaps), default=None)
    recent: dict[int, list[dt.date]] = {}
    if earliest is not None:
        for user_id, day in CheckIn.objects.filter(
            user_id__in={m.user_id for m, *_rest in gaps}, local_date__gt=earliest - dt.timedelta(days=14)
        ).values_list("user_id", "local_date"):
            recent.setdefault(user_id, []).append(day)
    for membership, last, today, key in gaps:
        user, program = membership.user, membership.program
        dates = [day for day in recent.get(user.pk, []) if last - dt.timedelta(days=14) < day <= last]
        if not risk.usually_checks_in(dates, before=last + dt.timedelta(days=1)):
            continue
        safety_services.alert_raise(
            program=program,
            subject=user,
            kind=AlertKind.CHECKIN_RISK,
            severity=Severity.CONCERN,
            source_key=key,
            source_label=_("Check-ins stopped after %(date)s") % {"date": last.isoformat()},
            source_url=reverse("member_recovery", kwargs={"slug": program.slug, "user_id": user.pk}),
            reasons=[{"rule": "missed_checkins", "phrase": f"no check-in for {risk.missed_run(last, today)} days"}],
            now=now,
        )
        raised += 1
    return raised


def checkin_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Email today's reminder to members whose chosen local time has come and who have not
    checked in yet. Idempotent per member and local day, so the sweep can run every minute."""
    now = now or timezone.now()
    sent = 0
    profiles = (
        RecoveryProfile.objects.filter(
            reminder_time__isnull=False, user__is_active=True, user__memberships__role=Role.MEMBER
        )
        .select_related("user")
        .distinct()
    )
    # Whose reminder time has come in their own day; then one query each for who already
    # checked in or was reminded, so a sweep every few minutes writes only what is new.
    due: dict[int, tuple[User, dt.date]] = {}
    for profile in profiles:
        local_now = now.astimezone(zone_of(profile.user))
        assert profile.reminder_time is not None  # noqa: S101 - filtered above
        if local_now.time() >= profile.reminder_time:
            due[profile.user_id] = (profile.user, local_now.date())
    if not due:
        return 0
    days = {day for _user, day in due.values()}
    done = set(CheckIn.objects.filter(user_id__in=due, local_date__in=days).values_list("user_id", "local_date"))
    done |= set(ReminderSent.objects.filter(user_id__in=due, local_date__in=days).values_list("user_id", "local_date"))
    for user_id, (user, today) in due.items():
        if (user_id, today) in done:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(user=user, local_date=today, sent_at=now)
                with translation.override(user.preferred_language or "en"):
                    accounts_services.email_queue(
                        to=user.email,
                        subject=_("How is today going?"),
                        body_text=_(
                            "Hi %(handle)s,\n\nA gentle reminder to check in today. It takes under a minute:\n%(url)s\n\n"
                            "If today is hard, you can reach help at any time: %(help)s\n\n"
                            "You can change or turn off this reminder in your recovery profile."
                        )
                        % {
                            "handle": user.display_name,
                            "url": settings.SITE_URL + reverse("checkin"),
                            "help": settings.SITE_URL + reverse("help_now"),
                        },
                        key=f"checkin-reminder:{user.pk}:{today.isoformat()}",
                    )
        except IntegrityError:
            continue
        sent += 1
    return sent


# --- goals ------------------------------------------------------------------------------


def _goal_owner(goal: Goal, user: User) -> None:
    if goal.user_id != user.pk:
        raise PermissionDenied


def _progress_of_steps(goal: Goal) -> int:
    """The share of a goal's steps that are done; a goal without steps keeps its own number."""
    steps = list(goal.steps.values_list("done_at", flat=True))
    return round(100 * sum(1 for done in steps if done) / len(steps)) if steps else goal.progress


def goal_create(
    *,
    user: User,
    title: str,
    why: str = "",
    target_date: dt.date | None = None,
    shared_with_peer: bool = False,
    steps: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> Goal:
    now = now or timezone.now()
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Write the goal in a few words.")})
    clean_steps = [step.strip()[:160] for step in steps if step.strip()]
    if len(clean_steps) > 20:
        raise ValidationError({"steps": _("Keep a goal to 20 steps or fewer.")})
    with transaction.atomic():
        goal = Goal.objects.create(
            user=user,
            title=title[:160],
            why=why.strip()[:300],
            target_date=target_date,
            shared_with_peer=shared_with_peer,
            created_at=now,
            updated_at=now,
        )
        GoalStep.objects.bulk_create(GoalStep(goal=goal, text=text, order=i) for i, text in enumerate(clean_steps))
    return goal


def goal_update(
    *,
    goal: Goal,
    user: User,
    title: str | None = None,
    why: str | None = None,
    target_date: dt.date | bool | None = False,
    shared_with_peer: bool | None = None,
    status: str | None = None,
    progress: int | None = None,
    now: dt.datetime | None = None,
) -> Goal:
    """Change what was sent; ``target_date=False`` means "leave it" (None clears it)."""
    _goal_owner(goal, user)
    changed: list[str] = []
    if title is not None:
        if not title.strip():
            raise ValidationError({"title": _("Write the goal in a few words.")})
        goal.title = title.strip()[:160]
        changed.append("title")
    if why is not None:
        goal.why = why.strip()[:300]
        changed.append("why")
    if target_date is not False:
        goal.target_date = target_date if isinstance(target_date, dt.date) else None
        changed.append("target_date")
    if shared_with_peer is not None:
        goal.shared_with_peer = shared_with_peer
        changed.append("shared_with_peer")
    if status is not None:
        if status not in GoalStatus.values:
            raise ValidationError({"status": _("Choose in progress, done or set aside.")})
        goal.status = status
        changed.append("status")
        if status == GoalStatus.DONE:
            goal.progress = 100
            changed.append("progress")
        elif goal.steps.exists():
            # Reopened (or set aside): progress follows the steps again, not the 100 of "done".
            goal.progress = _progress_of_steps(goal)
            changed.append("progress")
    if progress is not None:
        if not 0 <= progress <= 100:
            raise ValidationError({"progress": _("Progress is a number from 0 to 100.")})
        if goal.steps.exists():
            raise ValidationError({"progress": _("This goal has steps: tick the steps to move it forward.")})
        goal.progress = progress
        changed.append("progress")
    goal.updated_at = now or timezone.now()
    goal.save(update_fields=[*dict.fromkeys(changed), "updated_at"])
    return goal


def goal_step_set(*, step: GoalStep, user: User, done: bool, now: dt.datetime | None = None) -> Goal:
    """Tick or untick a step; the goal's progress follows its steps."""
    goal = step.goal
    _goal_owner(goal, user)
    now = now or timezone.now()
    with transaction.atomic():
        step.done_at = now if done else None
        step.save(update_fields=["done_at"])
        goal.progress = _progress_of_steps(goal)
        goal.updated_at = now
        goal.save(update_fields=["progress", "updated_at"])
    return goal


def goal_step_add(*, goal: Goal, user: User, text: str) -> GoalStep:
    _goal_owner(goal, user)
    if not text.strip():
        raise ValidationError({"text": _("Write the step in a few words.")})
    with transaction.atomic():
        order = goal.steps.count()
        if order >= 20:
            raise ValidationError({"text": _("Keep a goal to 20 steps or fewer.")})
        step = GoalStep.objects.create(goal=goal, text=text.strip()[:160], order=order)
        goal.progress = _progress_of_steps(goal)
        goal.updated_at = timezone.now()
        goal.save(update_fields=["progress", "updated_at"])
    return step


def goal_comment_add(*, goal: Goal, author: User, text: str, now: dt.datetime | None = None) -> GoalComment:
    """A note on a goal by the member, or encouragement by a peer who walks with them on a
    goal the member shared. Everyone else is refused."""
    if goal.user_id != author.pk:
        walks_with = CareTeamLink.objects.filter(
            member_id=goal.user_id, supporter=author, relation=CareRelation.PEER, ended_at__isnull=True
        ).exists()
        if not (goal.shared_with_peer and walks_with):
            raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a few words.")})
    return GoalComment.objects.create(
        goal=goal,
        author=author,
        author_label=author.display_name[:60],
        text=text[:500],
        created_at=now or timezone.now(),
    )


# --- relapse-prevention plan ---------------------------------------------------------------


def plan_save(
    *, user: User, content: dict[str, Any], based_on: int | None = None, now: dt.datetime | None = None
) -> PlanVersion:
    """Save the plan as a new version when something changed; an unchanged save returns
    the current version so the history stays meaningful. ``based_on`` is the version the
    person was editing (0 for none): when another window saved since, nothing is written,
    so one window never silently undoes the other."""
    try:
        cleaned = plan.clean(content)
    except plan.PlanError as error:
        raise ValidationError(error.fields) from error
    with transaction.atomic():
        latest = PlanVersion.objects.select_for_update().filter(user=user).first()
        if latest is not None and latest.content == cleaned:
            return latest
        if based_on is not None and based_on != (latest.number if latest else 0):
            raise ValidationError(
                _(
                    "Your plan was changed in another window while you were editing. Check what is "
                    "below, then save again to keep it."
                )
            )
        number = (latest.number + 1) if latest else 1
        try:
            with transaction.atomic():
                return PlanVersion.objects.create(
                    user=user, number=number, content=cleaned, created_at=now or timezone.now()
                )
        except IntegrityError as error:
            raise ValidationError(_("Your plan changed in another window. Reload and try again.")) from error


# --- assessments -------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentResult:
    assessment: Assessment
    alerts: list[Alert]

    @property
    def show_crisis_lines(self) -> bool:
        return "self_harm_thoughts" in self.assessment.flags


def assessment_submit(
    *,
    user: User,
    instrument: str,
    answers: Sequence[int],
    language: str = "en",
    program: Program | None = None,
    now: dt.datetime | None = None,
) -> AssessmentResult:
    """Score and keep a completed questionnaire. Any thought of self-harm on PHQ-9 item 9
    raises a crisis alert at once; the member sees the crisis lines on the result page."""
    if instrument not in instruments.INSTRUMENTS:
        raise ValidationError({"instrument": _("Unknown questionnaire.")})
    try:
        score = instruments.score(instrument, list(answers))
    except ValueError as error:
        raise ValidationError({"answers": str(error)}) from error
    now = now or timezone.now()
    programs = _member_programs(user)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            user=user,
            program=program or (programs[0] if programs else None),
            instrument=instrument,
            answers=list(answers),
            total=score.total,
            band=score.band or "",
            flags=list(score.flags),
            language=language if language in ("en", "es") else "en",
            completed_at=now,
        )
        alerts = []
        if "self_harm_thoughts" in score.flags:
            for member_program in programs:
                alerts.append(
                    safety_services.alert_raise(
                        program=member_program,
                        subject=user,
                        kind=AlertKind.ASSESSMENT_RISK,
                        severity=Severity.CRISIS,
                        source_key=f"assessment:{assessment.pk}:{member_program.pk}",
                        source_label=_("PHQ-9 of %(date)s") % {"date": local_date(now, zone_of(user)).isoformat()},
                        source_url=reverse("member_recovery", kwargs={"slug": member_program.slug, "user_id": user.pk}),
                        reasons=[
                            {
                                "rule": "phq9_item9",
                                "phrase": f"thoughts of being better off dead or of self-harm: answer {answers[8]} of 3",
                            }
                        ],
                        now=now,
                    )
                )
    return AssessmentResult(assessment, alerts)


# --- journal -----------------------------------------------------------------------------


def journal_write(*, user: User, body: str, title: str = "", now: dt.datetime | None = None) -> JournalEntry:
    """A private entry. It is deliberately not screened into alerts: the member was told
    only they can read it. The page still offers the crisis lines beside it."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > 20_000:
        raise ValidationError({"body": _("Keep an entry under 20,000 characters, or split it in two.")})
    now = now or timezone.now()
    return JournalEntry.objects.create(user=user, title=title.strip()[:120], body=body, created_at=now, updated_at=now)


def journal_update(
    *, entry: JournalEntry, user: User, body: str, title: str = "", now: dt.datetime | None = None
) -> JournalEntry:
    if entry.user_id != user.pk:
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something, or delete the entry.")})
    if len(body) > 20_000:
        raise ValidationError({"body": _("Keep an entry under 20,000 characters, or split it in two.")})
    entry.title, entry.body, entry.updated_at = title.strip()[:120], body, now or timezone.now()
    entry.save(update_fields=["title", "body", "updated_at"])
    return entry


def journal_delete(*, entry: JournalEntry, user: User) -> None:
    """Deleting deletes: the row is gone, not hidden."""
    if entry.user_id != user.pk:
        raise PermissionDenied
    entry.delete()

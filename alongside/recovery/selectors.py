"""Every read of the recovery journey that a person sees, scoped to the viewer.

A member reads their own records through the ``my_*`` / ``get_my_*`` selectors, which
return 404 for anyone else's. Another person reaches a member's recovery data only
through ``member_recovery_for``: same program, the member's own peer, and the member's
consent for each kind of data. The journal has no selector for anyone but its writer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from alongside.accounts import selectors as accounts_selectors
from alongside.accounts import services as accounts_services
from alongside.accounts.models import CareRelation, CareTeamLink, ConsentScope, Membership, Program, Role, User
from alongside.lib.tz import local_date, zone_of
from alongside.recovery import instruments, milestones, plan, trends
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
    PlanVersion,
    RecoveryProfile,
    RecoverySettings,
    ReturnToUse,
)

CELEBRATE_FOR = dt.timedelta(days=7)
MAX_ID = 2**63  # ids are 64-bit in every database Alongside runs on


# --- profile -----------------------------------------------------------------------------


def profile_of(user: User) -> RecoveryProfile:
    """The member's profile, or an unsaved empty one before onboarding."""
    return RecoveryProfile.objects.filter(user=user).first() or RecoveryProfile(user=user)


def settings_of(program: Program) -> RecoverySettings:
    return RecoverySettings.objects.filter(program=program).first() or RecoverySettings(program=program)


def require_recovery_admin(viewer: User, membership: Membership) -> None:
    accounts_selectors.require_role(membership, Role.ADMIN)
    accounts_selectors.require_member_data_access(viewer, membership)


# --- clocks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockView:
    clock: Clock
    elapsed: milestones.Elapsed
    next: milestones.Milestone
    reached: list[milestones.Milestone]
    celebrate: milestones.Milestone | None  # reached lately and not yet seen by the member


def _clock_view(clock: Clock, zone: Any, now: dt.datetime, marked: set[str]) -> ClockView:
    until = clock.ended_at or now
    reached = milestones.milestones_between(clock.started_at, zone, until=until)
    latest = reached[-1] if reached else None
    celebrate = None
    if clock.ended_at is None and latest and latest.key not in marked and now - latest.due_at <= CELEBRATE_FOR:
        celebrate = latest
    return ClockView(
        clock=clock,
        elapsed=milestones.elapsed(clock.started_at, zone, now=until),
        next=milestones.next_milestone(clock.started_at, zone, now=until),
        reached=reached,
        celebrate=celebrate,
    )


def my_clocks(user: User, now: dt.datetime | None = None) -> list[ClockView]:
    """The member's running clocks, with their milestones. Two queries however long the history."""
    now = now or timezone.now()
    zone = zone_of(user)
    clocks = Clock.objects.filter(user=user, ended_at__isnull=True, archived_at__isnull=True).prefetch_related(
        Prefetch("milestone_shares", queryset=MilestoneShare.objects.only("clock_id", "key"), to_attr="marks")
    )
    return [_clock_view(c, zone, now, {m.key for m in c.marks}) for c in clocks]


def get_my_clock(user: User, clock_id: int) -> Clock:
    clock = Clock.objects.filter(user=user, pk=clock_id).first()
    if clock is None:
        raise Http404
    return clock


@dataclass(frozen=True)
class Stretch:
    clock: Clock
    days: int
    running: bool


@dataclass(frozen=True)
class ClockHistory:
    current: ClockView | None
    stretches: list[Stretch]  # newest first
    returns: list[ReturnToUse]
    longest_days: int
    total_days: int
    shared: list[MilestoneShare] = field(default_factory=list)


def clock_history(user: User, clock: Clock, now: dt.datetime | None = None) -> ClockHistory:
    """Every stretch of one clock's series, kept for the member: nothing is erased by a
    return to use."""
    now = now or timezone.now()
    zone = zone_of(user)
    series = list(Clock.objects.filter(user=user, series=clock.series).order_by("-started_at"))
    stretches = [
        Stretch(c, milestones.elapsed(c.started_at, zone, now=c.ended_at or now).days, c.ended_at is None)
        for c in series
    ]
    running = next((c for c in series if c.ended_at is None), None)
    current = None
    if running is not None:
        marked = set(MilestoneShare.objects.filter(clock=running).values_list("key", flat=True))
        current = _clock_view(running, zone, now, marked)
    return ClockHistory(
        current=current,
        stretches=stretches,
        returns=list(ReturnToUse.objects.filter(user=user, series=clock.series)),
        longest_days=max((s.days for s in stretches), default=0),
        total_days=sum(s.days for s in stretches),
        shared=list(MilestoneShare.objects.filter(clock__series=clock.series, shared=True).order_by("-reached_at")),
    )


def my_past_clocks(user: User) -> QuerySet[Clock]:
    """Clocks put away; their history stays readable."""
    return Clock.objects.filter(user=user, archived_at__isnull=False, ended_at__isnull=True).order_by("-archived_at")


# --- check-ins ---------------------------------------------------------------------------


def checkin_today(user: User, now: dt.datetime | None = None) -> CheckIn | None:
    today = local_date(now or timezone.now(), zone_of(user))
    return CheckIn.objects.filter(user=user, local_date=today).first()


def my_checkins(user: User) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(user=user)


def _trends_of(member: User, days: int, now: dt.datetime) -> trends.Trends:
    if days not in trends.WINDOWS:
        days = 30
    today = local_date(now, zone_of(member))
    rows = CheckIn.objects.filter(user=member, local_date__gt=today - dt.timedelta(days=max(days, 60))).values_list(
        "local_date", "mood", "craving", "triggers"
    )
    entries = [trends.Entry(d, m, c, t or []) for d, m, c, t in rows]
    run = trends.streak((e.local_date for e in entries), today)
    if run >= 59:
        # A long streak: count it over the whole history, only for those who have one.
        dates = CheckIn.objects.filter(user=member).values_list("local_date", flat=True)
        run = trends.streak(dates, today)
    return trends.compute(entries, today=today, days=days, streak_days=run)


def my_trends(user: User, days: int = 30, now: dt.datetime | None = None) -> trends.Trends:
    return _trends_of(user, days, now or timezone.now())


# --- goals -------------------------------------------------------------------------------


def _goals_with_detail() -> QuerySet[Goal]:
    return Goal.objects.prefetch_related(
        Prefetch("steps", queryset=GoalStep.objects.order_by("order", "pk")),
        Prefetch("comments", queryset=GoalComment.objects.order_by("created_at", "pk")),
    )


def my_goals(user: User) -> QuerySet[Goal]:
    return _goals_with_detail().filter(user=user)


def get_my_goal(user: User, goal_id: int) -> Goal:
    goal = _goals_with_detail().filter(user=user, pk=goal_id).first()
    if goal is None:
        raise Http404
    return goal


def get_my_goal_step(user: User, goal_id: int, step_id: int) -> GoalStep:
    step = GoalStep.objects.filter(goal__user=user, goal_id=goal_id, pk=step_id).select_related("goal").first()
    if step is None:
        raise Http404
    return step


def goals_due(user: User, now: dt.datetime | None = None, limit: int = 3) -> list[Goal]:
    """Active goals with the nearest target dates (overdue first), for the home page."""
    today = local_date(now or timezone.now(), zone_of(user))
    return list(
        Goal.objects.filter(user=user, status=GoalStatus.ACTIVE, target_date__lte=today + dt.timedelta(days=7))
        .order_by("target_date", "pk")
        .only("pk", "title", "target_date", "progress", "user_id")[:limit]
    )


# --- plan ----------------------------------------------------------------------------------


def my_plan(user: User) -> PlanVersion | None:
    return PlanVersion.objects.filter(user=user).first()


@dataclass(frozen=True)
class PlanChange:
    version: PlanVersion
    changes: list[plan.SectionChange]


def my_plan_history(user: User, limit: int = 50) -> list[PlanChange]:
    versions = list(PlanVersion.objects.filter(user=user)[: limit + 1])
    history = []
    for index, version in enumerate(versions[:limit]):
        previous = versions[index + 1].content if index + 1 < len(versions) else plan.empty()
        history.append(PlanChange(version, plan.diff(previous, version.content)))
    return history


# --- assessments ---------------------------------------------------------------------------


def my_assessments(user: User, instrument: str | None = None) -> QuerySet[Assessment]:
    found = Assessment.objects.filter(user=user)
    return found.filter(instrument=instrument) if instrument else found


def get_my_assessment(user: User, assessment_id: int) -> Assessment:
    found = Assessment.objects.filter(user=user, pk=assessment_id).first()
    if found is None:
        raise Http404
    return found


def offered_instruments(program: Program | None) -> list[instruments.Instrument]:
    """BARC-10 everywhere; PHQ-9 and GAD-7 where the program turned them on."""
    chosen = settings_of(program) if program else RecoverySettings()
    offered = [instruments.INSTRUMENTS["barc10"]]
    if chosen.phq9_enabled:
        offered.append(instruments.INSTRUMENTS["phq9"])
    if chosen.gad7_enabled:
        offered.append(instruments.INSTRUMENTS["gad7"])
    return offered


def barc10_due(user: User, program: Program | None, now: dt.datetime | None = None) -> bool:
    """At onboarding and then every N days (90 by default)."""
    now = now or timezone.now()
    every = (settings_of(program) if program else RecoverySettings()).barc10_every_days
    last = Assessment.objects.filter(user=user, instrument="barc10").values_list("completed_at", flat=True).first()
    return last is None or now - last >= dt.timedelta(days=every)


# --- journal -------------------------------------------------------------------------------


def my_journal(user: User) -> QuerySet[JournalEntry]:
    return JournalEntry.objects.filter(user=user)


def get_my_journal_entry(user: User, entry_id: int) -> JournalEntry:
    entry = JournalEntry.objects.filter(user=user, pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


# --- the member's home ---------------------------------------------------------------------


@dataclass(frozen=True)
class MemberHome:
    profile: RecoveryProfile
    checkin: CheckIn | None
    clocks: list[ClockView]
    goals_due: list[Goal]
    has_plan: bool
    peers: list[CareTeamLink]
    barc10_due: bool


def member_home(user: User, program: Program, now: dt.datetime | None = None) -> MemberHome:
    """Everything on the member's home screen, in a fixed number of queries: the profile
    row carries whether a plan exists, the last BARC-10 and the program's interval."""
    now = now or timezone.now()
    profile = (
        RecoveryProfile.objects.filter(user=user)
        .annotate(
            has_plan=Exists(PlanVersion.objects.filter(user=user)),
            last_barc10=Subquery(
                Assessment.objects.filter(user=user, instrument="barc10")
                .order_by("-completed_at")
                .values("completed_at")[:1]
            ),
            barc10_every=Subquery(RecoverySettings.objects.filter(program=program).values("barc10_every_days")[:1]),
        )
        .first()
    )
    has_plan = bool(getattr(profile, "has_plan", False))
    last_barc10 = getattr(profile, "last_barc10", None)
    every = (
        getattr(profile, "barc10_every", None) or RecoverySettings._meta.get_field("barc10_every_days").get_default()
    )
    return MemberHome(
        profile=profile if profile is not None else RecoveryProfile(user=user),
        checkin=checkin_today(user, now),
        clocks=my_clocks(user, now),
        goals_due=goals_due(user, now),
        has_plan=has_plan,
        peers=list(
            CareTeamLink.objects.filter(
                member=user, program=program, relation=CareRelation.PEER, ended_at__isnull=True
            ).select_related("supporter")
        ),
        barc10_due=last_barc10 is None or now - last_barc10 >= dt.timedelta(days=every),
    )


# --- what a peer sees of a member -----------------------------------------------------------


@dataclass(frozen=True)
class MemberRecovery:
    membership: Membership
    consents: dict[str, bool]
    trends: trends.Trends | None  # None without the member's consent
    recent_checkins: list[CheckIn]
    plan: PlanVersion | None
    assessments: list[Assessment]
    goals: list[Goal]  # only goals the member chose to share
    milestones: list[MilestoneShare]  # only milestones the member chose to share


def _require_peer_of(viewer: User, viewer_membership: Membership, member_id: int) -> Membership:
    if not 0 < member_id < MAX_ID:
        raise Http404  # no such person, and no 500 from a database that cannot hold the number
    target = accounts_selectors.require_can_open_member(viewer, viewer_membership, member_id)
    if target.role != Role.MEMBER:
        raise Http404
    # Supervisors and admins reach a member through alerts, not through their daily records.
    if viewer_membership.role != Role.PEER:
        raise PermissionDenied
    return target


def member_recovery_for(
    viewer: User, viewer_membership: Membership, member_id: int, *, days: int = 30, now: dt.datetime | None = None
) -> MemberRecovery:
    """A member's recovery as their peer may see it: each part only with the member's yes.
    Audited."""
    now = now or timezone.now()
    target = _require_peer_of(viewer, viewer_membership, member_id)
    member, program = target.user, target.program
    consents = accounts_selectors.consent_choices(member, program)
    seen_checkins = consents[ConsentScope.CHECKINS_PEER]
    view = MemberRecovery(
        membership=target,
        consents=consents,
        trends=_trends_of(member, days, now) if seen_checkins else None,
        recent_checkins=list(CheckIn.objects.filter(user=member)[:14]) if seen_checkins else [],
        plan=my_plan(member) if consents[ConsentScope.PLAN_PEER] else None,
        assessments=list(Assessment.objects.filter(user=member)[:20])
        if consents[ConsentScope.ASSESSMENTS_PEER]
        else [],
        goals=list(_goals_with_detail().filter(user=member, shared_with_peer=True)),
        milestones=list(
            MilestoneShare.objects.filter(clock__user=member, shared=True, clock__share_milestones=True)
            .select_related("clock")
            .order_by("-reached_at")[:20]
        ),
    )
    accounts_services.audit_record(actor=viewer, subject=member, program=program, action="viewed_recovery")
    return view


def get_shared_goal_for(viewer: User, viewer_membership: Membership, member_id: int, goal_id: int) -> Goal:
    _require_peer_of(viewer, viewer_membership, member_id)
    goal = Goal.objects.filter(user_id=member_id, pk=goal_id, shared_with_peer=True).first()
    if goal is None:
        raise Http404
    return goal


# --- export ----------------------------------------------------------------------------------


def _iso(value: dt.date | dt.datetime | dt.time | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_for(user: User) -> dict[str, object]:
    """The member's recovery records for their own download, journal included."""
    profile = RecoveryProfile.objects.filter(user=user).first()
    return {
        "profile": None
        if profile is None
        else {
            "recovery_started_on": _iso(profile.recovery_started_on),
            "substances": profile.substances,
            "pathways": profile.pathways,
            "languages": profile.languages,
            "support_wanted": profile.support_wanted,
            "support_note": profile.support_note,
            "reminder_time": _iso(profile.reminder_time),
        },
        "clocks": [
            {
                "series": str(c.series),
                "label": c.label,
                "started_at": _iso(c.started_at),
                "ended_at": _iso(c.ended_at),
                "archived_at": _iso(c.archived_at),
                "share_milestones": c.share_milestones,
            }
            for c in Clock.objects.filter(user=user)
        ],
        "returns_to_use": [
            {"series": str(r.series), "occurred_at": _iso(r.occurred_at), "restarted": r.restarted, "note": r.note}
            for r in ReturnToUse.objects.filter(user=user)
        ],
        "checkins": [
            {
                "date": _iso(c.local_date),
                "mood": c.mood,
                "craving": c.craving,
                "triggers": c.triggers,
                "used_today": c.used_today,
                "used_what": c.used_what,
                "sleep_quality": c.sleep_quality,
                "note": c.note,
                "wants_outreach": c.wants_outreach,
            }
            for c in CheckIn.objects.filter(user=user).order_by("local_date")
        ],
        "goals": [
            {
                "title": g.title,
                "why": g.why,
                "target_date": _iso(g.target_date),
                "progress": g.progress,
                "status": g.status,
                "shared_with_peer": g.shared_with_peer,
                "steps": [{"text": s.text, "done_at": _iso(s.done_at)} for s in g.steps.all()],
                "comments": [
                    {"by": c.author_label, "text": c.text, "at": _iso(c.created_at)} for c in g.comments.all()
                ],
            }
            for g in my_goals(user)
        ],
        "plan_versions": [
            {"number": v.number, "saved_at": _iso(v.created_at), "content": v.content}
            for v in PlanVersion.objects.filter(user=user).order_by("number")
        ],
        "assessments": [
            {
                "instrument": a.instrument,
                "answers": a.answers,
                "total": a.total,
                "band": a.band,
                "completed_at": _iso(a.completed_at),
            }
            for a in Assessment.objects.filter(user=user).order_by("completed_at")
        ],
        "journal": [
            {"title": j.title, "body": j.body, "written_at": _iso(j.created_at), "updated_at": _iso(j.updated_at)}
            for j in JournalEntry.objects.filter(user=user).order_by("created_at")
        ],
    }


# --- for the JSON API -------------------------------------------------------------------------


def clock_view_of(user: User, clock: Clock, now: dt.datetime | None = None) -> ClockView:
    """One of the member's clocks with its milestones, running or an ended stretch (an ended
    one counts up to its end, and has nothing left to celebrate)."""
    if clock.user_id != user.pk:
        raise Http404
    marked = set(MilestoneShare.objects.filter(clock=clock).values_list("key", flat=True))
    return _clock_view(clock, zone_of(user), now or timezone.now(), marked)


def my_plan_versions(user: User) -> QuerySet[PlanVersion]:
    """Every saved version of the member's plan, newest first (for a paginated list)."""
    return PlanVersion.objects.filter(user=user)


def journey_program_for(user: User, active: Membership | None) -> Program | None:
    """The program whose choices apply to a person's own journey (which assessments it
    offers, whose crisis lines to show): the one they act in when they are a member there,
    else the first program they are a member of, else none."""
    if active is not None and active.role == Role.MEMBER:
        return active.program
    found = Membership.objects.filter(user=user, role=Role.MEMBER).select_related("program").order_by("pk").first()
    return found.program if found else None


def assessment_as_fhir(assessment: Assessment) -> dict[str, Any]:
    """A completed assessment as a FHIR R4 QuestionnaireResponse: one document for the API
    and the page's download. Pass only an assessment reached through ``get_my_assessment``."""
    # Imported here so this block could be added without touching the imports above.
    from django.conf import settings

    from alongside.recovery import fhir

    return fhir.questionnaire_response(
        instruments.INSTRUMENTS[assessment.instrument],
        assessment.answers,
        authored=assessment.completed_at,
        subject_reference=f"Patient/{assessment.user_id}",
        response_id=f"assessment-{assessment.pk}",
        language=assessment.language,
        base=settings.SITE_URL + "/fhir",
    )

"""Pages of the recovery journey. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from alongside.accounts import selectors as accounts_selectors
from alongside.accounts import views as accounts_views
from alongside.accounts.http import AuthedHttpRequest
from alongside.accounts.models import Program, Role
from alongside.lib.forms import apply_validation_error
from alongside.lib.tz import local_date, zone_of
from alongside.recovery import instruments, plan, selectors, services, trends
from alongside.recovery.forms import (
    SECTION_TITLES,
    AssessmentForm,
    CheckInForm,
    ClockForm,
    ClockSettingsForm,
    GoalCommentForm,
    GoalEditForm,
    GoalForm,
    GoalNoteForm,
    GoalStepForm,
    GoalStepSetForm,
    JournalForm,
    PersonFormSet,
    PlanForm,
    ProfileForm,
    RecoverySettingsForm,
    ReturnToUseForm,
    people_initial,
)
from alongside.recovery.models import Assessment, Goal, GoalStatus
from alongside.safety.screening import Level, screen
from alongside.safety.views import crisis_lines_context

CHART_WIDTH, CHART_HEIGHT = 300, 100


def _is_member(request: HttpRequest) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role == Role.MEMBER


def home(request: HttpRequest) -> HttpResponse:
    """A member's day on one screen; everyone else gets the program home."""
    if not request.user.is_authenticated or not _is_member(request):
        return accounts_views.home(request)
    if request.session.get(accounts_views.PENDING_INVITATION_SESSION_KEY):
        return accounts_views.home(request)
    authed: AuthedHttpRequest = request  # type: ignore[assignment]
    assert authed.membership is not None  # noqa: S101 - checked by _is_member
    view = selectors.member_home(authed.user, authed.membership.program)
    if view.profile.onboarded_at is None:
        return redirect("recovery_onboarding")
    return render(request, "recovery/home.html", {"home": view, "membership": authed.membership})


# --- profile and onboarding ----------------------------------------------------------------


def _profile_initial(request: AuthedHttpRequest) -> dict:
    profile = selectors.profile_of(request.user)
    common = {value for value, _label in ProfileForm.base_fields["substances"].choices}  # type: ignore[attr-defined]
    return {
        "recovery_started_on": profile.recovery_started_on,
        "substances": [s for s in profile.substances if s in common],
        "other_substances": ", ".join(s for s in profile.substances if s not in common),
        "pathways": profile.pathways,
        "languages": profile.languages or [request.user.preferred_language],
        "support_wanted": profile.support_wanted,
        "support_note": profile.support_note,
        "time_zone": request.user.time_zone,
        "reminder_time": profile.reminder_time,
    }


def _profile_page(request: AuthedHttpRequest, *, onboarding: bool) -> HttpResponse:
    form = ProfileForm(request.POST or None, initial=_profile_initial(request))
    if request.method == "POST" and request.POST.get("skip") and onboarding:
        services.onboarding_skip(user=request.user)
        return redirect("home")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.profile_save(
                user=request.user,
                recovery_started_on=data["recovery_started_on"],
                substances=form.substance_list(),
                pathways=data["pathways"],
                languages=data["languages"],
                support_wanted=data["support_wanted"],
                support_note=data["support_note"],
                reminder_time=data["reminder_time"],
                time_zone=data["time_zone"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if onboarding:
                messages.success(request, _("Thank you. This is your space now."))
                return redirect("checkin")
            messages.success(request, _("Your recovery profile is saved."))
            return redirect("recovery_profile")
    template = "recovery/onboarding.html" if onboarding else "recovery/profile.html"
    return render(request, template, {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: AuthedHttpRequest) -> HttpResponse:
    return _profile_page(request, onboarding=True)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthedHttpRequest) -> HttpResponse:
    return _profile_page(request, onboarding=False)


# --- clocks ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def clocks(request: AuthedHttpRequest) -> HttpResponse:
    today = local_date(timezone.now(), zone_of(request.user))
    form = ClockForm(request.POST or None, initial={"started_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            clock = services.clock_start(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your “%(label)s” clock is counting.") % {"label": clock.label})
            return redirect("clocks")
    return render(
        request,
        "recovery/clocks.html",
        {"clocks": selectors.my_clocks(request.user), "past": selectors.my_past_clocks(request.user), "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def clock_detail(request: AuthedHttpRequest, clock_id: int) -> HttpResponse:
    clock = selectors.get_my_clock(request.user, clock_id)
    form = ClockSettingsForm(
        request.POST or None, initial={"label": clock.label, "share_milestones": clock.share_milestones}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.clock_update(clock=clock, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("clock_detail", clock_id=clock.pk)
    history = selectors.clock_history(request.user, clock)
    return render(request, "recovery/clock_detail.html", {"clock": clock, "history": history, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def clock_return(request: AuthedHttpRequest, clock_id: int) -> HttpResponse:
    """Recording a return to use: the member chooses what happens to the clock."""
    clock = selectors.get_my_clock(request.user, clock_id)
    if clock.ended_at is not None:
        return redirect("clock_detail", clock_id=clock.pk)
    today = local_date(timezone.now(), zone_of(request.user))
    form = ReturnToUseForm(request.POST or None, initial={"occurred_on": today, "restart": "1"})
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.clock_return_to_use(clock=clock, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Thank you for being honest with yourself. Every day you had still counts, and so does today."),
            )
            return redirect("clock_detail", clock_id=recorded.running.pk)
    return render(request, "recovery/clock_return.html", {"clock": clock, "form": form})


@login_required
@require_POST
def clock_archive(request: AuthedHttpRequest, clock_id: int) -> HttpResponse:
    clock = selectors.get_my_clock(request.user, clock_id)
    services.clock_archive(clock=clock, user=request.user)
    messages.success(request, _("The clock is put away. Its history is still here."))
    return redirect("clocks")


@login_required
@require_POST
def milestone_mark(request: AuthedHttpRequest, clock_id: int, key: str) -> HttpResponse:
    clock = selectors.get_my_clock(request.user, clock_id)
    share = request.POST.get("share") == "1"
    try:
        mark = services.milestone_mark(clock=clock, user=request.user, key=key, share=share)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if mark.shared:
            messages.success(request, _("Shared with the people who support you."))
        elif share and not clock.share_milestones:
            messages.info(request, _("To share milestones, turn on sharing for this clock first. Nothing was shared."))
    next_page = request.POST.get("next", "")
    return redirect(next_page if next_page in ("home", "clocks") else "home")


# --- check-ins ---------------------------------------------------------------------------


def _checkin_initial(request: AuthedHttpRequest) -> dict:
    today = selectors.checkin_today(request.user)
    if today is None:
        return {}
    return {
        "mood": today.mood,
        "craving": today.craving,
        "triggers": today.triggers,
        "used_today": today.used_today,
        "used_what": today.used_what,
        "sleep_quality": today.sleep_quality,
        "note": today.note,
        "wants_outreach": today.wants_outreach,
    }


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: AuthedHttpRequest) -> HttpResponse:
    initial = _checkin_initial(request)
    form = CheckInForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.checkin_record(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            context = {"result": result, "checkin": result.checkin}
            if result.show_crisis_lines:
                membership = request.membership
                context.update(crisis_lines_context(membership.program if membership else None))
            return render(request, "recovery/checkin_done.html", context)
    page: dict[str, Any] = {"form": form, "editing": bool(initial)}
    note = request.POST.get("note", "").strip() if request.method == "POST" else ""
    if note and screen(note[:280], request.user.preferred_language or "en").level == Level.CRISIS:
        # The check-in is not saved yet (something needs fixing), but what they wrote
        # cannot wait for that: the crisis lines come first.
        membership = request.membership
        page["show_crisis_lines"] = True
        page.update(crisis_lines_context(membership.program if membership else None))
    return render(request, "recovery/checkin.html", page)


def _chart(points: tuple[trends.DayPoint, ...], attribute: str, low: int, high: int) -> list[str]:
    return trends.polyline(points, attribute, low=low, high=high, width=CHART_WIDTH, height=CHART_HEIGHT)


def _trend_context(view: trends.Trends) -> dict:
    return {
        "trends": view,
        "windows": trends.WINDOWS,
        "mood_lines": _chart(view.points, "mood", 1, 5),
        "craving_lines": _chart(view.points, "craving", 0, 10),
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
    }


def _days(request: HttpRequest) -> int:
    raw = request.GET.get("days", "30")
    return int(raw) if raw.isdigit() and int(raw) in trends.WINDOWS else 30


@login_required
def checkin_history(request: AuthedHttpRequest) -> HttpResponse:
    view = selectors.my_trends(request.user, _days(request))
    recent = selectors.my_checkins(request.user)[:30]
    return render(request, "recovery/checkin_history.html", {**_trend_context(view), "recent": recent})


# --- a member's recovery, as their peer sees it ---------------------------------------------


@login_required
def member_recovery(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    view = selectors.member_recovery_for(request.user, membership, user_id, days=_days(request))
    context = {"program": program, "view": view, "comment_form": GoalCommentForm()}
    if view.trends is not None:
        context.update(_trend_context(view.trends))
    if view.plan is not None:
        context["plan_sections"] = _sections(view.plan.content)  # the same titles as the member's page
    return render(request, "recovery/member_recovery.html", context)


@login_required
@require_POST
def member_goal_comment(request: AuthedHttpRequest, slug: str, user_id: int, goal_id: int) -> HttpResponse:
    _program, membership = accounts_selectors.get_program_for(request.user, slug)
    goal = selectors.get_shared_goal_for(request.user, membership, user_id, goal_id)
    form = GoalCommentForm(request.POST)
    if form.is_valid():
        try:
            services.goal_comment_add(goal=goal, author=request.user, text=form.cleaned_data["text"])
        except PermissionDenied:
            raise
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your encouragement is on their goal."))
    else:
        messages.error(request, _("Write a few words of encouragement (up to 500 characters)."))
    return redirect("member_recovery", slug=slug, user_id=user_id)


# --- program settings ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def recovery_settings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    selectors.require_recovery_admin(request.user, membership)
    current = selectors.settings_of(program)
    form = RecoverySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.recovery_settings_update(program=program, **form.cleaned_data)
        messages.success(request, _("Check-in alert rules are saved."))
        return redirect("recovery_settings", slug=slug)
    return render(request, "recovery/settings.html", {"program": program, "form": form})


# --- goals, plan, journal ----------------------------------------------------------------

# A member's own goals, relapse-prevention plan and private journal. Thin: parse, call a
# service or selector, render.
#
# Every page here shows the signed-in person's own records only (the ``my_*`` selectors);
# another person's goal, step or entry is a 404, never a hint that it exists.

JOURNAL_PAGE_SIZE = 20

# Page sizes for the printable plan. Letter is the default because the crisis lines a
# program starts with are the US national ones; anyone else picks A4 in one tap.
PDF_SIZES = {
    "phone": "90mm 160mm",
    "a4": "A4",
    "letter": "letter",
}
PDF_DEFAULT_SIZE = "letter"


# --- goals -------------------------------------------------------------------------------


@login_required
@never_cache
@require_safe
def goals(request: AuthedHttpRequest) -> HttpResponse:
    mine = list(selectors.my_goals(request.user))
    groups = [(value, label, [goal for goal in mine if goal.status == value]) for value, label in GoalStatus.choices]
    return render(
        request,
        "recovery/goals.html",
        {"groups": groups, "has_goals": bool(mine), "today": local_date(timezone.now(), zone_of(request.user))},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def goal_new(request: AuthedHttpRequest) -> HttpResponse:
    form = GoalForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                goal = services.goal_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Your goal is saved. One step at a time."))
                return redirect("goal_detail", goal_id=goal.pk)
        return render(request, "recovery/goal_new.html", {"form": form}, status=400)
    return render(request, "recovery/goal_new.html", {"form": form})


def _goal_edit_initial(goal: Goal) -> dict[str, Any]:
    return {
        "title": goal.title,
        "why": goal.why,
        "target_date": goal.target_date,
        "status": goal.status,
        "progress": goal.progress,
        "shared_with_peer": goal.shared_with_peer,
    }


def _render_goal(
    request: AuthedHttpRequest,
    goal: Goal,
    *,
    edit_form: GoalEditForm | None = None,
    step_form: GoalStepForm | None = None,
    note_form: GoalNoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    steps = list(goal.steps.all())
    return render(
        request,
        "recovery/goal_detail.html",
        {
            "goal": goal,
            "steps": steps,
            "comments": list(goal.comments.all()),
            "edit_form": edit_form or GoalEditForm(initial=_goal_edit_initial(goal), has_steps=bool(steps)),
            "step_form": step_form or GoalStepForm(),
            "note_form": note_form or GoalNoteForm(),
            "today": local_date(timezone.now(), zone_of(request.user)),
        },
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def goal_detail(request: AuthedHttpRequest, goal_id: int) -> HttpResponse:
    """GET shows the goal; POST saves the edit form on the same page."""
    goal = selectors.get_my_goal(request.user, goal_id)
    if request.method == "GET":
        return _render_goal(request, goal)
    form = GoalEditForm(request.POST, has_steps=goal.steps.exists())
    if form.is_valid():
        values = dict(form.cleaned_data)
        # goal_update reads False as "leave the date"; an emptied date field means "clear it".
        values["target_date"] = values.get("target_date")
        if values["status"] == GoalStatus.DONE and "progress" in values:
            values["progress"] = 100  # done is done, whatever number was left in the box
        try:
            services.goal_update(goal=goal, user=request.user, **values)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("goal_detail", goal_id=goal.pk)
    messages.error(request, _("Your changes are not saved yet: check the goal form below."))
    # The page shows the goal as it was saved, next to what the person typed.
    return _render_goal(request, selectors.get_my_goal(request.user, goal_id), edit_form=form, status=400)


@login_required
@require_POST
def goal_step_add(request: AuthedHttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.get_my_goal(request.user, goal_id)
    form = GoalStepForm(request.POST)
    if form.is_valid():
        try:
            services.goal_step_add(goal=goal, user=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Step added."))
            return redirect("goal_detail", goal_id=goal.pk)
    return _render_goal(request, goal, step_form=form, status=400)


@login_required
@require_POST
def goal_step_set(request: AuthedHttpRequest, goal_id: int, step_id: int) -> HttpResponse:
    step = selectors.get_my_goal_step(request.user, goal_id, step_id)
    form = GoalStepSetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That step did not change. Try the button again."))
        return _render_goal(request, selectors.get_my_goal(request.user, goal_id), status=400)
    done = form.cleaned_data["done"]
    goal = services.goal_step_set(step=step, user=request.user, done=done)
    if done and goal.progress == 100 and goal.status == GoalStatus.ACTIVE:
        messages.success(request, _("Every step is done. Well done! Mark the goal done when you are ready."))
    elif done:
        messages.success(request, _("Step done. Keep going."))
    return redirect("goal_detail", goal_id=goal_id)


@login_required
@require_POST
def goal_comment(request: AuthedHttpRequest, goal_id: int) -> HttpResponse:
    """The member's own note on their goal; a peer's encouragement comes in elsewhere."""
    goal = selectors.get_my_goal(request.user, goal_id)
    form = GoalNoteForm(request.POST)
    if form.is_valid():
        try:
            services.goal_comment_add(goal=goal, author=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your note is saved."))
            return redirect("goal_detail", goal_id=goal.pk)
    return _render_goal(request, goal, note_form=form, status=400)


# --- relapse-prevention plan -----------------------------------------------------------------


def _tel(phone: str) -> str:
    """A ``tel:`` link target: digits and a leading +, as dialers expect."""
    digits = re.sub(r"[^0-9]", "", phone)
    return ("+" + digits if phone.strip().startswith("+") else digits) if digits else ""


def _sections(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan in page order, each section with its title, ready for the template."""
    sections = []
    for key in SECTION_TITLES:  # the order a plan reads best in, people next to coping
        value = content.get(key, [] if key != "if_i_use" else "")
        if key == "people":
            value = [{**person, "tel": _tel(person.get("phone", ""))} for person in value]
        sections.append({"key": key, "title": SECTION_TITLES[key], "value": value})
    return sections


def _plan_context(user: Any, *, printing: bool, size: str = PDF_DEFAULT_SIZE) -> dict[str, Any]:
    current = selectors.my_plan(user)
    content = current.content if current else plan.empty()
    return {
        "layout": "recovery/plan_pdf.html" if printing else "base.html",
        "printing": printing,
        "page_size": PDF_SIZES[size],
        "size": size,
        "current": current,
        "sections": _sections(content),
        "is_empty": plan.is_empty(content),
        "owner": user,
    }


@login_required
@never_cache
@require_safe
def plan_view(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "recovery/plan.html", _plan_context(request.user, printing=False))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedHttpRequest) -> HttpResponse:
    current = selectors.my_plan(request.user)
    content = current.content if current else plan.empty()
    if request.method == "GET":
        form = PlanForm(initial=PlanForm.initial_from(content), coping_now=content.get("coping", []))
        people = PersonFormSet(initial=people_initial(content.get("people", [])), prefix="people")
        return render(request, "recovery/plan_edit.html", {"form": form, "people": people, "current": current})
    form = PlanForm(request.POST, coping_now=content.get("coping", []))
    people = PersonFormSet(request.POST, prefix="people")
    if form.is_valid() and people.is_valid():
        rows = [row for row in people.cleaned_data if row]
        try:
            based_on = request.POST.get("based_on", "")
            saved = services.plan_save(
                user=request.user,
                content=form.content(rows),
                based_on=int(based_on) if based_on.isdigit() and len(based_on) < 10 else None,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if current is not None and saved.pk == current.pk:
                messages.info(request, _("Nothing changed, so your plan stays as it was."))
            else:
                messages.success(request, _("Your plan is saved. You can open it any time from your home page."))
            return redirect("plan")
    messages.error(request, _("Your plan is not saved yet: check the parts marked below."))
    return render(request, "recovery/plan_edit.html", {"form": form, "people": people, "current": current}, status=400)


@login_required
@never_cache
@require_safe
def plan_history(request: AuthedHttpRequest) -> HttpResponse:
    history = [
        {
            "version": entry.version,
            "changes": [
                {"title": SECTION_TITLES[change.section], "added": change.added, "removed": change.removed}
                for change in entry.changes
            ],
        }
        for entry in selectors.my_plan_history(request.user)
    ]
    return render(request, "recovery/plan_history.html", {"history": history})


def _pdf_from(html: str, base_url: str) -> bytes:
    # Imported here: WeasyPrint parses its own stylesheets on import, which every other
    # page (and every process start) would otherwise pay for.
    import weasyprint

    class NoFetching(weasyprint.URLFetcher):
        """The plan needs nothing from outside: no file, no network, whatever the text says."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"the plan PDF fetches nothing ({url[:40]})")

    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=NoFetching())
    # Tagged, so a screen reader can follow the headings and lists of the printed plan too.
    return document.write_pdf(pdf_tags=True)


@login_required
@never_cache
@require_safe
def plan_pdf(request: AuthedHttpRequest) -> HttpResponse:
    """The plan page's own template, laid out for paper or a phone screen."""
    size = request.GET.get("size", PDF_DEFAULT_SIZE)
    if size not in PDF_SIZES:
        size = PDF_DEFAULT_SIZE
    membership = request.membership
    context = {
        **_plan_context(request.user, printing=True, size=size),
        **crisis_lines_context(membership.program if membership else None),
    }
    html = render_to_string("recovery/plan.html", context, request=request)
    pdf = _pdf_from(html, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="my-plan-{size}.pdf"'
    return response


# --- private journal ---------------------------------------------------------------------------


@login_required
@never_cache
@require_safe
def journal(request: AuthedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_journal(request.user), JOURNAL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recovery/journal.html", {"page": page})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def journal_new(request: AuthedHttpRequest) -> HttpResponse:
    form = JournalForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.journal_write(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Saved in your journal. Only you can read it."))
                return redirect("journal")
        return render(request, "recovery/journal_new.html", {"form": form}, status=400)
    return render(request, "recovery/journal_new.html", {"form": form})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def journal_entry(request: AuthedHttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.get_my_journal_entry(request.user, entry_id)
    if request.method == "GET":
        form = JournalForm(initial={"title": entry.title, "body": entry.body})
        return render(request, "recovery/journal_entry.html", {"entry": entry, "form": form})
    form = JournalForm(request.POST)
    if form.is_valid():
        try:
            services.journal_update(entry=entry, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("journal_entry", entry_id=entry.pk)
    return render(request, "recovery/journal_entry.html", {"entry": entry, "form": form}, status=400)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def journal_delete(request: AuthedHttpRequest, entry_id: int) -> HttpResponse:
    """GET asks to confirm; POST deletes the entry for good."""
    entry = selectors.get_my_journal_entry(request.user, entry_id)
    if request.method == "GET":
        return render(request, "recovery/journal_delete.html", {"entry": entry})
    services.journal_delete(entry=entry, user=request.user)
    messages.success(request, _("The entry is deleted."))
    return redirect("journal")


# --- assessments -------------------------------------------------------------------------

# Assessment pages: what the program offers, taking a questionnaire, the result, and its
# FHIR download. Thin: parse, call a service or selector, render.
#
# Scores are shown as a snapshot to talk over, never as a diagnosis, and the wording stays
# kind whatever the number is.

# What a result means, in plain words. BARC-10 publishes no bands (and a cut-off from one
# study is no label for a person), so it gets one explanation; the others follow their band.
# The total is shown beside it, and the page always says that a score is not a diagnosis.
BARC10_MEANING = gettext_lazy(
    "Recovery capital means the strengths and supports around you: people, a safe place to live, "
    "purpose, health and the ways you look after yourself. A higher score means more of them right "
    "now. What matters most is how your own score moves over time, and which statements you "
    "agreed with least: they may be places where support could help."
)
BAND_MEANINGS = {
    ("phq9", "minimal"): gettext_lazy("Your answers suggest few signs of low mood over the last two weeks."),
    ("phq9", "mild"): gettext_lazy(
        "Your answers suggest some low mood over the last two weeks. It may help to talk about it with "
        "your peer supporter or someone you trust."
    ),
    ("phq9", "moderate"): gettext_lazy(
        "Your answers suggest low mood has been weighing on you. You deserve support with this: consider "
        "talking with your peer supporter, a doctor or a counsellor."
    ),
    ("phq9", "moderately_severe"): gettext_lazy(
        "Your answers suggest low mood has been weighing on you a lot. Please talk with a doctor or "
        "counsellor soon, and let your peer supporter know how you are doing."
    ),
    ("phq9", "severe"): gettext_lazy(
        "Your answers suggest you have been going through a very hard time. Please reach out to a doctor "
        "or counsellor soon; you do not have to carry this alone."
    ),
    ("gad7", "minimal"): gettext_lazy("Your answers suggest few signs of anxiety over the last two weeks."),
    ("gad7", "mild"): gettext_lazy(
        "Your answers suggest some anxiety over the last two weeks. It may help to talk about it with "
        "your peer supporter or someone you trust."
    ),
    ("gad7", "moderate"): gettext_lazy(
        "Your answers suggest anxiety has been weighing on you. You deserve support with this: consider "
        "talking with your peer supporter, a doctor or a counsellor."
    ),
    ("gad7", "severe"): gettext_lazy(
        "Your answers suggest anxiety has been very hard lately. Please talk with a doctor or counsellor "
        "soon; you do not have to carry this alone."
    ),
}
NOT_A_DIAGNOSIS = gettext_lazy(
    "A score is not a diagnosis. It is a snapshot to help you and the people you trust talk about how you are doing.",
)


def _language() -> str:
    try:
        return instruments.normalise_language(get_language() or "en")
    except ValueError:
        return "en"


def _program(request: AuthedHttpRequest) -> Program | None:
    return selectors.journey_program_for(request.user, request.membership)


def _offered(request: AuthedHttpRequest, code: str) -> instruments.Instrument:
    """404 for a code that is not an instrument, or one the program does not offer."""
    for instrument in selectors.offered_instruments(_program(request)):
        if instrument.code == code:
            return instrument
    raise Http404


@dataclass(frozen=True)
class Row:
    assessment: Assessment
    band_label: str


def _rows(instrument: instruments.Instrument, assessments: list[Assessment], language: str) -> list[Row]:
    rows = []
    for assessment in assessments:
        band = instrument.band_for(assessment.total)
        rows.append(Row(assessment, band.label.get(language) if band else ""))
    return rows


@login_required
def assessments(request: AuthedHttpRequest) -> HttpResponse:
    language = _language()
    program = _program(request)
    offered = [
        {
            "instrument": instrument,
            "title": instrument.title.get(language),
            "history": _rows(instrument, list(selectors.my_assessments(request.user, instrument.code)[:12]), language),
        }
        for instrument in selectors.offered_instruments(program)
    ]
    return render(
        request,
        "recovery/assessments.html",
        {"offered": offered, "barc10_due": selectors.barc10_due(request.user, program)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_take(request: AuthedHttpRequest, code: str) -> HttpResponse:
    instrument = _offered(request, code)
    language = _language()
    form = AssessmentForm(request.POST or None, instrument=instrument, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.assessment_submit(
                user=request.user,
                instrument=instrument.code,
                answers=form.answers(),
                language=language,
                program=_program(request),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("assessment_result", assessment_id=result.assessment.pk)
    return render(
        request,
        "recovery/assessment_take.html",
        {
            "instrument": instrument,
            "title": instrument.title.get(language),
            "stem": instrument.stem.get(language),
            "translation_note": instrument.translation_note if language != "en" else None,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def assessment_result(request: AuthedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.get_my_assessment(request.user, assessment_id)
    instrument = instruments.INSTRUMENTS[assessment.instrument]
    language = _language()
    band = instrument.band_for(assessment.total)
    context = {
        "assessment": assessment,
        "instrument": instrument,
        "title": instrument.title.get(language),
        "band_label": band.label.get(language) if band else "",
        "meaning": BARC10_MEANING
        if assessment.instrument == "barc10"
        else BAND_MEANINGS.get((assessment.instrument, assessment.band)),
        "not_a_diagnosis": NOT_A_DIAGNOSIS,
        "history": _rows(
            instrument, list(selectors.my_assessments(request.user, assessment.instrument)[:12]), language
        ),
        "crisis": "self_harm_thoughts" in assessment.flags,
        # Alerts go to the teams of the programs the person is a member of; the assessment
        # keeps one of them, so without one nobody was told and the page must not say so.
        "team_told": assessment.program_id is not None,
        "translation_note": instrument.translation_note if assessment.language != "en" else None,
    }
    if context["crisis"]:
        context.update(crisis_lines_context(assessment.program or _program(request)))
    return render(request, "recovery/assessment_result.html", context)


@login_required
@require_GET
def assessment_fhir(request: AuthedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.get_my_assessment(request.user, assessment_id)
    resource = selectors.assessment_as_fhir(assessment)
    response = HttpResponse(json.dumps(resource, ensure_ascii=False, indent=2), content_type="application/fhir+json")
    filename = f"{assessment.instrument}-{assessment.completed_at:%Y-%m-%d}-{assessment.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

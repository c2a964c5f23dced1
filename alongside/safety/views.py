"""Pages of the safety net. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts import selectors as accounts_selectors
from alongside.accounts.http import AuthedHttpRequest
from alongside.accounts.models import Program, Role
from alongside.lib.forms import apply_validation_error
from alongside.safety import selectors, services
from alongside.safety.crisis_resources import sms_link
from alongside.safety.forms import (
    AlertNoteForm,
    AlertResolveForm,
    CrisisResourceForm,
    OnCallShiftForm,
    SafetySettingsForm,
    SupportDetailsForm,
)
from alongside.safety.models import CrisisResource


def crisis_lines_context(program: Program | None) -> dict:
    lines = selectors.crisis_resources_for(program, get_language() or "en")
    if lines is None:
        defaults = [(resource, sms_link(resource)) for resource in selectors.national_defaults()]
        return {"defaults": defaults, "program_resources": None}
    return {"defaults": None, "program_resources": lines}


# --- help now ------------------------------------------------------------------------


def help_now(request: HttpRequest) -> HttpResponse:
    """Open to everyone, signed in or not, and never behind any gate. A signed-in person
    sees their current program's lines."""
    membership = getattr(request, "membership", None)
    program = membership.program if membership else None
    return render(request, "safety/help_now.html", {"program": program, **crisis_lines_context(program)})


def help_for_program(request: HttpRequest, slug: str) -> HttpResponse:
    """A program's public help page, for linking from its own website."""
    program = selectors.get_program_public(slug)
    return render(request, "safety/help_now.html", {"program": program, **crisis_lines_context(program)})


# --- I need support now --------------------------------------------------------------


@login_required
@require_POST
def support_now(request: AuthedHttpRequest) -> HttpResponse:
    membership = request.membership
    if membership is None or membership.role != Role.MEMBER:
        raise PermissionDenied
    alert = services.help_request_raise(member=request.user, program=membership.program)
    return redirect("support_sent", alert_id=alert.pk)


@login_required
@require_http_methods(["GET", "POST"])
def support_sent(request: AuthedHttpRequest, alert_id: int) -> HttpResponse:
    """Crisis lines first, at once; then the optional details, which never hold help back."""
    alert = selectors.get_my_alert(request.user, alert_id)
    form = SupportDetailsForm(
        request.POST or None, initial={"message": alert.message, "contact_preference": alert.contact_preference}
    )
    if request.method == "POST" and form.is_valid():
        services.help_request_add_details(alert=alert, member=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you. We passed that on."))
        return redirect("support_sent", alert_id=alert.pk)
    return render(
        request,
        "safety/support_sent.html",
        {"alert": alert, "form": form, "program": alert.program, **crisis_lines_context(alert.program)},
    )


@login_required
def my_safety_history(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "safety/my_history.html", {"alerts": selectors.my_alerts(request.user)})


# --- staff: alerts -------------------------------------------------------------------


@login_required
def alert_queue(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    context = {
        "program": program,
        "queue": selectors.alert_queue_for(request.user, membership),
        "resolved": selectors.recently_resolved_for(request.user, membership),
    }
    template = "safety/_alert_queue.html" if getattr(request, "htmx", False) else "safety/alert_queue.html"
    return render(request, template, context)


def _render_alert(
    request: HttpRequest,
    program: Program,
    alert,
    *,
    note_form: AlertNoteForm | None = None,
    resolve_form: AlertResolveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "safety/alert_detail.html",
        {
            "program": program,
            "alert": alert,
            "events": alert.events.all(),
            "note_form": note_form or AlertNoteForm(),
            "resolve_form": resolve_form or AlertResolveForm(),
        },
        status=status,
    )


def _render_resources_admin(
    request: HttpRequest,
    program: Program,
    resources,
    *,
    form: CrisisResourceForm | None = None,
    settings_form: SafetySettingsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "safety/resources_admin.html",
        {
            "program": program,
            "resources": resources,
            "form": form or CrisisResourceForm(instance=CrisisResource(program=program)),
            "settings_form": settings_form or SafetySettingsForm(instance=services.safety_settings_for(program)),
        },
        status=status,
    )


@login_required
def alert_detail(request: AuthedHttpRequest, slug: str, alert_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    alert = selectors.get_alert_for(request.user, membership, alert_id)
    services.alert_mark_seen(alert=alert, viewer=request.user)
    return _render_alert(request, program, alert)


@login_required
@require_POST
def alert_acknowledge(request: AuthedHttpRequest, slug: str, alert_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    alert = selectors.get_alert_for(request.user, membership, alert_id)
    services.alert_acknowledge(alert=alert, actor=request.user)
    messages.success(request, _("You acknowledged the alert. The person's team can see you are on it."))
    return redirect("alert_detail", slug=program.slug, alert_id=alert.pk)


@login_required
@require_POST
def alert_note(request: AuthedHttpRequest, slug: str, alert_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    alert = selectors.get_alert_for(request.user, membership, alert_id)
    form = AlertNoteForm(request.POST)
    if form.is_valid():
        services.alert_add_note(alert=alert, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your note is on the timeline."))
        return redirect("alert_detail", slug=program.slug, alert_id=alert.pk)
    return _render_alert(request, program, alert, note_form=form, status=400)


@login_required
@require_POST
def alert_resolve(request: AuthedHttpRequest, slug: str, alert_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    alert = selectors.get_alert_for(request.user, membership, alert_id)
    form = AlertResolveForm(request.POST)
    if form.is_valid():
        try:
            services.alert_resolve(alert=alert, actor=request.user, outcome_note=form.cleaned_data["outcome_note"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The alert is resolved. Thank you for being there."))
            return redirect("alert_detail", slug=program.slug, alert_id=alert.pk)
    return _render_alert(request, program, alert, resolve_form=form, status=400)


@login_required
def member_safety_history(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    target, alerts = selectors.safety_history_for(request.user, membership, user_id)
    return render(request, "safety/member_history.html", {"program": program, "target": target, "alerts": alerts})


# --- admin: resources, windows, on call ----------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def resources_admin(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    resources = selectors.crisis_resources_for_admin(request.user, membership)
    form = CrisisResourceForm(request.POST or None, instance=CrisisResource(program=program))
    if request.method == "POST" and form.is_valid():
        services.crisis_resource_save(resource=form.instance)
        messages.success(request, _("The line is added to your program's help page."))
        return redirect("safety_resources", slug=program.slug)
    return _render_resources_admin(request, program, resources, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: AuthedHttpRequest, slug: str, resource_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    resource = selectors.get_crisis_resource_for_admin(request.user, membership, resource_id)
    form = CrisisResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        services.crisis_resource_save(resource=form.instance)
        messages.success(request, _("Saved."))
        return redirect("safety_resources", slug=program.slug)
    return render(request, "safety/resource_edit.html", {"program": program, "form": form, "resource": resource})


@login_required
@require_POST
def resource_delete(request: AuthedHttpRequest, slug: str, resource_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    resource = selectors.get_crisis_resource_for_admin(request.user, membership, resource_id)
    services.crisis_resource_delete(resource=resource)
    messages.success(request, _("The line is removed from your help page."))
    return redirect("safety_resources", slug=program.slug)


@login_required
@require_POST
def resources_reset(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    selectors.require_safety_admin(request.user, membership)
    services.crisis_resources_reset(program=program)
    messages.success(request, _("Your help page now lists the US national lines. Edit them to fit your program."))
    return redirect("safety_resources", slug=program.slug)


@login_required
@require_POST
def safety_settings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    resources = selectors.crisis_resources_for_admin(request.user, membership)
    form = SafetySettingsForm(request.POST, instance=services.safety_settings_for(program))
    if form.is_valid():
        services.safety_settings_update(program=program, **form.cleaned_data)
        messages.success(request, _("Escalation times saved."))
        return redirect("safety_resources", slug=program.slug)
    return _render_resources_admin(request, program, resources, settings_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def on_call(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    shifts = selectors.on_call_shifts_for_admin(request.user, membership)
    people = {m.user_id: m for m in selectors.on_call_candidates(program)}
    form = OnCallShiftForm(
        request.POST or None,
        people=[(pk, f"{m.user.display_name} · {m.get_role_display()}") for pk, m in people.items()],
        time_zone=program.time_zone,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.on_call_shift_add(
                program=program,
                person=people[int(form.cleaned_data["person"])].user,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                created_by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Shift added."))
            return redirect("safety_on_call", slug=program.slug)
    return render(request, "safety/on_call.html", {"program": program, "shifts": shifts, "form": form})


@login_required
@require_POST
def on_call_delete(request: AuthedHttpRequest, slug: str, shift_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    shift = selectors.get_on_call_shift_for_admin(request.user, membership, shift_id)
    services.on_call_shift_delete(shift=shift)
    messages.success(request, _("Shift removed."))
    return redirect("safety_on_call", slug=program.slug)

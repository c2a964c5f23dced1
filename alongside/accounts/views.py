"""Pages for people and programs. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from alongside.accounts import selectors, services
from alongside.accounts.forms import ConsentForm, DeleteAccountForm, HandleForm, InvitationForm, ProgramForm
from alongside.accounts.http import AuthedHttpRequest
from alongside.accounts.middleware import ACTIVE_PROGRAM_SESSION_KEY
from alongside.accounts.models import ConsentScope, Role
from alongside.lib.forms import apply_validation_error

PENDING_INVITATION_SESSION_KEY = "pending_invitation"


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home_public.html")
    pending = request.session.get(PENDING_INVITATION_SESSION_KEY)
    if pending:
        return redirect("invitation_accept", token=pending)
    membership = request.membership  # type: ignore[attr-defined]
    context = {"membership": membership, "memberships": selectors.memberships_of(request.user)}
    if membership is not None and membership.role == Role.MEMBER:
        context["care_team"] = selectors.care_team_of(request.user, membership.program)
        context["consents"] = selectors.consent_choices(request.user, membership.program)
    return render(request, "accounts/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def welcome_handle(request: AuthedHttpRequest) -> HttpResponse:
    form = HandleForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_handle(user=request.user, handle=form.cleaned_data["handle"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Welcome, %(handle)s.") % {"handle": request.user.handle})
            return redirect("home")
    return render(request, "accounts/welcome_handle.html", {"form": form})


@login_required
def welcome_two_factor(request: AuthedHttpRequest) -> HttpResponse:
    if not selectors.user_needs_two_factor(request.user):
        return redirect("home")
    return render(request, "accounts/welcome_two_factor.html")


@login_required
@require_http_methods(["GET", "POST"])
def programs(request: AuthedHttpRequest) -> HttpResponse:
    memberships = list(selectors.memberships_of(request.user))
    if request.method == "POST":
        wanted = request.POST.get("program")
        chosen = next((m for m in memberships if str(m.program_id) == wanted), None)
        if chosen is None:
            messages.error(request, _("Choose one of your programs."))
        else:
            request.session[ACTIVE_PROGRAM_SESSION_KEY] = chosen.program_id
            messages.success(request, _("You are now in %(program)s.") % {"program": chosen.program.name})
            return redirect("home")
    return render(
        request,
        "accounts/programs.html",
        {"memberships": memberships, "can_create": selectors.viewer_can_create_programs(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request: AuthedHttpRequest) -> HttpResponse:
    if not selectors.viewer_can_create_programs(request.user):
        raise PermissionDenied
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            request.session[ACTIVE_PROGRAM_SESSION_KEY] = program.pk
            messages.success(request, _("%(program)s is ready. Invite its people next.") % {"program": program.name})
            return redirect("program_invitations", slug=program.slug)
    return render(request, "accounts/program_create.html", {"form": form})


@login_required
def people(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = selectors.get_program_for(request.user, slug)
    people_list = selectors.people_visible_to(request.user, membership)
    return render(
        request,
        "accounts/people.html",
        {"program": program, "membership": membership, "people": people_list},
    )


@login_required
def person(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    program, membership = selectors.get_program_for(request.user, slug)
    record = selectors.get_person_record_for(request.user, membership, user_id)
    return render(
        request,
        "accounts/person.html",
        {"program": program, "record": record, "scopes": ConsentScope, "viewer_role": membership.role},
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_invitations(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = selectors.get_program_for(request.user, slug)
    invitations = selectors.invitations_for_admin(request.user, membership)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_send(program=program, inviter=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("program_invitations", slug=program.slug)
    return render(
        request,
        "accounts/invitations.html",
        {"program": program, "form": form, "invitations": invitations[:200]},
    )


@login_required
@require_POST
def invitation_revoke(request: AuthedHttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    program, membership = selectors.get_program_for(request.user, slug)
    invitation = selectors.get_invitation_for_admin(request.user, membership, invitation_id)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, _("The invitation to %(email)s no longer works.") % {"email": invitation.email})
    return redirect("program_invitations", slug=program.slug)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_find_open(token)
    if invitation is None or not invitation.is_open:
        request.session.pop(PENDING_INVITATION_SESSION_KEY, None)
        return render(request, "accounts/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        # Kept in the (server-side) session so the invitation survives sign-up and the
        # email verification round trip.
        request.session[PENDING_INVITATION_SESSION_KEY] = token
        return render(request, "accounts/invitation_signin.html", {"invitation": invitation})
    if request.method == "POST":
        request.session.pop(PENDING_INVITATION_SESSION_KEY, None)
        try:
            membership = services.invitation_accept(raw_token=token, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("home")
        request.session[ACTIVE_PROGRAM_SESSION_KEY] = membership.program_id
        messages.success(request, _("Welcome to %(program)s.") % {"program": membership.program.name})
        return redirect("home")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "email_matches": invitation.email.lower() == request.user.email.lower()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def privacy(request: AuthedHttpRequest) -> HttpResponse:
    member_of = [m for m in selectors.memberships_of(request.user) if m.role == Role.MEMBER]
    active = request.membership
    current = next((m for m in member_of if active and m.program_id == active.program_id), None) or (
        member_of[0] if member_of else None
    )
    form = None
    if current is not None:
        form = ConsentForm(request.POST or None, initial=selectors.consent_choices(request.user, current.program))
        if request.method == "POST" and form.is_valid():
            for scope in ConsentScope.values:
                services.consent_set(
                    member=request.user, program=current.program, scope=scope, granted=form.cleaned_data[scope]
                )
            messages.success(request, _("Your privacy choices are saved."))
            return redirect("privacy")
    return render(
        request,
        "accounts/privacy.html",
        {
            "current": current,
            "form": form,
            "visibility": selectors.visibility_for(request.user, current.program) if current else [],
            "access_log": selectors.access_events_for(request.user)[:200],
        },
    )


@login_required
def privacy_export(request: AuthedHttpRequest) -> HttpResponse:
    data = selectors.export_for(request.user)
    stamp = timezone.now().strftime("%Y-%m-%d")
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="alongside-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account and your data are deleted. Take care of yourself."))
            return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form})


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, also remembered on the account so emails can follow it."""
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.user_set_language(user=request.user, language=request.POST.get("language", ""))
    return response

"""Pages for peer profiles and cards, credentials and CE hours, training, references, the
admin's list of peer supporters and the compliance page. Thin: parse, call a service or a
selector, render. Who may see what is decided in ``selectors``.

Pages of peer work: caseload, supervision, self-care, contact notes, calls, settings.
Thin: parse, call a selector or a service, render.

Matching pages: a member's preferences, suggestions and requests; a peer's inbox; an
admin's member page, exclusions and program-wide rounds. Thin: parse, call a selector or
service, render.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alongside.accounts import selectors as accounts_selectors
from alongside.accounts.http import AuthedHttpRequest
from alongside.accounts.models import Membership, Program, Role
from alongside.lib.forms import apply_validation_error
from alongside.lib.tz import local_date, zone_of
from alongside.peers import caseload, compliance, files, selectors, services
from alongside.peers.forms import (
    AdminMatchRequestForm,
    CallPlanForm,
    CallRecordForm,
    ContinuingEducationForm,
    CredentialForm,
    DeclineForm,
    EncounterForm,
    ExclusionForm,
    MatchPreferencesForm,
    MatchRequestForm,
    PeerAdminForm,
    PeerProfileForm,
    PeerProgramSettingsForm,
    ReferenceForm,
    SelfCareForm,
    SupervisionForm,
    TrainingForm,
    credential_initial,
    profile_initial,
)
from alongside.peers.models import (
    ENCOUNTER_TOPICS,
    LIVED_EXPERIENCE,
    SUPERVISION_TOPICS,
    WEEKDAYS,
    Credential,
    Encounter,
    PeerProfile,
)
from alongside.recovery.models import COMMON_SUBSTANCES, Goal, Pathway

# === profiles ========================================================================

CSS = "css/peers-profiles.css"
_PHOTO_TYPES = {"jpg": files.JPEG, "jpeg": files.JPEG, "png": files.PNG, "webp": files.WEBP}


def _profiles_render(
    request: AuthedHttpRequest, template: str, context: dict[str, Any], *, invalid: bool = False
) -> HttpResponse:
    return render(request, f"peers/profiles/{template}", context, status=400 if invalid else 200)


def _profiles_card_context(card: PeerProfile) -> dict[str, Any]:
    """Labels for the card's tags (free tags are shown as the peer wrote them)."""
    labels = {
        **{k: str(v) for k, v in LIVED_EXPERIENCE},
        **{k: str(v) for k, v in COMMON_SUBSTANCES},
        **{k: str(v) for k, v in Pathway.choices},
    }
    language_names = {"en": _("English"), "es": _("Spanish")}
    day_parts = PeerProfileForm().availability_grid()
    chosen = set(card.availability)
    return {
        "card": card,
        "experience": [labels.get(t, t) for t in card.lived_experience],
        "pathways": [labels.get(t, t) for t in card.pathways],
        "languages": [language_names.get(t, t) for t in card.languages],
        "availability": [
            (row.label, [cell.label for cell in row.cells if cell.value in chosen])
            for row in day_parts
            if any(cell.value in chosen for cell in row.cells)
        ],
    }


# --- the peer's own profile ----------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def peer_profile_edit(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    selectors.require_own_profile_access(membership)
    profile = services.peer_profile_get_or_create(program=program, user=request.user)
    if request.method == "POST":
        form = PeerProfileForm(request.POST, request.FILES, initial=profile_initial(profile))
    else:
        form = PeerProfileForm(initial=profile_initial(profile))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.peer_profile_save(
                profile=profile,
                display_name=data["display_name"],
                story=data["story"],
                lived_experience=form.lived_experience_list(),
                substances=form.substance_list(),
                pathways=data["pathways"],
                languages=form.language_list(),
                gender=data["gender"],
                age_range=data["age_range"],
                city=data["city"],
                meets_in_person=data["meets_in_person"],
                meets_remotely=data["meets_remotely"],
                availability=data["availability"],
                capacity=data["capacity"],
                accepting_new=data["accepting_new"],
                photo=data["photo"],
                remove_photo=data["remove_photo"] and not data["photo"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your peer profile is saved."))
            if profile.city and profile.latitude is None:
                messages.warning(
                    request,
                    _(
                        "We saved your city, but could not find “%(city)s” on our map. Members can still find you "
                        "for phone and video support; to be matched for meeting in person, try the nearest larger "
                        "city and its state, for example “Santa Ana, CA”."
                    )
                    % {"city": profile.city},
                )
            return redirect("peer_profile_edit", slug=program.slug)
    return _profiles_render(
        request,
        "profile_edit.html",
        {"program": program, "profile": profile, "form": form, "css": CSS},
        invalid=bool(form.errors),
    )


# --- the public card -----------------------------------------------------------------------


@login_required
@require_safe
def peer_card(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    card = selectors.get_peer_card_for(request.user, membership, user_id)
    context = {
        **_profiles_card_context(card),
        "program": program,
        "is_self": card.user_id == request.user.pk,
        "is_admin": membership.role == Role.ADMIN,
        "css": CSS,
    }
    return _profiles_render(request, "card.html", context)


@login_required
@require_safe
def peer_photo(request: AuthedHttpRequest, slug: str, user_id: int) -> FileResponse:
    _program, membership = accounts_selectors.get_program_for(request.user, slug)
    card = selectors.get_peer_card_for(request.user, membership, user_id)
    ext = card.photo.name.rsplit(".", 1)[-1].lower() if card.photo else ""
    return files.private_file_response(
        card.photo,
        content_type=_PHOTO_TYPES.get(ext, "application/octet-stream"),
        download_name=f"peer-{card.user_id}.{ext or 'img'}",
        inline=True,
        cache_seconds=300,
    )


# --- admins: the peer supporters and one peer ----------------------------------------------


@login_required
@never_cache
@require_safe
def peers_admin(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    roster = selectors.peers_roster_for(request.user, membership)
    return _profiles_render(
        request,
        "peers_list.html",
        {"program": program, "roster": roster, "is_admin": membership.role == Role.ADMIN, "css": CSS},
    )


def _profiles_manage_context(
    request: AuthedHttpRequest,
    program: Program,
    membership: Membership,
    profile: PeerProfile,
    *,
    settings_form: PeerAdminForm | None = None,
    reference_form: ReferenceForm | None = None,
) -> dict[str, Any]:
    supervisors = selectors.supervisors_of(program)
    today = selectors.program_today(program)
    credentials = selectors.credential_lines(
        selectors.credentials_visible_to(request.user, membership, peer_id=profile.user_id), today
    )
    return {
        "program": program,
        "profile": profile,
        "settings_form": settings_form
        or PeerAdminForm(
            supervisors=supervisors,
            initial={
                "capacity": profile.capacity,
                "accepting_new": profile.accepting_new,
                "supervisor": profile.supervisor_id,
            },
        ),
        "reference_form": reference_form or ReferenceForm(),
        "credentials": credentials,
        "training": selectors.training_of(profile),
        "references": selectors.references_for_admin(request.user, membership, profile),
        "css": CSS,
    }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def peer_manage(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    """A peer as their admin sees them: capacity, supervisor, credentials, training, references."""
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    target = selectors.peer_membership_for_admin(request.user, membership, user_id)
    services.peer_profile_get_or_create(program=program, user=target.user)
    profile = selectors.get_profile_for_admin(request.user, membership, user_id)
    settings_form = reference_form = None
    if request.method == "POST" and request.POST.get("form") == "reference":
        reference_form = ReferenceForm(request.POST)
        if reference_form.is_valid():
            try:
                services.reference_save(profile=profile, **reference_form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(reference_form, error)
            else:
                messages.success(request, _("Reference added."))
                return redirect("peer_manage", slug=program.slug, user_id=user_id)
    elif request.method == "POST":
        settings_form = PeerAdminForm(request.POST, supervisors=selectors.supervisors_of(program))
        if settings_form.is_valid():
            try:
                services.peer_profile_admin_update(profile=profile, **settings_form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(settings_form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("peer_manage", slug=program.slug, user_id=user_id)
    context = _profiles_manage_context(
        request, program, membership, profile, settings_form=settings_form, reference_form=reference_form
    )
    invalid = bool((settings_form and settings_form.errors) or (reference_form and reference_form.errors))
    return _profiles_render(request, "peer_manage.html", context, invalid=invalid)


# --- credentials ---------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def peer_credentials(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """The peer's own credentials, with a form to add one."""
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    selectors.require_own_profile_access(membership)
    profile = services.peer_profile_get_or_create(program=program, user=request.user)
    form = CredentialForm(request.POST, request.FILES) if request.method == "POST" else CredentialForm()
    if request.method == "POST" and form.is_valid():
        try:
            credential = services.credential_save(profile=profile, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Credential added. An admin of your program will verify it."))
            return redirect("credential_detail", slug=program.slug, credential_id=credential.pk)
    today = selectors.program_today(program)
    credentials = selectors.credential_lines(selectors.credentials_visible_to(request.user, membership), today)
    rules = selectors.program_peer_settings(program)
    eligible = compliance.peer_eligible(
        [(line.credential.expires_on, line.credential.verified_at is not None) for line in credentials],
        today=today,
        credentials_required=rules.credentials_required,
    )
    return _profiles_render(
        request,
        "credentials.html",
        {
            "program": program,
            "form": form,
            "credentials": credentials,
            "eligible": eligible,
            "required": rules.credentials_required,
            "today": today,
            "css": CSS,
        },
        invalid=bool(form.errors),
    )


def _profiles_credential_page(
    request: AuthedHttpRequest,
    program: Program,
    membership: Membership,
    credential: Credential,
    *,
    form: CredentialForm | None = None,
    ce_form: ContinuingEducationForm | None = None,
) -> HttpResponse:
    owner = credential.profile.user_id == request.user.pk and membership.role == Role.PEER
    today = selectors.program_today(program)
    context = {
        "program": program,
        "credential": credential,
        "owner": owner,
        "is_admin": membership.role == Role.ADMIN,
        "state": selectors.credential_state_of(credential, today),
        "days_left": (credential.expires_on - today).days if credential.expires_on else None,
        "progress": selectors.ce_progress_of(credential),
        "entries": list(credential.ce_entries.all()),
        "form": (form or CredentialForm(initial=credential_initial(credential))) if owner else None,
        "ce_form": (ce_form or ContinuingEducationForm(initial={"completed_on": today})) if owner else None,
        "css": CSS,
    }
    invalid = bool((form and form.errors) or (ce_form and ce_form.errors))
    return _profiles_render(request, "credential_detail.html", context, invalid=invalid)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def credential_detail(request: AuthedHttpRequest, slug: str, credential_id: int) -> HttpResponse:
    """The holder edits it and logs CE hours; an admin reads it and verifies it."""
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    write = request.method == "POST"
    credential = selectors.get_credential_for(request.user, membership, credential_id, write=write)
    form = None
    if write:
        form = CredentialForm(request.POST, request.FILES)
        if form.is_valid():
            was_verified = credential.verified_at is not None
            try:
                services.credential_save(profile=credential.profile, credential=credential, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if was_verified and credential.verified_at is None:
                    messages.warning(
                        request,
                        _("Saved. Because the type, number or dates changed, an admin needs to verify it again."),
                    )
                else:
                    messages.success(request, _("Saved."))
                return redirect("credential_detail", slug=program.slug, credential_id=credential.pk)
    return _profiles_credential_page(request, program, membership, credential, form=form)


@login_required
@require_POST
def credential_ce_add(request: AuthedHttpRequest, slug: str, credential_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    credential = selectors.get_credential_for(request.user, membership, credential_id, write=True)
    ce_form = ContinuingEducationForm(request.POST)
    if ce_form.is_valid():
        try:
            services.ce_record(credential=credential, **ce_form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(ce_form, error)
        else:
            messages.success(request, _("Hours logged."))
            return redirect("credential_detail", slug=program.slug, credential_id=credential.pk)
    return _profiles_credential_page(request, program, membership, credential, ce_form=ce_form)


@login_required
@require_POST
def credential_ce_delete(request: AuthedHttpRequest, slug: str, credential_id: int, entry_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    entry = selectors.get_ce_entry_for(request.user, membership, credential_id, entry_id)
    services.ce_delete(entry=entry)
    messages.success(request, _("Entry removed."))
    return redirect("credential_detail", slug=program.slug, credential_id=credential_id)


@login_required
@require_POST
def credential_verify(request: AuthedHttpRequest, slug: str, credential_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    accounts_selectors.require_role(membership, Role.ADMIN)
    credential = selectors.get_credential_for(request.user, membership, credential_id)
    if request.POST.get("verified", "1") == "0":
        services.credential_unverify(credential=credential)
        messages.success(request, _("Verification removed. This credential no longer counts until verified again."))
    else:
        services.credential_verify(credential=credential, admin=request.user)
        messages.success(request, _("Credential verified."))
    return redirect("credential_detail", slug=program.slug, credential_id=credential.pk)


@login_required
@require_POST
def credential_delete(request: AuthedHttpRequest, slug: str, credential_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    credential = selectors.get_credential_for(request.user, membership, credential_id)
    holder_id = credential.profile.user_id
    services.credential_delete(credential=credential)
    messages.success(request, _("Credential removed."))
    if membership.role == Role.ADMIN and holder_id != request.user.pk:
        return redirect("peer_manage", slug=program.slug, user_id=holder_id)
    return redirect("peer_credentials", slug=program.slug)


@login_required
@require_safe
def credential_evidence(request: AuthedHttpRequest, slug: str, credential_id: int) -> FileResponse:
    _program, membership = accounts_selectors.get_program_for(request.user, slug)
    credential = selectors.get_credential_for(request.user, membership, credential_id)
    return files.private_file_response(
        credential.evidence,
        content_type=credential.evidence_content_type,
        download_name=credential.evidence_name,
        inline=False,
    )


# --- training ------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def peer_training(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    selectors.require_own_profile_access(membership)
    profile = services.peer_profile_get_or_create(program=program, user=request.user)
    form = TrainingForm(request.POST, request.FILES) if request.method == "POST" else TrainingForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.training_save(profile=profile, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Training added."))
            return redirect("peer_training", slug=program.slug)
    return _profiles_render(
        request,
        "training.html",
        {"program": program, "form": form, "records": selectors.training_of(profile), "css": CSS},
        invalid=bool(form.errors),
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def training_edit(request: AuthedHttpRequest, slug: str, record_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    record = selectors.get_training_for(request.user, membership, record_id, write=True)
    initial = {
        "course": record.course,
        "provider": record.provider,
        "hours": record.hours,
        "completed_on": record.completed_on,
    }
    if request.method == "POST":
        form = TrainingForm(request.POST, request.FILES, initial=initial)
    else:
        form = TrainingForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_save(profile=record.profile, record=record, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("peer_training", slug=program.slug)
    return _profiles_render(
        request,
        "training_edit.html",
        {"program": program, "form": form, "record": record, "css": CSS},
        invalid=bool(form.errors),
    )


@login_required
@require_POST
def training_delete(request: AuthedHttpRequest, slug: str, record_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    record = selectors.get_training_for(request.user, membership, record_id, write=True)
    services.training_delete(record=record)
    messages.success(request, _("Training removed."))
    return redirect("peer_training", slug=program.slug)


@login_required
@require_safe
def training_certificate(request: AuthedHttpRequest, slug: str, record_id: int) -> FileResponse:
    _program, membership = accounts_selectors.get_program_for(request.user, slug)
    record = selectors.get_training_for(request.user, membership, record_id)
    return files.private_file_response(
        record.certificate,
        content_type=record.certificate_content_type,
        download_name=record.certificate_name,
        inline=False,
    )


# --- references (admins only) --------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def reference_edit(request: AuthedHttpRequest, slug: str, reference_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    reference = selectors.get_reference_for_admin(request.user, membership, reference_id)
    initial = {
        "name": reference.name,
        "relationship": reference.relationship,
        "contact": reference.contact,
        "notes": reference.notes,
    }
    form = ReferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reference_save(profile=reference.profile, reference=reference, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("peer_manage", slug=program.slug, user_id=reference.profile.user_id)
    return _profiles_render(
        request,
        "reference_edit.html",
        {"program": program, "form": form, "reference": reference, "css": CSS},
        invalid=bool(form.errors),
    )


@login_required
@require_POST
def reference_check(request: AuthedHttpRequest, slug: str, reference_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    reference = selectors.get_reference_for_admin(request.user, membership, reference_id)
    checked = request.POST.get("checked", "1") != "0"
    services.reference_mark_checked(reference=reference, admin=request.user, checked=checked)
    messages.success(request, _("Marked as checked.") if checked else _("Marked as not checked."))
    return redirect("peer_manage", slug=program.slug, user_id=reference.profile.user_id)


@login_required
@require_POST
def reference_delete(request: AuthedHttpRequest, slug: str, reference_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    reference = selectors.get_reference_for_admin(request.user, membership, reference_id)
    user_id = reference.profile.user_id
    services.reference_delete(reference=reference)
    messages.success(request, _("Reference removed."))
    return redirect("peer_manage", slug=program.slug, user_id=user_id)


# --- compliance ------------------------------------------------------------------------------


@login_required
@never_cache
@require_safe
def peer_compliance(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Credentials, CE progress and supervision of every peer; admins and supervisors."""
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    roster = selectors.compliance_for(request.user, membership)
    return _profiles_render(
        request,
        "compliance.html",
        {"program": program, "roster": roster, "is_admin": membership.role == Role.ADMIN, "css": CSS},
    )


# === work ============================================================================

SUPERVISION_TOPIC_LABELS = dict(SUPERVISION_TOPICS)
ENCOUNTER_TOPIC_LABELS = dict(ENCOUNTER_TOPICS)


@dataclass(frozen=True)
class ShownRow:
    row: caseload.CaseloadRow
    urgent: list[str]
    notes: list[str]


def _shown(rows: list[caseload.CaseloadRow], *, hide_values: bool) -> list[ShownRow]:
    return [
        ShownRow(
            row=row,
            urgent=[selectors.describe_reason(r, hide_values=hide_values) for r in row.reasons if r.urgent],
            notes=[selectors.describe_reason(r, hide_values=hide_values) for r in row.reasons if not r.urgent],
        )
        for row in rows
    ]


# --- caseload ------------------------------------------------------------------------------


@login_required
@never_cache
@require_safe
def caseload_page(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    now = timezone.now()
    rows = selectors.caseload_for(request.user, membership, now=now)
    return render(
        request,
        "peers/work/caseload.html",
        {
            "program": program,
            "rows": _shown(rows, hide_values=False),
            "follow_ups": selectors.follow_ups_due_for(request.user, membership, now=now),
            "calls": selectors.calls_today_for(request.user, membership, now=now),
            "needs_supervision_since": selectors.my_supervision_flag(request.user, membership),
            "today": local_date(now, zone_of(request.user)),
        },
    )


@login_required
@never_cache
@require_safe
def team_caseload_page(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    team = selectors.team_caseload_for(request.user, membership, user_id)
    return render(
        request,
        "peers/work/team_caseload.html",
        {"program": program, "peer": team.peer, "rows": _shown(team.rows, hide_values=True)},
    )


# --- supervision ---------------------------------------------------------------------------


@login_required
@never_cache
@require_safe
def supervision_page(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    sessions = list(selectors.supervision_sessions_for(request.user, membership)[:50])
    context: dict = {
        "program": program,
        "sessions": sessions,
        "topic_labels": SUPERVISION_TOPIC_LABELS,
        "is_supervisor": membership.role == Role.SUPERVISOR,
    }
    if membership.role == Role.SUPERVISOR:
        context["needs"] = selectors.supervision_needs_for(request.user, membership)
        context["shared_checks"] = list(selectors.self_care_shared_for(request.user, membership)[:30])
        context["team"] = selectors.team_peers_for(request.user, membership)
    else:
        context["needs_supervision_since"] = selectors.my_supervision_flag(request.user, membership)
    return render(request, "peers/work/supervision.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def supervision_new(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    selectors.work_require_supervisor(request.user, membership)
    today = local_date(timezone.now(), zone_of(request.user))
    form = SupervisionForm(
        request.POST or None,
        peer_choices=selectors.work_program_peers(program),
        initial={"held_on": today, "duration_minutes": 60},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.supervision_log(
                program=program,
                supervisor=request.user,
                peer_ids=data["peers"],
                held_on=data["held_on"],
                duration_minutes=data["duration_minutes"],
                format=data["format"],
                topics=data["topics"],
                notes=data["notes"],
                follow_ups=data["follow_ups"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The session is logged."))
            return redirect("supervision_detail", slug=slug, session_id=session.pk)
    return render(request, "peers/work/supervision_form.html", {"program": program, "form": form})


@login_required
@never_cache
@require_safe
def supervision_detail(request: AuthedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    session = selectors.get_supervision_session_for(request.user, membership, session_id)
    return render(
        request,
        "peers/work/supervision_detail.html",
        {"program": program, "session": session, "topic_labels": SUPERVISION_TOPIC_LABELS},
    )


@login_required
@require_POST
def supervision_request(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    selectors.work_require_peer(request.user, membership)
    services.supervision_request(program=program, peer=request.user)
    messages.success(
        request,
        _("Your supervisor knows you would like supervision. Asking is part of doing this work well."),
    )
    return redirect("supervision", slug=slug)


@login_required
@require_POST
def supervision_request_clear(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    target = selectors.get_team_peer_for(request.user, membership, user_id)
    services.supervision_request_clear(program=program, supervisor=request.user, peer=target.user)
    messages.success(request, _("Marked as answered."))
    return redirect("supervision", slug=slug)


# --- self-care -----------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def self_care_page(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    history = selectors.self_care_mine(request.user, membership)
    form = SelfCareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_care_record(program=program, peer=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Thank you for checking in with yourself."))
            return redirect("self_care", slug=slug)
    return render(
        request, "peers/work/self_care.html", {"program": program, "form": form, "history": list(history[:30])}
    )


# --- program settings ----------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def peer_program_settings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    selectors.work_require_admin(request.user, membership)
    current = selectors.work_settings_of(program)
    form = PeerProgramSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.peer_settings_update(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Peer work settings are saved."))
            return redirect("peer_program_settings", slug=slug)
    return render(request, "peers/work/settings.html", {"program": program, "form": form})


# --- contact notes -------------------------------------------------------------------------


@login_required
@never_cache
@require_safe
def member_contacts(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    contacts = selectors.encounters_for_member(request.user, membership, user_id)
    return render(
        request,
        "peers/work/contacts.html",
        {
            "program": program,
            "member": contacts.member,
            "notes": list(contacts.notes[:100]),
            "topic_labels": ENCOUNTER_TOPIC_LABELS,
            "can_write": membership.role == Role.PEER,
        },
    )


def _encounter_form(request: AuthedHttpRequest, goals: list[Goal], initial: dict | None = None) -> EncounterForm:
    return EncounterForm(
        request.POST or None,
        goal_choices=[(goal.pk, goal.title) for goal in goals],
        initial=initial,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def contact_new(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    target = selectors.contact_member_for(request.user, membership, user_id, writing=True)
    zone = zone_of(request.user)
    now = timezone.now().astimezone(zone)
    form = _encounter_form(
        request,
        selectors.shared_goals_of(target.user),
        initial={"occurred_on": now.date(), "occurred_time": now.time().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.encounter_log(
                program=program,
                peer=request.user,
                member=target.user,
                occurred_at=form.occurred_at(zone),
                duration_minutes=data["duration_minutes"],
                mode=data["mode"],
                topics=data["topics"],
                goal_ids=data.get("goals", []),
                referrals=data["referrals"],
                summary=data["summary"],
                next_step=data["next_step"],
                follow_up_on=data["follow_up_on"],
            )
        except ValidationError as error:
            _apply_encounter_error(form, error)
        else:
            messages.success(request, _("The contact note is saved."))
            return redirect("member_contacts", slug=slug, user_id=user_id)
    return render(
        request, "peers/work/contact_form.html", {"program": program, "member": target.user, "form": form, "note": None}
    )


def _apply_encounter_error(form: EncounterForm, error: ValidationError) -> None:
    # The service speaks of the moment ("occurred_at"); the form has a date and a time.
    if hasattr(error, "error_dict") and "occurred_at" in error.error_dict:
        form.add_error("occurred_on", error.error_dict.pop("occurred_at"))
    if hasattr(error, "error_dict") and not error.error_dict:
        return
    apply_validation_error(form, error)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthedHttpRequest, slug: str, encounter_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    note: Encounter = selectors.get_encounter_for(request.user, membership, encounter_id, editing=True)
    zone = zone_of(request.user)
    at = note.occurred_at.astimezone(zone)
    form = _encounter_form(
        request,
        selectors.shared_goals_of(note.member),
        initial={
            "occurred_on": at.date(),
            "occurred_time": at.time().replace(second=0, microsecond=0),
            "duration_minutes": note.duration_minutes,
            "mode": note.mode,
            "topics": note.topics,
            "goals": [goal.pk for goal in note.goals_touched.all()],
            "referrals": note.referrals,
            "summary": note.summary,
            "next_step": note.next_step,
            "follow_up_on": note.follow_up_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.encounter_update(
                encounter=note,
                editor=request.user,
                occurred_at=form.occurred_at(zone),
                duration_minutes=data["duration_minutes"],
                mode=data["mode"],
                topics=data["topics"],
                goal_ids=data.get("goals", []),
                referrals=data["referrals"],
                summary=data["summary"],
                next_step=data["next_step"],
                follow_up_on=data["follow_up_on"],
            )
        except ValidationError as error:
            _apply_encounter_error(form, error)
        else:
            messages.success(request, _("The contact note is updated."))
            return redirect("member_contacts", slug=slug, user_id=note.member_id)
    return render(
        request, "peers/work/contact_form.html", {"program": program, "member": note.member, "form": form, "note": note}
    )


@login_required
@require_POST
def contact_follow_up_done(request: AuthedHttpRequest, slug: str, encounter_id: int) -> HttpResponse:
    _program, membership = accounts_selectors.get_program_for(request.user, slug)
    note = selectors.get_encounter_for(request.user, membership, encounter_id, editing=True)
    try:
        services.encounter_follow_up_done(encounter=note, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Follow-up marked as done."))
    if request.POST.get("next") == "caseload":
        return redirect("caseload", slug=slug)
    return redirect("member_contacts", slug=slug, user_id=note.member_id)


# --- calls ---------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def call_plan_page(request: AuthedHttpRequest) -> HttpResponse:
    program = selectors.call_member_program(request.user, getattr(request, "membership", None))
    plan = selectors.my_call_plan(request.user, program)
    initial = (
        {"weekday": plan.weekday, "call_time": plan.call_time, "phone": plan.phone, "voicemail_ok": plan.voicemail_ok}
        if plan is not None
        else {"phone": request.user.phone}
    )
    form = CallPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_plan_save(program=program, member=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your weekly call is set. Your peer will call you then."))
            return redirect("call_plan")
    return render(
        request,
        "peers/work/call_plan.html",
        {
            "program": program,
            "plan": plan,
            "form": form,
            "weekday_label": WEEKDAYS[plan.weekday][1] if plan is not None else "",
            "alert_after": selectors.work_settings_of(program).missed_calls_alert_after,
        },
    )


@login_required
@require_POST
def call_plan_pause(request: AuthedHttpRequest) -> HttpResponse:
    program = selectors.call_member_program(request.user, getattr(request, "membership", None))
    if services.call_plan_pause(program=program, member=request.user):
        messages.success(request, _("Your calls are paused. You can start them again any time."))
    else:
        messages.info(request, _("You have no weekly calls to pause."))
    return redirect("call_plan")


@login_required
@require_POST
def call_record(request: AuthedHttpRequest, slug: str, plan_id: int) -> HttpResponse:
    _program, membership = accounts_selectors.get_program_for(request.user, slug)
    plan = selectors.get_call_plan_for_peer(request.user, membership, plan_id)
    form = CallRecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose reached, voicemail or no answer."))
        return redirect("caseload", slug=slug)
    try:
        services.call_attempt_record(
            plan=plan, peer=request.user, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Call with %(member)s recorded.") % {"member": plan.member.display_name})
    return redirect("caseload", slug=slug)


# === matching ========================================================================


def _matching_error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _matching_is_pending_conflict(error: ValidationError) -> bool:
    return getattr(error, "code", None) == "pending_exists" or any(
        getattr(e, "code", None) == "pending_exists" for e in getattr(error, "error_list", [])
    )


# --- the member's pages ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def match_preferences(request: AuthedHttpRequest) -> HttpResponse:
    program = selectors.member_program_for(request.user, request.membership)
    view = selectors.member_match_view(request.user)
    prefs = view.preferences or selectors.match_preferences_of(request.user)
    initial = {
        "looking": prefs.looking,
        "gender": prefs.gender,
        "peer_gender_preference": prefs.peer_gender_preference,
        "age_range": prefs.age_range,
        "lived_experience_wanted": prefs.lived_experience_wanted,
        "city": prefs.city,
        "remote_ok": prefs.remote_ok,
        "availability": prefs.availability,
    }
    form = MatchPreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.match_preferences_save(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if not saved.located:
                if saved.preferences.remote_ok:
                    messages.info(
                        request,
                        _(
                            "Saved. We could not find “%(city)s” on our map, so for now we can only suggest "
                            "peers who meet by phone or video. Try a nearby larger city to see peers near you."
                        )
                        % {"city": saved.preferences.city},
                    )
                else:
                    messages.info(
                        request,
                        _(
                            "Saved. We could not find “%(city)s” on our map, and phone or video is off, so we "
                            "cannot suggest anyone yet. Try a nearby larger city, or allow phone or video."
                        )
                        % {"city": saved.preferences.city},
                    )
            else:
                messages.success(request, _("Your preferences are saved."))
            return redirect("match_find")
    return render(
        request,
        "peers/matching/preferences.html",
        {"form": form, "program": program, "view": view, "located": prefs.latitude is not None},
    )


@login_required
@require_http_methods(["GET"])
def match_find(request: AuthedHttpRequest) -> HttpResponse:
    program = selectors.member_program_for(request.user, request.membership)
    mine = selectors.my_matching(request.user, program)
    suggestions = selectors.suggestions_for(request.user, request.user, program)
    return render(
        request,
        "peers/matching/find.html",
        {
            "program": program,
            "mine": mine,
            "suggestions": suggestions,
            "has_preferences": selectors.match_preferences_of(request.user).pk is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def match_request_new(request: AuthedHttpRequest, peer_id: int) -> HttpResponse:
    program = selectors.member_program_for(request.user, request.membership)
    fit = selectors.peer_fit_for(request.user, request.user, program, peer_id)
    mine = selectors.my_matching(request.user, program)
    form = MatchRequestForm(request.POST or None)
    needs_confirmation = mine.pending is not None
    if request.method == "POST" and form.is_valid():
        if needs_confirmation and not form.cleaned_data["replace"]:
            form.add_error(
                "replace",
                _("Tick this box to withdraw your waiting request, or go back and keep waiting."),
            )
        else:
            try:
                services.match_request_create(
                    program=program,
                    member=request.user,
                    peer=selectors.peer_user_of(program, peer_id),
                    requested_by=request.user,
                    message=form.cleaned_data["message"],
                    replace=form.cleaned_data["replace"],
                )
            except ValidationError as error:
                if _matching_is_pending_conflict(error):
                    form.add_error("replace", _matching_error_text(error))
                else:
                    form.add_error(None, _matching_error_text(error))
            else:
                messages.success(
                    request,
                    _("Your request is on its way to %(name)s. We will email you when they answer.")
                    % {"name": fit.card.display_name},
                )
                return redirect("match_find")
    return render(
        request,
        "peers/matching/request_new.html",
        {
            "program": program,
            "fit": fit,
            "form": form,
            "mine": mine,
            "needs_confirmation": needs_confirmation,
        },
    )


@login_required
@require_POST
def match_request_withdraw(request: AuthedHttpRequest, request_id: int) -> HttpResponse:
    found = selectors.get_my_match_request(request.user, request_id)
    try:
        services.match_request_withdraw(match_request=found, by=request.user)
    except ValidationError as error:
        messages.error(request, _matching_error_text(error))
    else:
        messages.success(request, _("Your request is withdrawn. You can ask another peer whenever you are ready."))
    return redirect("match_find")


# --- a peer's inbox (and an admin's view of every request) --------------------------------------


@login_required
@require_http_methods(["GET"])
def match_requests_inbox(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    waiting, decided = selectors.requests_inbox(request.user, membership)
    return render(
        request,
        "peers/matching/inbox.html",
        {
            "program": program,
            "membership": membership,
            "is_admin": membership.role == Role.ADMIN,
            "waiting": selectors.request_rows(program, waiting),
            "decided": selectors.request_rows(program, decided),
            "decline_form": DeclineForm(),
        },
    )


@login_required
@require_POST
def match_request_accept(request: AuthedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    found = selectors.get_request_for_action(request.user, membership, request_id, action="accept")
    try:
        services.match_request_accept(match_request=found, peer=request.user)
    except ValidationError as error:
        messages.error(request, _matching_error_text(error))
    else:
        messages.success(
            request,
            _("You now walk alongside %(handle)s. They have been told you said yes.")
            % {"handle": found.member.display_name},
        )
    return redirect("match_requests_inbox", slug=program.slug)


@login_required
@require_POST
def match_request_decline(request: AuthedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    found = selectors.get_request_for_action(request.user, membership, request_id, action="decline")
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("match_requests_inbox", slug=program.slug)
    try:
        services.match_request_decline(match_request=found, peer=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, _matching_error_text(error))
    else:
        messages.success(request, _("Thank you for answering. The member has been told kindly and shown other peers."))
    return redirect("match_requests_inbox", slug=program.slug)


@login_required
@require_POST
def match_request_withdraw_admin(request: AuthedHttpRequest, slug: str, request_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    selectors.require_matching_admin(request.user, membership)
    found = selectors.get_request_for_action(request.user, membership, request_id, action="withdraw")
    try:
        services.match_request_withdraw(match_request=found, by=request.user)
    except ValidationError as error:
        messages.error(request, _matching_error_text(error))
    else:
        messages.success(request, _("The request is withdrawn."))
    return redirect("match_requests_inbox", slug=program.slug)


# --- an admin's pages --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def match_for_member(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    """An admin finds a peer for one member: suggestions with reasons, why the others are
    not suggested (on demand), and "request this peer" on the member's behalf."""
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    selectors.require_matching_admin(request.user, membership)
    member = selectors.member_of_program(program, user_id)
    form = AdminMatchRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_request_create(
                program=program,
                member=member,
                peer=selectors.peer_user_of(program, form.cleaned_data["peer"]),
                requested_by=request.user,
                message=form.cleaned_data["message"],
                replace=form.cleaned_data["replace"],
            )
        except ValidationError as error:
            form.add_error(None, _matching_error_text(error))
        else:
            messages.success(
                request,
                _("The request is on its way to the peer. %(handle)s will see it on their “find a peer” page.")
                % {"handle": member.display_name},
            )
            return redirect("match_for_member", slug=program.slug, user_id=member.pk)
    elif request.method == "POST":
        form.add_error(None, _("Choose a peer from the list."))
    suggestions = selectors.suggestions_for(request.user, member, program)
    mine = selectors.my_matching(member, program)
    show_why = request.GET.get("why") == "1"
    return render(
        request,
        "peers/matching/for_member.html",
        {
            "program": program,
            "member": member,
            "mine": mine,
            "suggestions": suggestions,
            "form": form,
            "chosen_peer": form["peer"].value() if request.method == "POST" else None,
            "why_not": selectors.why_not_for(request.user, member, program) if show_why else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def match_exclusions(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    exclusions = selectors.exclusions_for_admin(request.user, membership)
    form = ExclusionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = selectors.program_person_by_handle(program, data["member"], Role.MEMBER)
        peer = selectors.program_person_by_handle(program, data["peer"], Role.PEER)
        if member is None:
            form.add_error("member", _("No member of this program has that handle. Check the spelling."))
        if peer is None:
            form.add_error("peer", _("No peer supporter of this program has that handle. Check the spelling."))
        if member is not None and peer is not None:
            try:
                services.match_exclusion_add(
                    program=program, member=member, peer=peer, reason=data["reason"], created_by=request.user
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(member)s and %(peer)s will never be suggested to each other.")
                    % {"member": member.display_name, "peer": peer.display_name},
                )
                return redirect("match_exclusions", slug=program.slug)
    return render(
        request,
        "peers/matching/exclusions.html",
        {"program": program, "form": form, "exclusions": exclusions[:500]},
    )


@login_required
@require_POST
def match_exclusion_remove(request: AuthedHttpRequest, slug: str, exclusion_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    exclusion = selectors.get_exclusion_for_admin(request.user, membership, exclusion_id)
    services.match_exclusion_remove(exclusion=exclusion)
    messages.success(request, _("The exclusion is removed."))
    return redirect("match_exclusions", slug=program.slug)


@login_required
@require_http_methods(["GET", "POST"])
def match_rounds(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    rounds = selectors.rounds_for_admin(request.user, membership)
    if request.method == "POST":
        try:
            matching_round = services.match_round_run(program=program, admin=request.user)
        except ValidationError as error:
            messages.error(request, _matching_error_text(error))
        else:
            return redirect("match_round", slug=program.slug, round_id=matching_round.pk)
    waiting = selectors.waiting_members(program)
    return render(
        request,
        "peers/matching/rounds.html",
        {
            "program": program,
            "rounds": rounds[:50],
            "waiting_count": len(waiting.needs),
            "proposed": selectors.proposed_round(program),
        },
    )


@login_required
@require_http_methods(["GET"])
def match_round(request: AuthedHttpRequest, slug: str, round_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    matching_round = selectors.get_round_for_admin(request.user, membership, round_id)
    proposals, left_out = selectors.round_detail(matching_round)
    return render(
        request,
        "peers/matching/round.html",
        {"program": program, "round": matching_round, "proposals": proposals, "left_out": left_out},
    )


@login_required
@require_POST
def match_round_apply(request: AuthedHttpRequest, slug: str, round_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    matching_round = selectors.get_round_for_admin(request.user, membership, round_id)
    try:
        applied = services.match_round_apply(matching_round=matching_round, admin=request.user)
    except ValidationError as error:
        messages.error(request, _matching_error_text(error))
    else:
        messages.success(
            request,
            _("%(requested)s requests went to peers; %(skipped)s proposals were skipped because things changed.")
            % {"requested": applied.requested, "skipped": applied.skipped},
        )
    return redirect("match_round", slug=program.slug, round_id=matching_round.pk)


@login_required
@require_POST
def match_round_discard(request: AuthedHttpRequest, slug: str, round_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    matching_round = selectors.get_round_for_admin(request.user, membership, round_id)
    try:
        services.match_round_discard(matching_round=matching_round, admin=request.user)
    except ValidationError as error:
        messages.error(request, _matching_error_text(error))
    else:
        messages.success(request, _("The proposal is discarded. Nothing changed for anyone."))
    return redirect("match_rounds", slug=program.slug)

"""Pages of the meeting finder, a meeting's page, following, attendance and the roster.

Meeting listings are public (intergroups publish them), so finding a meeting and reading
its page need no account; following, attendance and the roster do. Thin: parse, call a
selector or service, render.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alongside.accounts import selectors as accounts_selectors
from alongside.accounts.http import AuthedHttpRequest
from alongside.accounts.models import Program
from alongside.lib import gazetteer
from alongside.lib.forms import apply_validation_error
from alongside.lib.tz import zone_named, zone_of
from alongside.meetings import feed, ical, schedule, selectors, services
from alongside.meetings.forms import (
    KM_PER_MILE,
    AttendedForm,
    ChangeRequestForm,
    FinderForm,
    FollowForm,
    HandoffForm,
    ImportForm,
    RelocationForm,
    RosterForm,
    day_name,
    type_name,
    valid_zone,
)
from alongside.meetings.models import Attendance, ImportRun, ImportStatus, Meeting
from alongside.recovery import selectors as recovery_selectors
from alongside.recovery.views import _pdf_from

PER_PAGE = 20
PDF_CAP = 500
# Countries whose people think in miles; elsewhere only kilometres are shown.
MILES_COUNTRIES = frozenset({"US", "GB", "LR", "MM"})


# --- showing times and places ------------------------------------------------------------------


def zone_label(name: str) -> str:
    """ "America/Los_Angeles" -> "Los Angeles": what a person recognises of a zone name."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def _weekday_time(moment: dt.datetime) -> str:
    # formats.* use the datetime's own zone (templates' date filter would convert to the
    # active zone, which is exactly what must not happen for "the meeting's local time").
    return f"{formats.date_format(moment, 'l')} {formats.time_format(moment.time(), 'TIME_FORMAT')}"


def _meeting_time(meeting: Meeting, start: dt.datetime | None) -> str:
    if meeting.day is None or start is None:
        return _("By appointment")
    return _weekday_time(start)


def _tel(phone: str) -> str:
    """A ``tel:`` target that keeps the pauses (,) and # of a dial-in code."""
    kept = re.sub(r"[^0-9+,#*]", "", phone)
    return kept.replace("#", "%23") if re.search(r"\d", kept) else ""


def _web_link(url: str) -> str:
    return url if url.startswith(("https://", "http://")) else ""


def _address(meeting: Meeting) -> str:
    if meeting.formatted_address:
        return meeting.formatted_address
    return ", ".join(part for part in (meeting.location, meeting.city, meeting.state) if part)


@dataclass(frozen=True)
class Row:
    """One meeting as the results list shows it; built only from the finder's list fields,
    so rendering a page of results asks the database nothing more."""

    meeting: Meeting
    when: str
    clock: str  # the start time alone, in the meeting's zone
    zone: str
    starts_at: dt.datetime | None
    viewer_when: str
    viewer_starts_at: dt.datetime | None
    distance_km: float | None
    distance_mi: float | None
    address: str
    online: bool
    in_person: bool
    attendance: str
    type_names: list[str]


def _row(found: selectors.Found, viewer_zone: zoneinfo.ZoneInfo | None, *, miles: bool) -> Row:
    meeting = found.meeting
    online = meeting.attendance_option in (Attendance.ONLINE, Attendance.HYBRID)
    viewer = found.next_start_for_viewer
    # The viewer's time is worth a line only for meetings they can join from anywhere, and
    # only when it differs from the meeting's own clock.
    show_viewer = (
        online
        and viewer is not None
        and found.next_start is not None
        and viewer.utcoffset() != found.next_start.utcoffset()
    )
    language = get_language()
    return Row(
        meeting=meeting,
        when=_meeting_time(meeting, found.next_start),
        clock=formats.time_format(meeting.start_time, "TIME_FORMAT") if meeting.start_time else "",
        zone=zone_label(meeting.time_zone),
        starts_at=found.next_start,
        viewer_when=_weekday_time(viewer) if show_viewer and viewer else "",
        viewer_starts_at=viewer if show_viewer else None,
        distance_km=found.distance_km,
        distance_mi=round(found.distance_km / KM_PER_MILE, 1) if miles and found.distance_km is not None else None,
        address=_address(meeting) if meeting.attendance_option != Attendance.ONLINE else "",
        online=online,
        in_person=meeting.attendance_option in (Attendance.IN_PERSON, Attendance.HYBRID),
        attendance=str(Attendance(meeting.attendance_option).label),
        type_names=[type_name(code, language) for code in meeting.types or ()],
    )


def _viewer_zone(request: HttpRequest, browser_zone: str = "") -> zoneinfo.ZoneInfo | None:
    if request.user.is_authenticated:
        return zone_of(request.user)
    return valid_zone(browser_zone)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


def _query_without_page(request: HttpRequest) -> str:
    return urlencode([(key, item) for key, values in request.GET.lists() if key != "page" for item in values])


# --- the finder ----------------------------------------------------------------------------------


def _search(
    request: HttpRequest, form: FinderForm, *, limit: int, offset: int
) -> tuple[selectors.Results, zoneinfo.ZoneInfo | None]:
    viewer_zone = _viewer_zone(request, form.cleaned_data.get("tz") or "")
    # "Today" is today where the person is: their own zone, else the place they searched.
    place_zone = valid_zone(form.resolved_place.timezone) if form.resolved_place else None
    today_zone = viewer_zone or place_zone or zoneinfo.ZoneInfo("UTC")
    search = form.search(today_zone=today_zone, now=timezone.now())
    return selectors.find_meetings(search, viewer_zone=viewer_zone, limit=limit, offset=offset), viewer_zone


def _miles(form: FinderForm) -> bool:
    return form.resolved_place is not None and form.resolved_place.country in MILES_COUNTRIES


def _type_chips(form: Any) -> list[dict[str, Any]]:
    """The type checkboxes as plain data: nearly ninety widgets rendered one by one through
    Django's widget templates were most of the finder page's time."""
    bound = form["types"]
    chosen = {str(value) for value in (bound.value() or [])}
    return [
        {"id": f"{bound.auto_id}_{index}", "value": value, "label": label, "checked": str(value) in chosen}
        for index, (value, label) in enumerate(bound.field.choices)
    ]


@require_safe
def meeting_finder(request: HttpRequest) -> HttpResponse:
    form = FinderForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "rows": None, "searched": False}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound and form.has_criteria:
        page = _page_number(request)
        results, viewer_zone = _search(request, form, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        miles = _miles(form)
        pages = max(1, -(-results.total // PER_PAGE))
        query = _query_without_page(request)
        context.update(
            searched=True,
            rows=[_row(found, viewer_zone, miles=miles) for found in results.found],
            total=results.total,
            page=page,
            pages=pages,
            previous_url=f"?{query}&page={page - 1}" if page > 1 else "",
            next_url=f"?{query}&page={page + 1}" if page < pages else "",
            pdf_url=reverse("meeting_list_pdf") + (f"?{query}" if query else ""),
            place=form.resolved_place,
            place_label=form.place_label,
            other_places=[
                {"label": place.label, "url": "?" + urlencode({**_kept(request), "place": place.label})}
                for place in form.other_places
            ],
            viewer_zone=zone_label(str(viewer_zone)) if viewer_zone else "",
            near=results.search.near,
            # A search near a place lists what is within reach in person; online meetings
            # are one link away, with the other filters kept.
            online_url="?" + urlencode({**_kept(request), "attendance": Attendance.ONLINE.value})
            if results.search.near and results.search.attendance != Attendance.ONLINE
            else "",
            radius=int(results.search.radius_km),
        )
    context["type_chips"] = _type_chips(form)
    context["common_type_count"] = form.common_type_count
    return render(request, "meetings/finder.html", context, status=status)


def _kept(request: HttpRequest) -> dict[str, str]:
    """The search's other choices, for a "did you mean" link that swaps only the place."""
    return {
        key: str(value) for key, value in request.GET.items() if key not in ("place", "page", "lat", "lon") and value
    }


@require_safe
def meeting_list_pdf(request: HttpRequest) -> HttpResponse:
    """The finder's results for the same filters as a printable list, grouped by day."""
    form = FinderForm(request.GET or None)
    if not form.is_bound or not form.is_valid() or not form.has_criteria:
        if form.is_bound and form.is_valid():
            form.add_error(None, _("Choose a place or at least one filter, then print the list."))
        context: dict[str, Any] = {"form": form, "rows": None, "searched": False, "type_chips": _type_chips(form)}
        context["common_type_count"] = form.common_type_count
        return render(request, "meetings/finder.html", context, status=400)
    results, viewer_zone = _search(request, form, limit=PDF_CAP, offset=0)
    miles = _miles(form)
    rows = [_row(found, viewer_zone, miles=miles) for found in results.found]
    groups: list[dict[str, Any]] = []
    for day in [*range(7), None]:
        in_day = [row for row in rows if row.meeting.day == day]
        if in_day:
            in_day.sort(key=lambda row: (row.meeting.start_minute or 0, row.meeting.name))
            groups.append({"title": day_name(day) if day is not None else _("By appointment"), "rows": in_day})
    pdf_context: dict[str, Any] = {
        "groups": groups,
        "total": results.total,
        "shown": len(rows),
        "capped": results.total > PDF_CAP,
        "cap": PDF_CAP,
        "place_label": form.place_label,
        "search": results.search,
        "printed_on": timezone.localdate(),
        "filters": _filter_summary(form),
    }
    html = render_to_string("meetings/finder_pdf.html", pdf_context, request=request)
    response = HttpResponse(_pdf_from(html, request.build_absolute_uri("/")), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="meetings.pdf"'
    return response


def _filter_summary(form: FinderForm) -> list[str]:
    """The chosen filters in words, printed at the top of the list so a paper copy says
    what it is a list of."""
    data, fields = form.cleaned_data, form.fields
    summary = []
    for name in ("day", "when", "attendance", "language"):
        value = data.get(name)
        if value:
            summary.append(str(dict(fields[name].choices).get(value, value)))  # type: ignore[attr-defined]
    if data.get("from_time") or data.get("to_time"):
        start = data["from_time"].strftime("%H:%M") if data.get("from_time") else "00:00"
        end = data["to_time"].strftime("%H:%M") if data.get("to_time") else "23:59"
        summary.append(f"{start}–{end}")
    summary += [type_name(code) for code in data.get("types") or ()]
    if data.get("q"):
        summary.append(f"“{data['q']}”")
    return summary


# --- a meeting's page ----------------------------------------------------------------------------


def _detail_context(request: HttpRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    now = timezone.now()
    zone = zone_named(meeting.time_zone)
    start = schedule.next_start(meeting.day, meeting.start_time, zone, now=now)
    viewer_zone = _viewer_zone(request)
    viewer_start = start.astimezone(viewer_zone) if start and viewer_zone else None
    online = meeting.attendance_option in (Attendance.ONLINE, Attendance.HYBRID)
    user = request.user
    follow = selectors.my_follow(user, meeting)  # type: ignore[arg-type]
    latest = selectors.latest_occurrence(meeting, now)
    context: dict[str, Any] = {
        "meeting": meeting,
        "when": _meeting_time(meeting, start),
        "starts_at": start,
        "zone": zone_label(meeting.time_zone),
        "ends": formats.time_format(meeting.end_time, "TIME_FORMAT") if meeting.end_time else "",
        "viewer_when": _weekday_time(viewer_start)
        if viewer_start and start and viewer_start.utcoffset() != start.utcoffset()
        else "",
        "viewer_starts_at": viewer_start,
        "viewer_zone": zone_label(str(viewer_zone)) if viewer_zone else "",
        "next_date": start.date() if start else None,
        "online": online,
        "in_person": meeting.attendance_option in (Attendance.IN_PERSON, Attendance.HYBRID),
        "inactive": meeting.attendance_option == Attendance.INACTIVE,
        "attendance": Attendance(meeting.attendance_option).label,
        "address": _address(meeting),
        "map_url": (
            f"https://www.openstreetmap.org/?mlat={meeting.latitude:.5f}&mlon={meeting.longitude:.5f}"
            f"#map=16/{meeting.latitude:.5f}/{meeting.longitude:.5f}"
            if meeting.latitude is not None and meeting.longitude is not None
            else ""
        ),
        "conference_url": _web_link(meeting.conference_url),
        "tel": _tel(meeting.conference_phone),
        "website": _web_link(meeting.url),
        "types": [(code, type_name(code)) for code in meeting.types or ()],
        "following": follow,
        "my_records": selectors.my_attendance_at(user, meeting),  # type: ignore[arg-type]
        "may_keep_roster": selectors.may_keep_roster(user, meeting),  # type: ignore[arg-type]
        "follow_form": forms.get("follow_form")
        or FollowForm(initial={"remind_minutes_before": follow.remind_minutes_before if follow else None}),
        "attended_form": forms.get("attended_form") or AttendedForm(initial={"occurrence": latest}),
        "change_form": forms.get("change_form") or ChangeRequestForm(),
        "latest_occurrence": latest,
    }
    return context


@require_safe
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting(meeting_id)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


def _back(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("meeting_detail", meeting_id=meeting.pk)


@login_required
@require_POST
def meeting_follow(request: AuthedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting(meeting_id)
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reminder from the list."))
        return _back(request, meeting)
    if form.unfollow:
        services.meeting_unfollow(user=request.user, meeting=meeting)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": meeting.name})
        return _back(request, meeting)
    try:
        services.meeting_follow(
            user=request.user, meeting=meeting, remind_minutes_before=form.cleaned_data["remind_minutes_before"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("You follow %(name)s. It shows on your home page when it is next.") % {"name": meeting.name}
        )
    return _back(request, meeting)


@login_required
@require_POST
def meeting_attend(request: AuthedHttpRequest, meeting_id: int) -> HttpResponse:
    """ "I was there": a person records their own attendance, never anyone else's."""
    meeting = selectors.get_meeting(meeting_id)
    form = AttendedForm(request.POST)
    if form.is_valid():
        try:
            services.attendance_record(
                user=request.user,
                meeting=meeting,
                occurrence=form.cleaned_data["occurrence"] or selectors.latest_occurrence(meeting, timezone.now()),
                recorded_by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Recorded. Every meeting counts."))
            return redirect("meeting_detail", meeting_id=meeting.pk)
    context = _detail_context(request, meeting, attended_form=form)
    return render(request, "meetings/meeting_detail.html", context, status=400)


def _client_key(request: HttpRequest) -> str:
    return get_adapter().get_client_ip(request) or "unknown"


@require_http_methods(["GET", "POST"])
def meeting_change_request(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Anyone, signed in or not, may say a listing is wrong; the program's admins review it."""
    meeting = selectors.get_meeting(meeting_id)
    if request.method == "GET":
        return render(
            request, "meetings/meeting_change_request.html", {"meeting": meeting, "form": ChangeRequestForm()}
        )
    form = ChangeRequestForm(request.POST)
    if form.is_valid():
        signed_in = request.user.is_authenticated
        who = str(request.user.pk) if signed_in else _client_key(request)
        if not services.change_request_allowance_use(who=who, signed_in=signed_in):
            form.add_error(
                None,
                _(
                    "Thank you for helping keep the list right. We have had several suggestions from you "
                    "this hour already; please try again in an hour."
                ),
            )
            context = {"meeting": meeting, "form": form}
            return render(request, "meetings/meeting_change_request.html", context, status=429)
        try:
            services.change_request_submit(
                meeting=meeting,
                message=form.cleaned_data["message"],
                contact=form.cleaned_data["contact"],
                submitted_by=request.user if signed_in else None,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Thank you. The program's volunteers will look at your suggestion."))
            return redirect("meeting_detail", meeting_id=meeting.pk)
    return render(request, "meetings/meeting_change_request.html", {"meeting": meeting, "form": form}, status=400)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def meeting_roster(request: AuthedHttpRequest, meeting_id: int) -> HttpResponse:
    """The facilitator's roster for the program's own groups: who was at a meeting day."""
    meeting = selectors.get_meeting(meeting_id)
    if meeting.group_id is None:
        raise PermissionDenied
    now = timezone.now()
    if request.method == "POST":
        occurrence_text = request.POST.get("occurrence", "")
    else:
        occurrence_text = request.GET.get("occurrence", "")
    try:
        occurrence = (
            dt.date.fromisoformat(occurrence_text) if occurrence_text else selectors.latest_occurrence(meeting, now)
        )
    except ValueError:
        occurrence = selectors.latest_occurrence(meeting, now)
    lines = selectors.roster_for(request.user, meeting, occurrence)
    people = [(line.user.pk, line.user.display_name) for line in lines]
    status = 200
    if request.method == "POST":
        form = RosterForm(request.POST, people=people)
        if form.is_valid():
            occurrence = form.cleaned_data["occurrence"] or occurrence
            members = {line.user.pk: line.user for line in lines}
            try:
                for pk in form.cleaned_data["present"]:
                    services.attendance_record(
                        user=members[int(pk)], meeting=meeting, occurrence=occurrence, recorded_by=request.user
                    )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                count = len(form.cleaned_data["present"])
                messages.success(request, _("Attendance saved for %(count)s people.") % {"count": count})
                return redirect(f"{reverse('meeting_roster', args=[meeting.pk])}?occurrence={occurrence.isoformat()}")
        status = 400
    else:
        form = RosterForm(
            initial={"occurrence": occurrence, "present": [str(line.user.pk) for line in lines if line.present]},
            people=people,
        )
    context = {"meeting": meeting, "form": form, "lines": lines, "occurrence": occurrence}
    return render(request, "meetings/meeting_roster.html", context, status=status)


# --- my meetings -------------------------------------------------------------------------------


@login_required
@never_cache
@require_safe
def my_meetings(request: AuthedHttpRequest) -> HttpResponse:
    now = timezone.now()
    viewer_zone = zone_of(request.user)
    followed: list[dict[str, Any]] = []
    for follow in selectors.my_follows(request.user):
        meeting = follow.meeting
        start = schedule.next_start(meeting.day, meeting.start_time, zone_named(meeting.time_zone), now=now)
        viewer_start = start.astimezone(viewer_zone) if start else None
        followed.append(
            {
                "follow": follow,
                "meeting": meeting,
                "when": _meeting_time(meeting, start),
                "zone": zone_label(meeting.time_zone),
                "starts_at": start,
                "viewer_when": _weekday_time(viewer_start)
                if viewer_start and start and viewer_start.utcoffset() != start.utcoffset()
                else "",
                "inactive": meeting.attendance_option == Attendance.INACTIVE,
                "sort": start or dt.datetime.max.replace(tzinfo=dt.UTC),
            }
        )
    followed.sort(key=lambda item: item["sort"])
    since = now.astimezone(viewer_zone).date() - dt.timedelta(days=30)
    context = {
        "followed": followed,
        "recent": selectors.my_attendance(request.user, limit=10),
        "count_30": selectors.attendance_count(request.user, since),
    }
    return render(request, "meetings/my_meetings.html", context)


# --- moving to a new place ---------------------------------------------------------------

# Moving to a new city: the member's relocation plan, and their peer's hand-off note.

CHECKLIST_LABELS = {
    "meetings_found": gettext_lazy("Pick two or three meetings near my new home"),
    "online_meeting_chosen": gettext_lazy("Choose an online meeting to keep going during the move"),
    "peer_introduced": gettext_lazy("Meet a peer supporter in the new area"),
    "plan_updated": gettext_lazy("Update my relapse-prevention plan with new people and places"),
    "crisis_lines_saved": gettext_lazy("Save the crisis lines for the new area in my phone"),
    "first_meeting_attended": gettext_lazy("Go to a first meeting there"),
}


def _clear_winner(choices: list[gazetteer.Place]) -> gazetteer.Place | None:
    """The one place a person most likely means ("Edmonton" is the Canadian city, not the
    London suburb); None when a few are close enough that we should ask."""
    if len(choices) == 1:
        return choices[0]
    if len(choices) > 1 and choices[0].population >= 3 * max(1, choices[1].population):
        return choices[0]
    return None


@login_required
@require_http_methods(["GET", "POST"])
def relocation(request: AuthedHttpRequest) -> HttpResponse:
    current = selectors.my_relocation(request.user)
    form = RelocationForm(request.POST or None)
    choices: list[gazetteer.Place] = []
    if request.method == "POST" and form.is_valid():
        choices = gazetteer.find_places(form.cleaned_data["place"], limit=5)
        wanted = request.POST.get("place_choice", "")
        place = next((p for p in choices if p.label == wanted), None) or _clear_winner(choices)
        if not choices:
            form.add_error("place", _("We could not find that place. Try the city name, or the city and state."))
        elif place is None:
            form.add_error("place", _("Several places have that name. Choose one below."))
        else:
            membership = request.membership
            try:
                services.relocation_plan(
                    user=request.user,
                    place=place,
                    move_on=form.cleaned_data["move_on"],
                    program=membership.program if membership else None,
                    handoff_consent=form.cleaned_data["handoff_consent"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Your plan for the move is ready."))
                return redirect("relocation")
    view = None
    if current is not None and request.method == "GET":
        languages = recovery_selectors.profile_of(request.user).languages
        view = selectors.relocation_view(request.user, current, languages=languages)
    return render(
        request,
        "meetings/relocation.html",
        {
            "form": form,
            "view": view,
            "choices": choices if len(choices) > 1 else [],
            "checklist": [
                (key, label, (current.checklist or {}).get(key, False)) for key, label in CHECKLIST_LABELS.items()
            ]
            if current
            else [],
        },
    )


@login_required
@require_POST
def relocation_check(request: AuthedHttpRequest, relocation_id: int) -> HttpResponse:
    found = selectors.get_my_relocation(request.user, relocation_id)
    item = request.POST.get("item", "")
    try:
        services.relocation_check(relocation=found, user=request.user, item=item, done=request.POST.get("done") == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("relocation")


@login_required
@require_POST
def relocation_cancel(request: AuthedHttpRequest, relocation_id: int) -> HttpResponse:
    found = selectors.get_my_relocation(request.user, relocation_id)
    services.relocation_cancel(relocation=found, user=request.user)
    messages.success(request, _("The moving plan is closed. You can start a new one any time."))
    return redirect("relocation")


@login_required
@require_http_methods(["GET", "POST"])
def relocation_handoff(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    """The member's peer writes what the next peer should know (with the member's yes)."""
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    found = selectors.relocation_for_peer(request.user, membership, user_id)
    form = HandoffForm(request.POST or None, initial={"handoff_note": found.handoff_note})
    if request.method == "POST" and form.is_valid():
        try:
            services.relocation_handoff(relocation=found, peer=request.user, note=form.cleaned_data["handoff_note"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your hand-off note is saved. The member can read it on their moving plan."))
            return redirect("relocation_handoff", slug=slug, user_id=user_id)
    return render(request, "meetings/relocation_handoff.html", {"program": program, "relocation": found, "form": form})


# --- import ------------------------------------------------------------------------------

# The program admin's import pages: upload or point at a Meeting Guide feed, watch the
# import's progress, re-import a saved source. Thin: parse, call a selector or task starter,
# render.

RECENT_RUNS = 10
WARNINGS_SHOWN = 200


def _render_import(
    request: HttpRequest, program: Program, runs: Any, sources: Any, form: ImportForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "meetings/import_page.html",
        {"program": program, "form": form, "runs": runs[:RECENT_RUNS], "sources": sources},
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def meetings_import(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    runs = selectors.import_runs_for_admin(request.user, membership)
    sources = selectors.feed_sources_for_admin(request.user, membership)
    # Bound on every POST, even an empty one, so "choose a file or an address" is said.
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = None
        if data["keep"]:
            source = services.feed_source_save(
                program=program, name=data["source_name"], url=data["url"], refresh_hours=data["refresh_hours"]
            )
        upload = request.FILES.get("file")
        run = services.import_start(
            program=program,
            label=(upload.name or "feed.json") if upload is not None and data["file"] is not None else data["url"],
            started_by=request.user,
            data=data["file"],
            url="" if data["file"] is not None else data["url"],
            source=source,
        )
        return redirect("meetings_import_run", slug=program.slug, run_id=run.pk)
    return _render_import(request, program, runs, sources, form, status=400 if form.errors else 200)


def _run_context(program: Program, run: ImportRun) -> dict[str, Any]:
    # The run keeps no "withdrawn" count of its own: its total is what it created, updated
    # and withdrew, so the rest is what was withdrawn.
    withdrawn = max(0, run.total - run.imported - run.updated) if run.status == ImportStatus.DONE else 0
    return {
        "program": program,
        "run": run,
        "running": run.status == ImportStatus.RUNNING,
        "withdrawn": withdrawn,
        "warnings": run.warnings[:WARNINGS_SHOWN],
        "warning_count": len(run.warnings),
        "warnings_capped": len(run.warnings) > WARNINGS_SHOWN,
    }


@login_required
@never_cache
@require_safe
def meetings_import_run(request: AuthedHttpRequest, slug: str, run_id: int) -> HttpResponse:
    """The run's progress; htmx asks again every second for the progress part while it runs."""
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    run = selectors.get_import_run_for_admin(request.user, membership, run_id)
    context = _run_context(program, run)
    template = "meetings/import_run_status.html" if getattr(request, "htmx", False) else "meetings/import_run.html"
    return render(request, template, context)


@login_required
@require_POST
def meetings_source_refresh(request: AuthedHttpRequest, slug: str, source_id: int) -> HttpResponse:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    source = selectors.feed_sources_for_admin(request.user, membership).filter(pk=source_id).first()
    if source is None:
        raise Http404
    if not source.url:
        messages.error(request, _("This source has no address to import from. Upload its file instead."))
        return redirect("meetings_import", slug=program.slug)
    run = services.import_start(
        program=program, label=source.url, started_by=request.user, url=source.url, source=source
    )
    return redirect("meetings_import_run", slug=program.slug, run_id=run.pk)


# --- feeds and calendars -----------------------------------------------------------------

# What other software reads: a program's Meeting Guide feed, a meeting's iCalendar file,
# and a member's private calendar of the meetings they follow (plus the page to get its link).
# Thin: parse, call a selector or service, serialise.

FEED_MAX_AGE = 300  # seconds; intergroup apps poll, and a listing may wait five minutes


@require_safe
def meetings_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The program's active meetings in Meeting Guide JSON, for the Meeting Guide app,
    TSML UI and other intergroups' sites. Listings are public information, hence the
    open CORS header: those apps fetch it from other origins."""
    program = selectors.program_for_feed(slug)
    meetings = selectors.program_meetings(program).select_related("group")
    body = json.dumps(feed.to_feed(services.as_feed_meeting(meeting) for meeting in meetings), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _calendar_response(body: bytes, filename: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        # The URL is the key: the view is never_cache (no shared caches), and search
        # engines are asked to stay away should the link ever be posted somewhere.
        response["X-Robots-Tag"] = "noindex, nofollow"
    else:
        response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response


def _calendar(request: HttpRequest, meetings: list[Meeting], *, name: str, calendar_uid: str) -> bytes:
    host = request.get_host().split(":")[0]
    return ical.calendar_of(
        meetings,
        host=host,
        name=name,
        calendar_uid=f"{calendar_uid}@{host}",
        now=timezone.now(),
        page_url=lambda meeting: request.build_absolute_uri(reverse("meeting_detail", args=[meeting.id])),
    )


@require_safe
def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting(meeting_id)
    if meeting.day is None or meeting.start_time is None:
        # By appointment: there is no time to put on a calendar.
        raise Http404
    body = _calendar(request, [meeting], name=meeting.name, calendar_uid=f"meeting-{meeting.pk}")
    return _calendar_response(body, f"meeting-{meeting.pk}.ics", private=False)


@require_safe
@never_cache
def my_meetings_ics(request: HttpRequest, token: str) -> HttpResponse:
    """A member's meetings, for their calendar app to subscribe to. Calendar apps cannot
    sign in, so the secret in the URL is the key; a wrong or replaced one is a 404."""
    owner = selectors.calendar_owner(token)
    if owner is None:
        raise Http404
    meetings = [follow.meeting for follow in selectors.my_follows(owner).order_by("meeting_id")]
    body = _calendar(request, meetings, name=_("My meetings"), calendar_uid=f"follows-{owner.pk}")
    return _calendar_response(body, "my-meetings.ics", private=True)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def my_calendar_link(request: AuthedHttpRequest) -> HttpResponse:
    """Get (or replace) the private link; only a hash is kept, so the link shows once."""
    link = ""
    if request.method == "POST":
        token = services.calendar_token_issue(user=request.user)
        link = request.build_absolute_uri(reverse("my_meetings_ics", args=[token]))
    has_link = bool(link) or selectors.has_calendar_link(request.user)
    following = selectors.my_follows(request.user).exclude(meeting__attendance_option=Attendance.INACTIVE).count()
    return render(
        request,
        "meetings/calendar_link.html",
        {
            "link": link,
            "webcal": link.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
            "has_link": has_link,
            "following": following,
        },
    )


@login_required
def member_meetings(request: AuthedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    """The meetings a member goes to, as their peer may see them (with the member's yes)."""
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    view = selectors.member_meetings_for(request.user, membership, user_id)
    return render(request, "meetings/member_meetings.html", {"program": program, "view": view})

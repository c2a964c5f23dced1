"""Every write of the meetings app: imports, following, attendance, change requests and
relocation plans."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alongside.accounts import services as accounts_services
from alongside.accounts.models import CareRelation, CareTeamLink, Program, User
from alongside.lib import gazetteer
from alongside.lib.tokens import new_secret, secret_hash
from alongside.lib.tz import zone_named
from alongside.meetings import feed, schedule
from alongside.meetings.fetch import FetchError, fetch_feed, read_feed_file
from alongside.meetings.models import (
    Attendance,
    AttendanceRecord,
    CalendarToken,
    ChangeRequest,
    ChangeStatus,
    FeedSource,
    ImportRun,
    ImportStatus,
    Meeting,
    MeetingFollow,
    MeetingReminderSent,
    Relocation,
)

logger = logging.getLogger(__name__)

CHUNK = 250

# FeedMeeting fields stored on Meeting under the same name; the rest are mapped below.
_SAME_NAME = (
    "name",
    "types",
    "notes",
    "url",
    "group_notes",
    "district",
    "region",
    "sub_region",
    "location",
    "location_notes",
    "formatted_address",
    "address",
    "city",
    "state",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "approximate",
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
    "attendance_option",
    "language",
)
IMPORTED_FIELDS = (
    *_SAME_NAME,
    "day",
    "start_time",
    "end_time",
    "time_zone",
    "group_name",
    "start_minute",
    "source_updated",
)


def _values(item: feed.FeedMeeting, default_zone: str) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(item, name) for name in _SAME_NAME}
    values["types"] = list(item.types)
    values.update(
        day=item.day,
        start_time=item.time,
        end_time=item.end_time,
        time_zone=item.timezone or default_zone,
        group_name=item.group,
        start_minute=schedule.minute_of(item.time),
        source_updated=item.updated,
    )
    return values


def _digest(values: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def as_feed_meeting(meeting: Meeting) -> feed.FeedMeeting:
    """A stored meeting in the feed module's shape, for export."""
    return feed.FeedMeeting(
        slug=meeting.slug,
        name=meeting.name,
        day=meeting.day,
        time=meeting.start_time,
        end_time=meeting.end_time,
        timezone=meeting.time_zone,
        types=tuple(meeting.types or ()),
        notes=meeting.notes,
        url=meeting.url,
        updated=meeting.source_updated or meeting.updated_at,
        group=meeting.group_name or (meeting.group.name if meeting.group_id and meeting.group else ""),
        group_notes=meeting.group_notes,
        district=meeting.district,
        region=meeting.region,
        sub_region=meeting.sub_region,
        location=meeting.location,
        location_notes=meeting.location_notes,
        formatted_address=meeting.formatted_address,
        address=meeting.address,
        city=meeting.city,
        state=meeting.state,
        postal_code=meeting.postal_code,
        country=meeting.country,
        latitude=meeting.latitude,
        longitude=meeting.longitude,
        approximate=meeting.approximate,
        conference_url=meeting.conference_url,
        conference_url_notes=meeting.conference_url_notes,
        conference_phone=meeting.conference_phone,
        conference_phone_notes=meeting.conference_phone_notes,
        attendance_option=meeting.attendance_option,
        language=meeting.language,
    )


@dataclass
class ImportSummary:
    """What an import did (or, in a dry run, would do)."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    withdrawn: int = 0
    warnings: list[dict[str, str]] = field(default_factory=list)
    error: str = ""
    run: ImportRun | None = None

    def line(self) -> str:
        return (
            f"imported {self.imported} · updated {self.updated} · unchanged {self.unchanged} · "
            f"skipped {self.skipped} · withdrawn {self.withdrawn} · warnings {len(self.warnings)}"
        )


def meetings_import(
    *,
    program: Program,
    raw: bytes | str,
    label: str,
    source: FeedSource | None = None,
    started_by: User | None = None,
    dry_run: bool = False,
    run: ImportRun | None = None,
    locate: Callable[[str, str, str], tuple[float, float] | None] | None = gazetteer.locate,
    time_zone: str | None = None,
    now: dt.datetime | None = None,
) -> ImportSummary:
    """Bring a Meeting Guide feed into a program: new slugs are created, changed ones
    updated, identical ones left alone (re-importing the same feed writes nothing), and
    meetings of the same source that left the feed are marked not meeting (kept, because
    people follow them and attended them).

    The whole feed is parsed before anything is written, so a malformed feed changes
    nothing. Writes then go in chunks, each atomic, with progress saved between them for
    the admin page's bar; a re-run after an interruption finishes the job.
    """
    now = now or timezone.now()
    summary = ImportSummary()
    if run is None and not dry_run:
        run = ImportRun.objects.create(program=program, source=source, label=label[:200], started_by=started_by)
    summary.run = run
    try:
        parsed = feed.parse_feed(raw, default_timezone=time_zone or program.time_zone, locate=locate)
    except feed.FeedError as error:
        summary.error = str(error)
        if run is not None:
            run.status, run.error, run.finished_at = ImportStatus.FAILED, summary.error[:2000], now
            run.save(update_fields=["status", "error", "finished_at"])
        return summary
    summary.skipped = parsed.skipped
    summary.warnings = [{"slug": w.slug, "reason": w.reason} for w in parsed.warnings]
    existing = {
        slug: (pk, digest)
        for slug, pk, digest in Meeting.objects.filter(program=program).values_list("slug", "pk", "content_hash")
    }
    creates: list[Meeting] = []
    updates: list[Meeting] = []
    for item in parsed.meetings:
        values = _values(item, time_zone or program.time_zone)
        digest = _digest(values)
        known = existing.get(item.slug)
        if known is None:
            creates.append(
                Meeting(
                    program=program,
                    source=source,
                    slug=item.slug,
                    content_hash=digest,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
        elif known[1] != digest:
            updates.append(Meeting(pk=known[0], source=source, content_hash=digest, updated_at=now, **values))
        else:
            summary.unchanged += 1
    summary.imported, summary.updated = len(creates), len(updates)
    seen = {item.slug for item in parsed.meetings}
    gone: list[int] = []
    if source is not None:
        gone = list(
            Meeting.objects.filter(program=program, source=source)
            .exclude(slug__in=seen)
            .exclude(attendance_option=Attendance.INACTIVE)
            .values_list("pk", flat=True)
        )
    summary.withdrawn = len(gone)
    if dry_run:
        return summary
    assert run is not None  # noqa: S101 - created above when not a dry run
    run.total = len(creates) + len(updates) + len(gone)
    run.save(update_fields=["total"])
    fields = [*IMPORTED_FIELDS, "source", "content_hash", "updated_at"]
    for start in range(0, max(len(creates), len(updates), len(gone)), CHUNK):
        with transaction.atomic():
            Meeting.objects.bulk_create(creates[start : start + CHUNK])
            Meeting.objects.bulk_update(updates[start : start + CHUNK], fields)
            Meeting.objects.filter(pk__in=gone[start : start + CHUNK]).update(
                attendance_option=Attendance.INACTIVE, content_hash="", updated_at=now
            )
        run.done = min(
            run.total,
            run.done
            + len(creates[start : start + CHUNK])
            + len(updates[start : start + CHUNK])
            + len(gone[start : start + CHUNK]),
        )
        run.save(update_fields=["done"])
    run.status, run.finished_at = ImportStatus.DONE, timezone.now()
    run.imported, run.updated, run.unchanged = summary.imported, summary.updated, summary.unchanged
    run.skipped, run.warnings = summary.skipped, summary.warnings[:500]
    run.save(update_fields=["status", "finished_at", "imported", "updated", "unchanged", "skipped", "warnings"])
    if source is not None:
        source.last_imported_at = run.finished_at
        source.save(update_fields=["last_imported_at"])
    logger.info("meetings import %s into %s: %s", label, program.slug, summary.line())
    return summary


# --- following and attendance ------------------------------------------------------------------


def meeting_follow(*, user: User, meeting: Meeting, remind_minutes_before: int | None = None) -> MeetingFollow:
    if remind_minutes_before is not None and not 5 <= remind_minutes_before <= 24 * 60:
        raise ValidationError({"remind_minutes_before": _("Choose between 5 minutes and a day.")})
    follow, created = MeetingFollow.objects.get_or_create(
        user=user, meeting=meeting, defaults={"remind_minutes_before": remind_minutes_before}
    )
    if not created and follow.remind_minutes_before != remind_minutes_before:
        follow.remind_minutes_before = remind_minutes_before
        follow.save(update_fields=["remind_minutes_before"])
    return follow


def meeting_unfollow(*, user: User, meeting: Meeting) -> None:
    MeetingFollow.objects.filter(user=user, meeting=meeting).delete()


def attendance_record(
    *, user: User, meeting: Meeting, occurrence: dt.date, recorded_by: User, now: dt.datetime | None = None
) -> AttendanceRecord:
    """Self check-in (recorded_by is the member) or the facilitator's roster. One record per
    meeting day; recording twice is harmless."""
    now = now or timezone.now()
    local_today = now.astimezone(zone_named(meeting.time_zone)).date()
    if occurrence > local_today:
        raise ValidationError({"occurrence": _("You can record attendance on the day of the meeting or after.")})
    if occurrence < local_today - dt.timedelta(days=60):
        raise ValidationError({"occurrence": _("Choose a day in the last 60 days.")})
    if meeting.day is not None and schedule.feed_day(occurrence) != meeting.day:
        raise ValidationError({"occurrence": _("This meeting does not happen on that day of the week.")})
    try:
        with transaction.atomic():
            record, _created = AttendanceRecord.objects.get_or_create(
                user=user,
                meeting=meeting,
                occurrence=occurrence,
                defaults={"recorded_by": recorded_by, "created_at": now},
            )
    except IntegrityError:
        record = AttendanceRecord.objects.get(user=user, meeting=meeting, occurrence=occurrence)
    return record


def calendar_token_issue(*, user: User) -> str:
    """A new secret for the member's private calendar feed; the old link stops working."""
    raw = new_secret()
    CalendarToken.objects.update_or_create(user=user, defaults={"token_hash": secret_hash(raw)})
    return raw


# --- change requests ---------------------------------------------------------------------------


def change_request_submit(
    *, meeting: Meeting, message: str, contact: str = "", submitted_by: User | None = None
) -> ChangeRequest:
    message = message.strip()
    if len(message) < 5:
        raise ValidationError({"message": _("Say what should change, for example the new time or address.")})
    return ChangeRequest.objects.create(
        meeting=meeting, message=message[:2000], contact=contact.strip()[:200], submitted_by=submitted_by
    )


def change_request_review(*, request: ChangeRequest, reviewer: User, applied: bool, note: str = "") -> ChangeRequest:
    if request.status != ChangeStatus.OPEN:
        raise ValidationError(_("This request was already reviewed."))
    request.status = ChangeStatus.APPLIED if applied else ChangeStatus.DECLINED
    request.reviewed_by, request.reviewed_at, request.review_note = reviewer, timezone.now(), note.strip()[:300]
    request.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return request


# --- relocation ----------------------------------------------------------------------------------

RELOCATION_CHECKLIST = (
    "meetings_found",
    "online_meeting_chosen",
    "peer_introduced",
    "plan_updated",
    "crisis_lines_saved",
    "first_meeting_attended",
)


def relocation_plan(
    *,
    user: User,
    place: gazetteer.Place,
    move_on: dt.date,
    program: Program | None = None,
    handoff_consent: bool = False,
) -> Relocation:
    """Start (or replace) the member's plan for a move."""
    if move_on < timezone.now().date() - dt.timedelta(days=90):
        raise ValidationError({"move_on": _("Choose a date from the last three months or in the future.")})
    with transaction.atomic():
        Relocation.objects.filter(user=user, cancelled_at__isnull=True).update(cancelled_at=timezone.now())
        relocation = Relocation.objects.create(
            user=user,
            program=program,
            place_label=place.label[:200],
            latitude=place.latitude,
            longitude=place.longitude,
            time_zone=place.timezone,
            move_on=move_on,
            checklist=dict.fromkeys(RELOCATION_CHECKLIST, False),
            handoff_consent=handoff_consent,
        )
        if handoff_consent and program is not None:
            _ask_peers_for_handoff(relocation, program)
    return relocation


def _ask_peers_for_handoff(relocation: Relocation, program: Program) -> None:
    """Tell the member's current peer(s) that a hand-off note is wanted. The email names the
    member only by handle and links behind sign-in."""
    links = CareTeamLink.objects.filter(
        program=program, member=relocation.user, relation=CareRelation.PEER, ended_at__isnull=True
    ).select_related("supporter")
    url = settings.SITE_URL + reverse("relocation_handoff", args=[program.slug, relocation.user_id])
    for link in links:
        peer = link.supporter
        with translation.override(peer.preferred_language or program.default_language):
            accounts_services.email_queue(
                to=peer.email,
                subject=_("%(handle)s is moving and asked you for a hand-off note")
                % {"handle": relocation.user.display_name},
                body_text=_(
                    "%(handle)s plans to move around %(date)s and said you may write a note for the peer who will "
                    "walk with them there.\n\nWrite it here: %(url)s"
                )
                % {"handle": relocation.user.display_name, "date": relocation.move_on.isoformat(), "url": url},
                key=f"relocation-handoff:{relocation.pk}:{peer.pk}",
            )


def relocation_check(*, relocation: Relocation, user: User, item: str, done: bool) -> Relocation:
    if relocation.user_id != user.pk:
        raise PermissionDenied
    if item not in RELOCATION_CHECKLIST:
        raise ValidationError(_("Unknown checklist item."))
    relocation.checklist = {**relocation.checklist, item: done}
    relocation.save(update_fields=["checklist"])
    return relocation


def relocation_cancel(*, relocation: Relocation, user: User) -> None:
    if relocation.user_id != user.pk:
        raise PermissionDenied
    relocation.cancelled_at = timezone.now()
    relocation.save(update_fields=["cancelled_at"])


def relocation_handoff(*, relocation: Relocation, peer: User, note: str) -> Relocation:
    """The member's current peer writes what the next peer should know. Only with the
    member's consent, and only by a peer who walks with them (checked by the caller's
    selector)."""
    if not relocation.handoff_consent:
        raise PermissionDenied
    note = note.strip()
    if not note:
        raise ValidationError({"handoff_note": _("Write a few words for the next peer.")})
    relocation.handoff_note, relocation.handoff_written_by = note[:4000], peer
    relocation.save(update_fields=["handoff_note", "handoff_written_by"])
    return relocation


# --- limits on anonymous change requests ---------------------------------------------------

CHANGE_REQUEST_LIMITS = {"anonymous": (5, 3600), "signed_in": (20, 3600)}  # (requests, seconds)


def change_request_allowance_use(*, who: str, signed_in: bool) -> bool:
    """Count one change request against the sender (an IP address for someone not signed
    in, else their user id); False once the hour's allowance is used up.

    The form is open to anyone, so without a limit it is an easy way to flood a program's
    admins. A cache counter (shared across processes when Redis is configured) is enough:
    this slows abuse, it does not have to be exact.
    """
    from django.core.cache import cache

    limit, window = CHANGE_REQUEST_LIMITS["signed_in" if signed_in else "anonymous"]
    key = f"meetings:change-request:{'u' if signed_in else 'ip'}:{hashlib.sha256(who.encode()).hexdigest()[:32]}"
    # add() starts the window only when there is no counter yet; incr() keeps its expiry.
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


# --- import runs: an admin's upload or URL, handed to a worker -------------------------------------

# The raw feed is not stored on the run (it can be 20 MB): an upload waits in
# DATA_DIR/imports/<run id>.json until its import is over; a URL is fetched by the worker.


def _uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def _upload_path(run: ImportRun) -> Path:
    return _uploads_dir() / f"{run.pk}.json"


def feed_source_save(*, program: Program, name: str, url: str, refresh_hours: int) -> FeedSource:
    """Create or update the program's source of that name (names are unique per program)."""
    source, _created = FeedSource.objects.update_or_create(
        program=program, name=name[:120], defaults={"url": url, "refresh_hours": refresh_hours}
    )
    return source


def import_run_fail(*, run: ImportRun, message: str) -> None:
    run.status, run.error, run.finished_at = ImportStatus.FAILED, message[:2000], timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])


def import_start(
    *,
    program: Program,
    label: str,
    started_by: User | None,
    data: bytes | None = None,
    url: str = "",
    source: FeedSource | None = None,
) -> ImportRun:
    """Record a run and hand the feed (an upload's bytes, or a URL) to a worker."""
    if (data is None) == (not url):
        raise ValueError("give either the feed's bytes or its URL")
    run = ImportRun.objects.create(program=program, source=source, label=label[:200], started_by=started_by)
    path = ""
    if data is not None:
        target = _upload_path(run)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        path = str(target)
    # After commit: a worker must find the run it is given.
    from alongside.meetings.tasks import import_meetings_task

    transaction.on_commit(lambda: import_meetings_task.enqueue(run_id=run.pk, path=path, url=url))
    return run


def import_run_execute(*, run_id: int, path: str = "", url: str = "", allow_private: bool = False) -> str:
    """Fetch (or read) the feed of a run and import it; a run that is already over is
    left alone, so a retried job does nothing twice."""
    run = ImportRun.objects.select_related("program", "source", "started_by").filter(pk=run_id).first()
    upload = Path(path) if path else None
    if upload is not None and not upload.resolve().is_relative_to(_uploads_dir().resolve()):
        raise ValueError("an import reads only files saved by the import page")
    try:
        if run is None or run.status != ImportStatus.RUNNING:
            return "nothing to do"
        try:
            raw = read_feed_file(upload) if upload is not None else fetch_feed(url, allow_private=allow_private)
        except FetchError as error:
            import_run_fail(run=run, message=str(error))
            return f"failed: {error}"
        try:
            summary = meetings_import(
                program=run.program, raw=raw, label=run.label, source=run.source, started_by=run.started_by, run=run
            )
        except Exception:
            # The admin page polls until the run is over; a bug must not leave it spinning.
            logger.exception("meetings import %s failed", run.pk)
            import_run_fail(run=run, message=_("The import stopped because of an error on our side. Try again later."))
            raise
        return summary.error or summary.line()
    finally:
        if upload is not None:
            upload.unlink(missing_ok=True)


# --- scheduled re-import -----------------------------------------------------------------------------

# A source whose import failed is tried again after this long, not on every cron run.
RETRY_AFTER = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Refreshed:
    source: FeedSource
    run: ImportRun
    outcome: str


def meetings_refresh_due(now: dt.datetime | None = None) -> list[Refreshed]:
    """Re-import every source with a URL whose last import is older than its
    ``refresh_hours`` (0 = never). A source that was tried within the last hour is not
    tried again yet, so a broken feed is not fetched on every cron run."""
    now = now or timezone.now()
    done: list[Refreshed] = []
    sources = FeedSource.objects.exclude(url="").filter(refresh_hours__gt=0).select_related("program")
    for source in sources.order_by("pk"):
        if source.last_imported_at and source.last_imported_at > now - dt.timedelta(hours=source.refresh_hours):
            continue
        if ImportRun.objects.filter(source=source, started_at__gt=now - RETRY_AFTER).exists():
            continue
        run = ImportRun.objects.create(
            program=source.program, source=source, label=source.url[:200], started_at=now, started_by=None
        )
        outcome = import_run_execute(run_id=run.pk, url=source.url)
        run.refresh_from_db()
        done.append(Refreshed(source=source, run=run, outcome=outcome))
    return done


# --- reminders before followed meetings ----------------------------------------------------------


def meeting_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Email a reminder for each followed meeting that starts within the follower's chosen
    lead time. Idempotent per person, meeting and day, so the sweep can run every few
    minutes; a meeting that is not meeting right now sends nothing."""
    now = now or timezone.now()
    sent = 0
    # Only meetings on the days around today (in any zone) can start within a day.
    days = {schedule.feed_day((now + dt.timedelta(days=shift)).date()) for shift in (-1, 0, 1)}
    follows = (
        MeetingFollow.objects.filter(remind_minutes_before__isnull=False, meeting__day__in=days, user__is_active=True)
        .exclude(meeting__attendance_option=Attendance.INACTIVE)
        .select_related("meeting", "user")
    )
    for follow in follows:
        meeting, person = follow.meeting, follow.user
        zone = zone_named(meeting.time_zone)
        starts = schedule.next_start(meeting.day, meeting.start_time, zone, now=now)
        lead = dt.timedelta(minutes=follow.remind_minutes_before or 0)
        if starts is None or not (starts - lead <= now < starts):
            continue
        try:
            with transaction.atomic():
                MeetingReminderSent.objects.create(user=person, meeting=meeting, occurrence=starts.date(), sent_at=now)
                url = settings.SITE_URL + reverse("meeting_detail", args=[meeting.pk])
                with translation.override(person.preferred_language or "en"):
                    accounts_services.email_queue(
                        to=person.email,
                        subject=_("%(name)s starts at %(time)s")
                        % {"name": meeting.name, "time": starts.strftime("%H:%M")},
                        body_text=_(
                            "A reminder you asked for: %(name)s starts at %(time)s (%(zone)s time).\n\n%(url)s\n\n"
                            "You can change or turn off this reminder on the meeting's page."
                        )
                        % {
                            "name": meeting.name,
                            "time": starts.strftime("%H:%M"),
                            "zone": meeting.time_zone,
                            "url": url,
                        },
                        key=f"meeting-reminder:{person.pk}:{meeting.pk}:{starts.date().isoformat()}",
                    )
        except IntegrityError:
            continue
        sent += 1
    return sent

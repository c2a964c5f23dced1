"""Forms for peer profiles, credentials, CE hours, training and references.

File fields run the content checks of ``files.py`` in ``clean_<field>`` and leave a
``CheckedFile`` in ``cleaned_data``; a rejected file is an error on its field and the rest
of what the person typed is shown again (a browser cannot refill a file input, so the
error asks them to choose the file again).

Forms of peer work. Choices that depend on the program (its peers, a member's shared
goals) are passed in by the view from a selector, never queried here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.lib.forms import DateInput, TimeInput
from alongside.peers import files
from alongside.peers.models import (
    AVAILABILITY_SLOTS,
    DAY_PARTS,
    ENCOUNTER_TOPICS,
    LIVED_EXPERIENCE,
    SUPERVISION_TOPICS,
    WEEKDAYS,
    AgeRange,
    CallOutcome,
    CredentialKind,
    EncounterMode,
    Gender,
    PeerProgramSettings,
    SupervisionFormat,
)
from alongside.recovery.models import COMMON_SUBSTANCES, Pathway

# === profiles ========================================================================

LANGUAGE_CHOICES = [("en", _("English")), ("es", _("Spanish"))]
SUBSTANCE_CHOICES = [(value, label) for value, label in COMMON_SUBSTANCES if value != "other"]
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"
DOCUMENT_ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


def split_words(value: str) -> list[str]:
    return [word.strip() for word in value.replace(";", ",").split(",") if word.strip()]


def _hours_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=Decimal("9999.9"),
        max_digits=5,
        decimal_places=1,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


@dataclass(frozen=True)
class SlotCell:
    value: str
    label: str
    checked: bool
    id: str


@dataclass(frozen=True)
class DayRow:
    label: str
    cells: list[SlotCell]


class PeerProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Name members see"),
        max_length=80,
        help_text=_("A first name and an initial is plenty, for example “Sam O.”."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
        help_text=_("A JPEG, PNG or WebP image up to 2 MB. Members of your program see it on your card."),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    story = forms.CharField(
        label=_("Your story, in your own words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you would like someone early in recovery to know about you. Share only what you want to."),
    )
    lived_experience = forms.MultipleChoiceField(
        label=_("Lived experience you are open about"),
        choices=LIVED_EXPERIENCE,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_experience = forms.CharField(
        label=_("Other lived experience (optional)"),
        required=False,
        max_length=300,
        help_text=_("In your own words, separated by commas."),
    )
    substances = forms.MultipleChoiceField(
        label=_("Substances or behaviours in your own recovery"),
        choices=SUBSTANCE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_substances = forms.CharField(
        label=_("Something else (optional)"), required=False, max_length=200, help_text=_("Separate with commas.")
    )
    pathways = forms.MultipleChoiceField(
        label=_("Your recovery pathways"), choices=Pathway.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you support people in"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_languages = forms.CharField(
        label=_("Other languages (optional)"),
        required=False,
        max_length=100,
        help_text=_("Language codes or names, separated by commas, for example “vi, tl” or “ASL”."),
    )
    gender = forms.ChoiceField(
        label=_("Gender (private)"),
        choices=[("", _("Prefer not to say")), *Gender.choices],
        required=False,
        help_text=_("Not shown on your card; used only when a member asks for a peer of a particular gender."),
    )
    age_range = forms.ChoiceField(
        label=_("Age range (private)"),
        choices=[("", _("Prefer not to say")), *AgeRange.choices],
        required=False,
        help_text=_("Not shown on your card."),
    )
    city = forms.CharField(
        label=_("City"),
        required=False,
        max_length=120,
        help_text=_("City and state, for example “Santa Ana, CA”. Members see the city; your address is never asked."),
    )
    meets_in_person = forms.BooleanField(label=_("I meet in person"), required=False)
    meets_remotely = forms.BooleanField(label=_("I meet by phone or video"), required=False)
    availability = forms.MultipleChoiceField(
        label=_("When I am usually free"),
        choices=[(slot, slot) for slot in AVAILABILITY_SLOTS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=_("Most people I can walk with at once"),
        min_value=0,
        max_value=60,
        help_text=_("Your program's admin may adjust this with you."),
    )
    accepting_new = forms.BooleanField(label=_("I can take on someone new"), required=False)

    def clean_photo(self) -> files.CheckedFile | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return files.check_photo(upload)
        except ValidationError as error:
            raise ValidationError(
                [*error.messages, _("Nothing else was saved yet: fix this and save again.")]
            ) from None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("meets_in_person") and not data.get("meets_remotely"):
            self.add_error("meets_remotely", _("Choose at least one way to meet: in person, or by phone or video."))
        return data

    def lived_experience_list(self) -> list[str]:
        return [*self.cleaned_data["lived_experience"], *split_words(self.cleaned_data["other_experience"])]

    def substance_list(self) -> list[str]:
        return [*self.cleaned_data["substances"], *split_words(self.cleaned_data["other_substances"])]

    def language_list(self) -> list[str]:
        return [*self.cleaned_data["languages"], *split_words(self.cleaned_data["other_languages"])]

    def availability_grid(self) -> list[DayRow]:
        """The weekly grid: a row per day, a checkbox per part of the day."""
        chosen = set(self["availability"].value() or [])
        prefix = self["availability"].auto_id or "id_availability"
        return [
            DayRow(
                label=str(day_label),
                cells=[
                    SlotCell(
                        value=f"{day}-{part}",
                        label=f"{day_label} {str(part_label).lower()}",
                        checked=f"{day}-{part}" in chosen,
                        id=f"{prefix}_{day}_{part}",
                    )
                    for part, part_label in DAY_PARTS
                ],
            )
            for day, day_label in WEEKDAYS
        ]

    @staticmethod
    def day_parts() -> list[str]:
        return [str(label) for _value, label in DAY_PARTS]


def profile_initial(profile: Any) -> dict[str, Any]:
    known_experience = {value for value, _label in LIVED_EXPERIENCE}
    known_substances = {value for value, _label in SUBSTANCE_CHOICES}
    known_languages = {value for value, _label in LANGUAGE_CHOICES}
    return {
        "display_name": profile.display_name,
        "story": profile.story,
        "lived_experience": [t for t in profile.lived_experience if t in known_experience],
        "other_experience": ", ".join(t for t in profile.lived_experience if t not in known_experience),
        "substances": [t for t in profile.substances if t in known_substances],
        "other_substances": ", ".join(t for t in profile.substances if t not in known_substances),
        "pathways": profile.pathways,
        "languages": [t for t in profile.languages if t in known_languages],
        "other_languages": ", ".join(t for t in profile.languages if t not in known_languages),
        "gender": profile.gender,
        "age_range": profile.age_range,
        "city": profile.city,
        "meets_in_person": profile.meets_in_person,
        "meets_remotely": profile.meets_remotely,
        "availability": profile.availability,
        "capacity": profile.capacity,
        "accepting_new": profile.accepting_new,
    }


class PeerAdminForm(forms.Form):
    capacity = forms.IntegerField(label=_("Most people this peer walks with at once"), min_value=0, max_value=60)
    accepting_new = forms.BooleanField(label=_("Taking on new members"), required=False)
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No supervisor yet"),
    )

    def __init__(self, *args: Any, supervisors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["supervisor"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = supervisors
        field.label_from_instance = lambda user: user.display_name  # type: ignore[method-assign,assignment]


class CredentialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=CredentialKind.choices)
    title = forms.CharField(
        label=_("Name of the credential"),
        required=False,
        max_length=120,
        help_text=_("Needed for a state certification or another credential, as it appears on the certificate."),
    )
    issuer = forms.CharField(label=_("Issued by"), max_length=120)
    jurisdiction = forms.CharField(label=_("State or jurisdiction (optional)"), required=False, max_length=80)
    number = forms.CharField(label=_("Credential number (optional)"), required=False, max_length=60)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput)
    expires_on = forms.DateField(
        label=_("Expires on (optional)"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty if it does not expire."),
    )
    ce_hours_required = _hours_field(
        _("Continuing-education hours needed to renew"),
        required=False,
        help_text=_("Leave empty or 0 if none are needed."),
    )
    ce_ethics_hours_required = _hours_field(
        _("Of which ethics hours"), required=False, help_text=_("Part of the total above.")
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
        help_text=_(
            "A PDF, JPEG or PNG up to 5 MB: a scan or photo of the certificate or a letter. "
            "Only you and your program's admins can open it."
        ),
    )

    def clean_ce_hours_required(self) -> Decimal:
        return self.cleaned_data.get("ce_hours_required") or Decimal(0)

    def clean_ce_ethics_hours_required(self) -> Decimal:
        return self.cleaned_data.get("ce_ethics_hours_required") or Decimal(0)

    def clean_evidence(self) -> files.CheckedFile | None:
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        try:
            return files.check_document(upload)
        except ValidationError as error:
            raise ValidationError([*error.messages, _("Nothing was saved yet: fix this and save again.")]) from None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("The expiry date must be on or after the issue date."))
        total, ethics = data.get("ce_hours_required"), data.get("ce_ethics_hours_required")
        if total is not None and ethics is not None and ethics > total:
            self.add_error(
                "ce_ethics_hours_required", _("Ethics hours are part of the total, so they cannot be more than it.")
            )
        if data.get("kind") in (CredentialKind.OTHER, CredentialKind.STATE) and not data.get("title", "").strip():
            self.add_error("title", _("Write the name of the credential, as it appears on the certificate."))
        return data


def credential_initial(credential: Any) -> dict[str, Any]:
    return {
        "kind": credential.kind,
        "title": credential.title,
        "issuer": credential.issuer,
        "jurisdiction": credential.jurisdiction,
        "number": credential.number,
        "issued_on": credential.issued_on,
        "expires_on": credential.expires_on,
        "ce_hours_required": credential.ce_hours_required,
        "ce_ethics_hours_required": credential.ce_ethics_hours_required,
    }


class ContinuingEducationForm(forms.Form):
    title = forms.CharField(label=_("Course or activity"), max_length=160)
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput)
    hours = _hours_field(_("Hours"))
    ethics_hours = _hours_field(_("Of which ethics hours"), required=False, help_text=_("0 if none."))

    def clean_ethics_hours(self) -> Decimal:
        return self.cleaned_data.get("ethics_hours") or Decimal(0)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        hours, ethics = data.get("hours"), data.get("ethics_hours")
        if hours is not None and hours <= 0:
            self.add_error("hours", _("Enter the hours, more than 0 (for example 1.5)."))
        elif hours is not None and ethics is not None and ethics > hours:
            self.add_error("ethics_hours", _("Ethics hours are part of the hours, so they cannot be more than them."))
        return data


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("Course"), max_length=160)
    provider = forms.CharField(label=_("Provider (optional)"), required=False, max_length=120)
    hours = _hours_field(_("Hours"))
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput)
    certificate = forms.FileField(
        label=_("Certificate (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
        help_text=_("A PDF, JPEG or PNG up to 5 MB. Only you and your program's admins can open it."),
    )
    remove_certificate = forms.BooleanField(label=_("Remove the certificate"), required=False)

    def clean_hours(self) -> Decimal:
        hours = self.cleaned_data["hours"]
        if hours <= 0:
            raise ValidationError(_("Enter the hours, more than 0 (for example 2 or 1.5)."))
        return hours

    def clean_certificate(self) -> files.CheckedFile | None:
        upload = self.cleaned_data.get("certificate")
        if not upload:
            return None
        try:
            return files.check_document(upload)
        except ValidationError as error:
            raise ValidationError([*error.messages, _("Nothing was saved yet: fix this and save again.")]) from None


class ReferenceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    relationship = forms.CharField(
        label=_("Relationship"), max_length=120, help_text=_("For example “former supervisor” or “sponsor”.")
    )
    contact = forms.CharField(label=_("Phone or email"), max_length=160)
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


# === work ============================================================================

SCALE_ENERGY = [
    (1, _("1 · Running on empty")),
    (2, _("2 · Low")),
    (3, _("3 · Okay")),
    (4, _("4 · Good")),
    (5, _("5 · Full of energy")),
]
SCALE_STRESS = [
    (1, _("1 · Calm")),
    (2, _("2 · A little")),
    (3, _("3 · Some")),
    (4, _("4 · A lot")),
    (5, _("5 · Overwhelmed")),
]


class PeerProgramSettingsForm(forms.ModelForm):
    class Meta:
        model = PeerProgramSettings
        fields = [
            "supervision_minutes",
            "supervision_every_days",
            "credentials_required",
            "match_max_distance_km",
            "missed_calls_alert_after",
        ]
        help_texts = {
            "supervision_minutes": _("For example 60 minutes every 14 days. From 15 to 600 minutes."),
            "supervision_every_days": _("From 1 to 120 days."),
            "missed_calls_alert_after": _("From 2 to 10. Voicemails count as not reached."),
        }


class SupervisionForm(forms.Form):
    peers = forms.TypedMultipleChoiceField(
        label=_("Who took part"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose who took part.")},
    )
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"),
        min_value=5,
        max_value=600,
        error_messages={"min_value": _("At least 5 minutes."), "max_value": _("At most 600 minutes.")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=SupervisionFormat.choices,
        widget=forms.RadioSelect,
        help_text=_("An individual session is with exactly one peer."),
    )
    topics = forms.MultipleChoiceField(
        label=_("What you talked about"),
        choices=SUPERVISION_TOPICS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Everyone who attended a group session can read its notes."),
    )
    follow_ups = forms.CharField(
        label=_("Follow-ups"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, peer_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peers"].choices = peer_choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("format") == SupervisionFormat.INDIVIDUAL and len(data.get("peers") or []) > 1:
            self.add_error(
                "peers", _("An individual session is with one peer. Choose one, or mark it as a group session.")
            )
        return data


class SelfCareForm(forms.Form):
    energy = forms.TypedChoiceField(
        label=_("How is your energy?"), choices=SCALE_ENERGY, coerce=int, widget=forms.RadioSelect
    )
    stress = forms.TypedChoiceField(
        label=_("How much stress are you carrying?"), choices=SCALE_STRESS, coerce=int, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anything on your mind (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shared_with_supervisor = forms.BooleanField(label=_("Share this check with my supervisor"), required=False)


class EncounterForm(forms.Form):
    """A contact note. Times are in the peer's own zone; the view makes them aware."""

    occurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    occurred_time = forms.TimeField(label=_("Time"), widget=TimeInput)
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"),
        min_value=1,
        max_value=600,
        error_messages={"min_value": _("At least 1 minute."), "max_value": _("At most 600 minutes.")},
    )
    mode = forms.ChoiceField(label=_("How you were in touch"), choices=EncounterMode.choices, widget=forms.RadioSelect)
    topics = forms.MultipleChoiceField(
        label=_("What you talked about"),
        choices=ENCOUNTER_TOPICS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals = forms.TypedMultipleChoiceField(
        label=_("Their goals you touched on"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the goals they share with you."),
    )
    referrals = forms.CharField(
        label=_("Referrals made"),
        required=False,
        max_length=500,
        help_text=_("For example a meeting, a housing service or a clinic."),
    )
    summary = forms.CharField(
        label=_("What you talked about, in a few lines"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Peer support notes are non-clinical: write what happened and what comes next in everyday words. "
            "No diagnoses or clinical assessments."
        ),
    )
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    follow_up_on = forms.DateField(
        label=_("Follow up on (optional)"),
        required=False,
        widget=DateInput,
        help_text=_("You get a reminder by email that morning."),
    )

    def __init__(self, *args: Any, goal_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if goal_choices:
            self.fields["goals"].choices = goal_choices  # type: ignore[attr-defined]
        else:
            del self.fields["goals"]

    def occurred_at(self, zone: dt.tzinfo) -> dt.datetime:
        """The contact's moment, read as wall time in the peer's zone."""
        naive = dt.datetime.combine(self.cleaned_data["occurred_on"], self.cleaned_data["occurred_time"])
        return naive.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone)


class CallPlanForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=[(index, label) for index, (_code, label) in enumerate(WEEKDAYS)],
        coerce=int,
    )
    call_time = forms.TimeField(label=_("Time"), widget=TimeInput, help_text=_("In your own time zone."))
    phone = forms.CharField(
        label=_("Number to call"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    voicemail_ok = forms.BooleanField(
        label=_("My peer may leave a voicemail if I do not answer"),
        required=False,
        help_text=_("Leave this unticked if someone else might hear your messages."),
    )


class CallRecordForm(forms.Form):
    outcome = forms.ChoiceField(choices=CallOutcome.choices)
    note = forms.CharField(required=False, max_length=300)


# === matching ========================================================================

PEER_GENDER_CHOICES = [
    ("", _("Anyone")),
    (Gender.WOMAN.value, _("A woman")),
    (Gender.MAN.value, _("A man")),
    (Gender.NON_BINARY.value, _("A non-binary person")),
]
OWN_GENDER_CHOICES = [("", _("I'd rather not say")), *Gender.choices]
AGE_CHOICES = [("", _("I'd rather not say")), *AgeRange.choices]
_PARTS = dict(DAY_PARTS)


class MatchPreferencesForm(forms.Form):
    looking = forms.BooleanField(label=_("I would like a peer supporter"), required=False)
    peer_gender_preference = forms.ChoiceField(
        label=_("I would feel most comfortable with"),
        choices=PEER_GENDER_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Only peers who fit are suggested. “Anyone” gives you the most choice."),
    )
    gender = forms.ChoiceField(label=_("My gender"), choices=OWN_GENDER_CHOICES, required=False)
    age_range = forms.ChoiceField(
        label=_("My age range"),
        choices=AGE_CHOICES,
        required=False,
        help_text=_("Used only to suggest peers close in age; no one sees it."),
    )
    lived_experience_wanted = forms.MultipleChoiceField(
        label=_("Lived experience that matters to me"),
        choices=LIVED_EXPERIENCE,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Peers who share it come first. Choose none if it does not matter."),
    )
    city = forms.CharField(
        label=_("Where I live (city)"),
        max_length=120,
        required=False,
        help_text=_("For example “Santa Ana, CA”. Used to suggest peers nearby; peers see only your handle."),
    )
    remote_ok = forms.BooleanField(label=_("Phone or video is fine for me"), required=False)
    availability = forms.MultipleChoiceField(
        label=_("When I am usually free"),
        choices=[(slot, slot) for slot in AVAILABILITY_SLOTS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def availability_grid(self) -> list[dict[str, Any]]:
        """The week as seven fieldsets of three checkboxes, keeping what was ticked (also
        when the form comes back with an error)."""
        chosen = set(self["availability"].value() or [])
        return [
            {
                "day": day_label,
                "code": day,
                "slots": [
                    {
                        "value": f"{day}-{part}",
                        "label": part_label,
                        "id": f"id_availability_{day}_{part}",
                        "checked": f"{day}-{part}" in chosen,
                    }
                    for part, part_label in DAY_PARTS
                ],
            }
            for day, day_label in WEEKDAYS
        ]


class MatchRequestForm(forms.Form):
    message = forms.CharField(
        label=_("A note for the peer (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only this peer reads it. A line about what you hope for is plenty."),
    )
    replace = forms.BooleanField(label=_("Yes, withdraw my waiting request and ask this peer instead"), required=False)


class AdminMatchRequestForm(forms.Form):
    peer = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    message = forms.CharField(
        label=_("A note for the peer (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    replace = forms.BooleanField(label=_("Replace the member's waiting request"), required=False)


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("A private note (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For you and the program's admins. The member is never shown it."),
    )


class ExclusionForm(forms.Form):
    member = forms.CharField(label=_("Member's handle"), max_length=30)
    peer = forms.CharField(label=_("Peer supporter's handle"), max_length=30)
    reason = forms.CharField(
        label=_("Why (private to admins, optional)"),
        max_length=200,
        required=False,
        help_text=_("For example “they used together” or “family”."),
    )

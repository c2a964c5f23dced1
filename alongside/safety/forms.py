from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.safety.models import ContactPreference, CrisisResource, SafetySettings


class SupportDetailsForm(forms.Form):
    message = forms.CharField(
        label=_("Anything you want them to know? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_preference = forms.ChoiceField(
        label=_("How should they reach you?"),
        choices=ContactPreference.choices,
        widget=forms.RadioSelect,
        required=False,
    )


class CrisisResourceForm(forms.ModelForm):
    url = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = CrisisResource
        fields = ["name", "summary", "phone", "sms", "sms_body", "url", "hours", "steps", "language", "order"]
        widgets = {"steps": forms.Textarea(attrs={"rows": 4}), "summary": forms.Textarea(attrs={"rows": 2})}

    def clean(self) -> dict:
        data = super().clean() or {}
        if not (data.get("phone") or data.get("sms") or data.get("url")):
            raise forms.ValidationError(_("Give at least a phone number, a number to text or a website."))
        return data


class SafetySettingsForm(forms.ModelForm):
    class Meta:
        model = SafetySettings
        fields = ["crisis_window_minutes", "concern_window_minutes"]

    def clean_crisis_window_minutes(self) -> int:
        value = self.cleaned_data["crisis_window_minutes"]
        if not 1 <= value <= 240:
            raise forms.ValidationError(_("Use 1 to 240 minutes: a crisis cannot wait longer."))
        return value

    def clean_concern_window_minutes(self) -> int:
        value = self.cleaned_data["concern_window_minutes"]
        if not 1 <= value <= 7 * 24 * 60:
            raise forms.ValidationError(_("Use 1 minute to 7 days (10080 minutes)."))
        return value


class OnCallShiftForm(forms.Form):
    person = forms.ChoiceField(label=_("Who"))
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    def __init__(self, *args, people: list[tuple[int, str]], time_zone: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(str(pk), label) for pk, label in people]  # type: ignore[attr-defined]
        self.zone = zoneinfo.ZoneInfo(time_zone)
        help_text = _("In the program's time zone (%(zone)s).") % {"zone": time_zone}
        self.fields["starts_at"].help_text = help_text
        self.fields["ends_at"].help_text = help_text

    def _in_program_zone(self, value: dt.datetime) -> dt.datetime:
        # The browser sends a wall-clock time; it means the program's local time.
        if timezone.is_aware(value):
            value = timezone.make_naive(value, timezone.get_current_timezone())
        return value.replace(tzinfo=self.zone)

    def clean_starts_at(self) -> dt.datetime:
        return self._in_program_zone(self.cleaned_data["starts_at"])

    def clean_ends_at(self) -> dt.datetime:
        return self._in_program_zone(self.cleaned_data["ends_at"])

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The shift must end after it starts."))
        return data


class AlertNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    contacted = forms.BooleanField(label=_("I have been in touch with the person"), required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        if not data.get("note", "").strip() and not data.get("contacted"):
            raise forms.ValidationError(_("Write a note, or tick that you have been in touch."))
        return data


class AlertResolveForm(forms.Form):
    outcome_note = forms.CharField(
        label=_("What happened? (needed to resolve)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: talked by phone, they are safe with family tonight; follow-up call tomorrow."),
    )

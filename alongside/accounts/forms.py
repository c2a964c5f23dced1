from __future__ import annotations

import zoneinfo

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import ConsentScope, Role, User


class HandleForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["handle"]
        labels = {"handle": _("Your display handle")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handle"].required = True
        self.fields["handle"].widget.attrs.update({"autocomplete": "nickname", "autocapitalize": "none"})

    def validate_unique(self) -> None:
        # Uniqueness is checked case-insensitively by the service, with a kinder message.
        return


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


class ProgramForm(forms.Form):
    name = forms.CharField(label=_("Program name"), max_length=120)
    slug = forms.SlugField(
        label=_("Short name for links"),
        max_length=60,
        required=False,
        help_text=_("Letters, numbers and dashes. Leave empty to make one from the name."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices, initial="America/New_York")
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("name") and not data.get("slug"):
            data["slug"] = slugify(data["name"])[:60]
            if not data["slug"]:
                self.add_error("slug", _("Please type a short name using letters or numbers."))
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class ConsentForm(forms.Form):
    checkins_peer = forms.BooleanField(label=ConsentScope.CHECKINS_PEER.label, required=False)
    plan_peer = forms.BooleanField(label=ConsentScope.PLAN_PEER.label, required=False)
    assessments_peer = forms.BooleanField(label=ConsentScope.ASSESSMENTS_PEER.label, required=False)
    attendance_peer = forms.BooleanField(label=ConsentScope.ATTENDANCE_PEER.label, required=False)
    outcomes_deidentified = forms.BooleanField(label=ConsentScope.OUTCOMES_DEIDENTIFIED.label, required=False)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right. Type your current password to confirm."))
        return password

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.lib.forms import DateInput, TimeInput
from alongside.recovery import plan
from alongside.recovery.instruments import Instrument
from alongside.recovery.models import (
    COMMON_SUBSTANCES,
    STARTER_COPING,
    GoalStatus,
    Pathway,
    RecoverySettings,
    SupportWanted,
    Trigger,
)

MOOD_CHOICES = [
    (1, _("1 · Very low")),
    (2, _("2 · Low")),
    (3, _("3 · Okay")),
    (4, _("4 · Good")),
    (5, _("5 · Very good")),
]
SLEEP_CHOICES = [
    (1, _("1 · Very poor")),
    (2, _("2 · Poor")),
    (3, _("3 · Okay")),
    (4, _("4 · Good")),
    (5, _("5 · Very good")),
]
CRAVING_CHOICES = [(n, str(n)) for n in range(11)]
LANGUAGE_CHOICES = [("en", _("English")), ("es", _("Spanish")), ("other", _("Another language"))]


def _time_zone_choices() -> list[tuple[str, str]]:
    # UTC is the account default, so it must be a choice or the form would silently change it.
    return [("UTC", "UTC")] + [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


def _split_words(value: str) -> list[str]:
    return [word.strip() for word in value.replace(";", ",").split(",") if word.strip()]


class ProfileForm(forms.Form):
    recovery_started_on = forms.DateField(
        label=_("When did your recovery start?"),
        required=False,
        widget=DateInput,
        help_text=_("Leave it empty if you are not sure yet. You can add clocks for each substance later."),
    )
    substances = forms.MultipleChoiceField(
        label=_("What are you recovering from?"),
        choices=COMMON_SUBSTANCES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_substances = forms.CharField(
        label=_("In your own words (optional)"),
        required=False,
        max_length=200,
        help_text=_("Separate with commas."),
    )
    pathways = forms.MultipleChoiceField(
        label=_("Which pathways are part of your recovery?"),
        choices=Pathway.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you would like support in"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    support_wanted = forms.MultipleChoiceField(
        label=_("What support would help you most?"),
        choices=SupportWanted.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    support_note = forms.CharField(
        label=_("Anything else about the support you want (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    time_zone = forms.ChoiceField(label=_("Your time zone"), choices=_time_zone_choices)
    reminder_time = forms.TimeField(
        label=_("Remind me to check in at (optional)"),
        required=False,
        widget=TimeInput,
        help_text=_("We send one gentle email a day at this time if you have not checked in yet."),
    )

    def substance_list(self) -> list[str]:
        chosen = [value for value in self.cleaned_data["substances"] if value != "other"]
        return chosen + _split_words(self.cleaned_data["other_substances"])


class ClockForm(forms.Form):
    label = forms.CharField(
        label=_("What does this clock count?"), max_length=60, help_text=_("For example “Alcohol” or “Gambling”.")
    )
    started_on = forms.DateField(label=_("Since which day?"), widget=DateInput)
    start_time = forms.TimeField(
        label=_("At what time? (optional)"),
        required=False,
        widget=TimeInput,
        help_text=_("Leave empty to count from the start of that day."),
    )
    share_milestones = forms.BooleanField(
        label=_("Let me share milestones of this clock with my supporters"), required=False
    )


class ClockSettingsForm(forms.Form):
    label = forms.CharField(label=_("What does this clock count?"), max_length=60)
    share_milestones = forms.BooleanField(
        label=_("Let me share milestones of this clock with my supporters"), required=False
    )


class ReturnToUseForm(forms.Form):
    occurred_on = forms.DateField(label=_("Which day?"), widget=DateInput)
    restart = forms.TypedChoiceField(
        label=_("What would you like to do with this clock?"),
        choices=[
            ("1", _("Start a new count from the next day. The time you had stays in your history.")),
            ("0", _("Keep this clock counting. The day is noted in your history.")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("A note for yourself (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was going on, what you learned, what might help next time. Only you see this."),
    )


class CheckInForm(forms.Form):
    mood = forms.TypedChoiceField(
        label=_("How is your mood?"), choices=MOOD_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    craving = forms.TypedChoiceField(
        label=_("How strong are cravings? (0 none, 10 strongest)"),
        choices=CRAVING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    triggers = forms.MultipleChoiceField(
        label=_("Anything that got to you today?"),
        choices=Trigger.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    used_today = forms.BooleanField(label=_("I used today"), required=False)
    used_what = forms.CharField(label=_("What did you use? (optional)"), required=False, max_length=120)
    sleep_quality = forms.TypedChoiceField(
        label=_("How did you sleep? (optional)"),
        choices=SLEEP_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("One line about today (optional)"), required=False, max_length=280)
    wants_outreach = forms.BooleanField(label=_("I'd like my peer to reach out"), required=False)


class GoalCommentForm(forms.Form):
    text = forms.CharField(label=_("A word of encouragement"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RecoverySettingsForm(forms.ModelForm):
    class Meta:
        model = RecoverySettings
        fields = [
            "craving_alert_at",
            "missed_checkins_alert_after",
            "low_mood_days",
            "barc10_every_days",
            "phq9_enabled",
            "gad7_enabled",
        ]

    def clean_craving_alert_at(self) -> int:
        value = self.cleaned_data["craving_alert_at"]
        if not 1 <= value <= 10:
            raise forms.ValidationError(_("Choose a number from 1 to 10."))
        return value

    def clean_missed_checkins_alert_after(self) -> int:
        value = self.cleaned_data["missed_checkins_alert_after"]
        if not 2 <= value <= 30:
            raise forms.ValidationError(_("Choose a number from 2 to 30."))
        return value

    def clean_low_mood_days(self) -> int:
        value = self.cleaned_data["low_mood_days"]
        # The rule looks back two weeks, so a longer run could never be seen.
        if not 1 <= value <= 14:
            raise forms.ValidationError(_("Choose a number from 1 to 14."))
        return value

    def clean_barc10_every_days(self) -> int:
        value = self.cleaned_data["barc10_every_days"]
        if not 7 <= value <= 365:
            raise forms.ValidationError(_("Choose between 7 and 365 days."))
        return value


# --- goals, plan, journal ----------------------------------------------------------------

# Forms for a member's own goals, relapse-prevention plan and private journal.
#
# Fields mirror what the services accept; the services still validate (they are also
# called by the API), and the views show a service's ValidationError on the form.

# What each plan section is called and what it is for, shared by the form, the page,
# the PDF and the history, so one wording is translated once.
SECTION_TITLES: dict[str, Any] = {
    "warning_signs": _("My warning signs"),
    "triggers": _("My triggers"),
    "coping": _("What I can do instead"),
    "people": _("People I can call"),
    "places": _("Places I can go"),
    "reasons": _("My reasons for recovery"),
    "if_i_use": _("If I use"),
}
SECTION_HELP: dict[str, Any] = {
    "warning_signs": _("Changes in how I think, feel or act that tell me I may be at risk. One a line."),
    "triggers": _("People, places, feelings and situations that make using feel closer. One a line."),
    "coping": _("Things that help me get through a craving, in my own words. One a line."),
    "places": _("Safe places where I can go, such as a meeting, a friend's home or the library. One a line."),
    "reasons": _("Why my recovery matters to me. One a line."),
    "if_i_use": _(
        "What I will do if I return to use: who I will tell, how I will stay safe, how I will get back on track."
    ),
}

STEP_LIMIT = 20
# The plan form shows at least this many rows for people, and two spare ones once some
# are filled in, up to the plan's limit: enough to fill in on a phone without scripts.
PEOPLE_ROWS = 5
PEOPLE_SPARE = 2

_PHONE = re.compile(r"^[0-9+()./\- ]*$")


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Choose a date, or leave it empty.")},
        help_text=_("Optional."),
    )


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


# --- goals -------------------------------------------------------------------------------


class GoalForm(forms.Form):
    """A new goal, with its first steps if the member has some in mind."""

    title = forms.CharField(
        label=_("My goal"),
        max_length=160,
        error_messages={"required": _("Write the goal in a few words.")},
        widget=forms.TextInput(attrs={"placeholder": _("For example: go to 3 meetings a week")}),
    )
    why = forms.CharField(
        label=_("Why it matters to me"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional."),
    )
    target_date = _date_field(_("Target date"))
    steps = forms.CharField(
        label=_("Steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Optional. One step a line, such as “find a meeting near work”. "
            "With steps, progress follows the steps you tick; without them, you set it yourself."
        ),
    )
    shared_with_peer = forms.BooleanField(
        label=_("Share this goal with my peer, so they can cheer me on"), required=False
    )

    def clean_steps(self) -> list[str]:
        steps = _lines(self.cleaned_data["steps"])
        if len(steps) > STEP_LIMIT:
            raise forms.ValidationError(_("Keep a goal to 20 steps or fewer."))
        if any(len(step) > 160 for step in steps):
            raise forms.ValidationError(_("Keep each step to 160 characters or fewer."))
        return steps


class GoalEditForm(forms.Form):
    """Change a goal. Progress is set by hand only for a goal without steps."""

    title = forms.CharField(
        label=_("My goal"), max_length=160, error_messages={"required": _("Write the goal in a few words.")}
    )
    why = forms.CharField(
        label=_("Why it matters to me"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    target_date = _date_field(_("Target date"))
    status = forms.ChoiceField(label=_("Where it stands"), choices=GoalStatus.choices, widget=forms.RadioSelect)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "invalid": _("Write progress as a number from 0 to 100."),
            "required": _("Write progress as a number from 0 to 100."),
            "min_value": _("Write progress as a number from 0 to 100."),
            "max_value": _("Write progress as a number from 0 to 100."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )
    shared_with_peer = forms.BooleanField(
        label=_("Share this goal with my peer, so they can cheer me on"), required=False
    )

    def __init__(self, *args: Any, has_steps: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_steps:
            # Progress follows the ticked steps; a number here would only be overwritten.
            del self.fields["progress"]


class GoalStepForm(forms.Form):
    text = forms.CharField(
        label=_("Add a step"), max_length=160, error_messages={"required": _("Write the step in a few words.")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Shares the goal page with the note form: distinct ids keep each label on its own box.
        kwargs.setdefault("auto_id", "id_step_%s")
        super().__init__(*args, **kwargs)


class GoalStepSetForm(forms.Form):
    done = forms.TypedChoiceField(
        choices=[("1", _("Done")), ("0", _("Not done yet"))],
        coerce=lambda value: value == "1",
        error_messages={"required": _("Tick the step again."), "invalid_choice": _("Tick the step again.")},
    )


class GoalNoteForm(forms.Form):
    text = forms.CharField(
        label=_("A note for myself"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write a few words.")},
        help_text=_("Your peer sees your notes too when you share this goal."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)


# --- plan --------------------------------------------------------------------------------


def _section_field(section: str, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=SECTION_TITLES[section],
        required=False,
        help_text=SECTION_HELP[section],
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class PlanForm(forms.Form):
    """The plan's list sections as one-line-per-item text, which is quick to type on a
    phone; people come in a separate formset.

    Coping ideas from the starter list are offered as ticks only while they are not in the
    plan yet; once added they are lines like any other (edit or delete them in the box), so
    opening the form and saving it never reorders or changes the plan.
    """

    warning_signs = _section_field("warning_signs")
    triggers = _section_field("triggers")
    coping = _section_field("coping")
    coping_starters = forms.MultipleChoiceField(
        label=_("Ideas that help many people (tick any you want to add)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("That idea is already in your plan. Reload the page and try again.")},
    )
    places = _section_field("places", rows=3)
    reasons = _section_field("reasons")
    if_i_use = forms.CharField(
        label=SECTION_TITLES["if_i_use"],
        required=False,
        max_length=plan.MAX_IF_I_USE,
        help_text=SECTION_HELP["if_i_use"],
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, coping_now: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coping_starters"].choices = [  # type: ignore[attr-defined]
            (str(index), text) for index, text in enumerate(STARTER_COPING) if str(text) not in coping_now
        ]

    def _clean_lines(self, section: str) -> list[str]:
        lines = _lines(self.cleaned_data[section])
        if len(lines) > plan.MAX_LINES:
            raise forms.ValidationError(_("Keep this to %(count)s lines or fewer.") % {"count": plan.MAX_LINES})
        if any(len(line) > plan.MAX_LINE for line in lines):
            raise forms.ValidationError(
                _("Keep each line to %(count)s characters or fewer.") % {"count": plan.MAX_LINE}
            )
        return lines

    def clean_warning_signs(self) -> list[str]:
        return self._clean_lines("warning_signs")

    def clean_triggers(self) -> list[str]:
        return self._clean_lines("triggers")

    def clean_coping(self) -> list[str]:
        return self._clean_lines("coping")

    def clean_places(self) -> list[str]:
        return self._clean_lines("places")

    def clean_reasons(self) -> list[str]:
        return self._clean_lines("reasons")

    def content(self, people: list[dict[str, str]]) -> dict[str, Any]:
        """The plan as ``plan.clean`` takes it: the coping lines as typed, then the ideas
        newly ticked, in the starter list's order and in the language being read."""
        data = self.cleaned_data
        ticked = sorted({int(index) for index in data["coping_starters"]})
        coping = list(data["coping"])
        coping += [str(STARTER_COPING[index]) for index in ticked if str(STARTER_COPING[index]) not in coping]
        return {
            "warning_signs": data["warning_signs"],
            "triggers": data["triggers"],
            "coping": coping,
            "people": people,
            "places": data["places"],
            "reasons": data["reasons"],
            "if_i_use": data["if_i_use"],
        }

    @staticmethod
    def initial_from(content: dict[str, Any]) -> dict[str, Any]:
        return {
            **{section: "\n".join(content.get(section, [])) for section in plan.LIST_SECTIONS},
            "if_i_use": content.get("if_i_use", ""),
        }


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )
    when = forms.CharField(
        label=_("When to call"),
        max_length=plan.MAX_LINE,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("For example: any time, or after 6 pm")}),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not _PHONE.match(phone) or (phone and not any(ch.isdigit() for ch in phone)):
            raise forms.ValidationError(_("Use digits, spaces and + ( ) - only, for example +1 555 010 0123."))
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name", "").strip() and (data.get("phone") or data.get("when", "").strip()):
            self.add_error("name", _("Give this person a name, or clear the row."))
        return data


PersonFormSet = forms.formset_factory(
    PersonForm, extra=0, max_num=plan.MAX_PEOPLE, absolute_max=plan.MAX_PEOPLE, validate_max=True
)


def people_initial(people: list[dict[str, str]]) -> list[dict[str, str]]:
    """Saved people plus empty rows to fill in."""
    rows = min(plan.MAX_PEOPLE, max(PEOPLE_ROWS, len(people) + PEOPLE_SPARE))
    return list(people) + [{} for _row in range(rows - len(people))]


# --- journal -----------------------------------------------------------------------------


class JournalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, required=False, help_text=_("Optional."))
    body = forms.CharField(
        label=_("What is on your mind?"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write something first.")},
    )


# --- assessments -------------------------------------------------------------------------

# The assessment form: one question per fieldset, built from an instrument's own text.
#
# The item and answer wording comes from ``instruments.py`` (the published text in the
# member's language), never from gettext, because a validated questionnaire is only valid as
# worded.


class AssessmentForm(forms.Form):
    def __init__(self, *args: Any, instrument: Instrument, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        choices = [(str(option.value), option.text.get(language)) for option in instrument.options]
        for number, item in enumerate(instrument.items, start=1):
            self.fields[f"q{number}"] = forms.TypedChoiceField(
                label=item.text.get(language),
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose one answer for this question."),
                    "invalid_choice": _("Choose one of the answers shown."),
                },
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"q{number}"] for number in range(1, len(self.instrument.items) + 1)]

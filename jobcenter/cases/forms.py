from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobcenter.cases.models import InterviewForm, InterviewOutcome, OfferKind, OfferStatus

TEXT_INPUT = {"class": "form-input"}
DATE_INPUT = {"class": "form-input", "type": "date"}


def textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "form-input", "rows": rows})


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's Danish ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, " ".join(messages))
    else:
        form.add_error(None, " ".join(error.messages))


class OpenCaseForm(forms.Form):
    target_group = forms.ChoiceField(label=_("Målgruppe"), widget=forms.Select(attrs={"class": "form-select"}))
    opened_on = forms.DateField(label=_("Åbnet den"), widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"))
    caseworker = forms.ChoiceField(
        label=_("Sagsbehandler"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    contact_course_exempt = forms.BooleanField(
        label=_("Fritaget for kontaktforløb (kommunens fritagelse, højst 25 %)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-checkbox"}),
    )

    def __init__(
        self, *args: Any, target_groups: list[tuple[str, str]], caseworkers: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target_group"]).choices = target_groups
        cast(forms.ChoiceField, self.fields["caseworker"]).choices = [("", _("Ingen endnu")), *caseworkers]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-file-input"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class JournalEntryForm(forms.Form):
    title = forms.CharField(label=_("Overskrift"), widget=forms.TextInput(attrs=TEXT_INPUT))
    text = forms.CharField(label=_("Tekst"), widget=textarea(10), strip=False)
    attachments = MultipleFileField(
        label=_("Bilag"),
        required=False,
        help_text=_("PDF, PNG eller JPEG, højst 10 MB pr. fil og højst 10 filer pr. notat."),
    )


class InterviewPlanForm(forms.Form):
    date = forms.DateField(label=_("Dato"), widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"))
    time = forms.TimeField(
        label=_("Klokkeslæt"), widget=forms.TimeInput(attrs={"class": "form-input", "type": "time"}, format="%H:%M")
    )
    form = forms.ChoiceField(
        label=_("Form"), choices=InterviewForm.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    location = forms.CharField(label=_("Sted eller link"), required=False, widget=forms.TextInput(attrs=TEXT_INPUT))

    def scheduled_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])


AVAILABILITY_CHOICES = [
    ("", _("Uændret")),
    ("unavailable", _("Ikke til rådighed")),
    ("available", _("Til rådighed igen")),
]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Udfald"), choices=InterviewOutcome.choices, widget=forms.RadioSelect(attrs={"class": "form-radio"})
    )
    held_form = forms.ChoiceField(
        label=_("Holdt som"),
        required=False,
        choices=[("", "—"), *InterviewForm.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    topics = forms.CharField(label=_("Emner"), required=False, widget=textarea(3), strip=False)
    agreements = forms.CharField(label=_("Aftaler"), required=False, widget=textarea(3), strip=False)
    next_steps = forms.CharField(label=_("Næste skridt"), required=False, widget=textarea(3), strip=False)
    notes = forms.CharField(label=_("Notat"), required=False, widget=textarea(6), strip=False)
    employment_start = forms.DateField(
        label=_("Jobstart (dato)"),
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )
    employer = forms.CharField(label=_("Arbejdsgiver"), required=False, widget=forms.TextInput(attrs=TEXT_INPUT))
    availability = forms.ChoiceField(
        label=_("Rådighed"),
        required=False,
        choices=AVAILABILITY_CHOICES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    availability_from = forms.DateField(
        label=_("Rådighed ændret fra"), required=False, widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")
    )
    availability_reason = forms.CharField(
        label=_("Begrundelse for rådighed"), required=False, widget=forms.TextInput(attrs=TEXT_INPUT)
    )


class PlanForm(forms.Form):
    goals = forms.CharField(label=_("Mål"), widget=textarea(5), strip=False)
    agreements = forms.CharField(label=_("Aftaler"), required=False, widget=textarea(5), strip=False)


class OfferForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Tilbud"), choices=OfferKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    provider = forms.CharField(label=_("Virksomhed eller udbyder"), widget=forms.TextInput(attrs=TEXT_INPUT))
    starts_on = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("Slut (inklusive)"), widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"))
    status = forms.ChoiceField(
        label=_("Status"), choices=OfferStatus.choices, widget=forms.Select(attrs={"class": "form-select"})
    )


class OfferStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=OfferStatus.choices, widget=forms.Select(attrs={"class": "form-select"})
    )


class WorklistFilterForm(forms.Form):
    target_group = forms.ChoiceField(
        label=_("Målgruppe"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    caseworker = forms.ChoiceField(
        label=_("Sagsbehandler"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Åbne sager")), ("closed", _("Lukkede sager")), ("all", _("Alle sager"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    flag = forms.ChoiceField(
        label=_("Vis"),
        required=False,
        choices=[
            ("", _("Alle")),
            ("overdue", _("Overskredne frister")),
            ("due_soon", _("Frist inden for 7 dage")),
            ("no_next_step", _("Uden næste skridt")),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(
        self, *args: Any, target_groups: list[tuple[str, str]], caseworkers: list[tuple[str, str]] | None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target_group"]).choices = [("", _("Alle")), *target_groups]
        if caseworkers is None:
            del self.fields["caseworker"]
        else:
            cast(forms.ChoiceField, self.fields["caseworker"]).choices = [
                ("", _("Alle")),
                ("none", _("Uden sagsbehandler")),
                *caseworkers,
            ]


# --- The team's day: closing and reopening with a reason, assigning cases -------------------------


class CaseReasonForm(forms.Form):
    """Why a case is closed or reopened; written to the journal. Blank is refused by the action, in Danish."""

    reason = forms.CharField(label=_("Begrundelse"), required=False, widget=textarea(3))

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["reason"].label = label


class AssignCasesForm(forms.Form):
    caseworker = forms.ChoiceField(
        label=_("Giv de valgte sager til"), widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: Any, caseworkers: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["caseworker"]).choices = [("", _("Vælg sagsbehandler")), *caseworkers]
        self.fields["caseworker"].error_messages["required"] = _("Vælg den sagsbehandler, der skal have sagerne.")
        self.fields["caseworker"].error_messages["invalid_choice"] = _("Vælg en sagsbehandler i kommunen.")

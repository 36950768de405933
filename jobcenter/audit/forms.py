from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenter import bounds
from jobcenter.audit.models import AuditAction

# The filters that hold no personal data; they may also come as a GET query (links, bookmarks).
PLAIN_FIELDS = ("username", "action", "object_id", "date_from", "date_to")


class NoEchoTextInput(forms.TextInput):
    """A text box that never writes its value back into the page: a CPR number typed into it is
    not echoed (docs/architecture.md: never in a URL, a log line or a page that did not ask for it)."""

    def format_value(self, value):  # type: ignore[no-untyped-def]
        return None


class AuditSearchForm(forms.Form):
    """The audit search. Sent by POST: a CPR number is looked up to the citizen and never kept."""

    cpr = forms.CharField(
        label=_("Borgerens CPR-nummer"),
        max_length=11,
        required=False,
        widget=NoEchoTextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    name = forms.CharField(label=_("Borgerens navn"), max_length=100, required=False)
    citizen = forms.UUIDField(required=False, widget=forms.HiddenInput)
    case = forms.UUIDField(
        label=_("Sag (id)"),
        required=False,
        error_messages={"invalid": _("Skriv sagens id, som det står i sagens adresse, fx 3f2a9c1e-…")},
    )
    username = forms.CharField(label=_("Bruger"), max_length=150, required=False)
    action = forms.ChoiceField(label=_("Handling"), choices=[("", _("Alle")), *AuditAction.choices], required=False)
    object_id = forms.CharField(label=_("Objekt-id"), max_length=64, required=False)
    date_from = forms.DateField(label=_("Fra dato"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Til dato"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            field.widget.attrs["class"] = "form-select" if isinstance(field, forms.ChoiceField) else "form-input"

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean() or {}
        for name, label in (("date_from", _("Fra-datoen")), ("date_to", _("Til-datoen"))):
            message = bounds.implausible_date(cleaned[name], str(label)) if cleaned.get(name) else None
            if message:
                self.add_error(name, message)
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Til-datoen ligger før fra-datoen."))
        subjects = [key for key in ("cpr", "name", "case") if cleaned.get(key)]
        if len(subjects) > 1:
            self.add_error(subjects[1], _("Søg på én borger eller én sag ad gangen: CPR-nummer, navn eller sag."))
        return cleaned

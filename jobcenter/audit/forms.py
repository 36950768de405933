from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenter import bounds
from jobcenter.audit.models import AuditAction


class AuditSearchForm(forms.Form):
    username = forms.CharField(label=_("Bruger"), max_length=150, required=False)
    action = forms.ChoiceField(label=_("Handling"), choices=[("", _("Alle")), *AuditAction.choices], required=False)
    object_id = forms.CharField(label=_("Objekt-id"), max_length=64, required=False)
    date_from = forms.DateField(label=_("Fra dato"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Til dato"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
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
        return cleaned

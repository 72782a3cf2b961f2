import uuid

from django import forms

from governance.forms import GovukModelForm, _date_messages, date_widget
from reporting.models import NARRATIVE_SECTIONS, ReportEdition
from reporting.services import EDITABLE_FIELDS

PERIOD_ORDER_MESSAGE = "The end of the period must be the same as or after the start"


class EditionForm(GovukModelForm):
    """The cover and the narrative of an edition. Carries the version it was opened at
    (an edit) or a one-time token (a new edition)."""

    required_messages = {
        "title": "Enter the title of the report",
        "marking": "Enter the classification marking, for example OFFICIAL",
        "author": "Enter the author as it should appear on the cover",
    }
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ReportEdition
        fields = EDITABLE_FIELDS
        widgets = {
            "starts_on": date_widget(),
            "ends_on": date_widget(),
            **{name: forms.Textarea(attrs={"rows": 10}) for name, _l, _h in NARRATIVE_SECTIONS},
        }
        labels = {
            "starts_on": "Start of the period",
            "ends_on": "End of the period",
            **{name: label for name, label, _hint in NARRATIVE_SECTIONS},
        }
        help_texts = {
            "marking": "Shown on the cover and at the top of every page",
            **{
                name: (hint + " " if hint else "")
                + "A blank line starts a paragraph. “## ” starts a sub-heading (numbered "
                "1.1, 1.2) and “### ” a sub-heading under it; lines starting with “- ” or "
                "“1. ” make a list; **text** is bold; [text](https://…) is a link; lines "
                "starting with “> ” make a call-out box; a table is rows of cells "
                "between “|”, with a line of “|---|” under the first."
                for name, _label, hint in NARRATIVE_SECTIONS
            },
        }
        error_messages = {
            "starts_on": _date_messages("start of the period"),
            "ends_on": _date_messages("end of the period"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            del self.fields["token"]
        else:
            self.fields["token"].initial = uuid.uuid4()
            del self.fields["version"]

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", PERIOD_ORDER_MESSAGE)
        return cleaned


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

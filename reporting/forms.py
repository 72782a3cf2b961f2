import uuid

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms

from governance.forms import GovukModelForm, _date_messages, date_widget
from reporting.models import ReportEdition
from reporting.services import COVER_FIELDS

PERIOD_ORDER_MESSAGE = "The end of the period must be the same as or after the start"


class EditionForm(GovukModelForm):
    """The cover of an edition (the narrative is written section by section, with
    SectionForm). Carries the version it was opened at (an edit) or a one-time token (a
    new edition)."""

    required_messages = {
        "title": "Enter the title of the report",
        "marking": "Enter the classification marking, for example OFFICIAL",
        "author": "Enter the author as it should appear on the cover",
    }
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ReportEdition
        fields = COVER_FIELDS
        widgets = {"starts_on": date_widget(), "ends_on": date_widget()}
        labels = {"starts_on": "Start of the period", "ends_on": "End of the period"}
        help_texts = {
            "marking": "Shown on the cover and at the top of every page",
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


SECTION_TEXT_LIMIT = 50_000
NARRATIVE_HINT = (
    "A blank line starts a paragraph. “## ” starts a sub-heading (numbered 1.1, 1.2) and "
    "“### ” a sub-heading under it; lines starting with “- ” or “1. ” make a list; "
    "**text** is bold; [text](https://…) is a link; lines starting with “> ” make a "
    "call-out box; a table is rows of cells between “|”, with a line of “|---|” under "
    "the first."
)


class SectionForm(forms.Form):
    """One narrative section. Carries the revision the writer started from, so that a
    save that meets a newer one keeps the writer's text (reporting.services.section_save)."""

    text = forms.CharField(
        label="Text",
        required=False,
        strip=False,
        max_length=SECTION_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=NARRATIVE_HINT,
        error_messages={
            "max_length": f"The section must be {SECTION_TEXT_LIMIT:,} characters or fewer"
        },
    )
    base_revision = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": "Open the section again and save it",
            "invalid": "Open the section again and save it",
            "min_value": "Open the section again and save it",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Save the section"))


class RestoreForm(forms.Form):
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AuthorForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Author",
        queryset=None,
        required=False,
        empty_label="No author: the coordinator writes it",
        help_text="The author may write this section only, while the edition is a draft.",
        error_messages={"invalid_choice": "Choose someone who may write the annual report"},
    )

    def __init__(self, *args, **kwargs):
        from reporting.selectors import possible_authors

        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = possible_authors()
        field.label_from_instance = lambda user: (
            f"{user.get_full_name() or user.get_username()} ({', '.join(user.role_labels)})"
        )
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Save the author"))

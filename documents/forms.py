"""Forms of documents and letters: GOV.UK wording, rendered with crispy-forms-gds.

The file is checked by the kit (prevent_portal.files.uploads.check_upload) while the
form validates: its name and size first, then its bytes. A refused file is a form error
and nothing is stored.
"""

import uuid

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.utils import timezone

from documents.choices import ChronologyKind
from documents.letters import template_errors
from documents.models import DocumentType
from documents.selectors import document_types
from governance.forms import date_widget
from prevent_portal.files.types import ALLOWED_EXTENSIONS
from prevent_portal.files.uploads import FileRefused, check_upload, limit_label, max_upload_bytes


def new_token():
    return uuid.uuid4()


def _helper(submit: str | None) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    if submit:
        helper.add_input(Submit("submit", submit))
    return helper


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="File",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
        widget=forms.ClearableFileInput(
            attrs={"class": "govuk-file-upload", "accept": ",".join(ALLOWED_EXTENSIONS)}
        ),
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title for the document",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    kind = forms.ModelChoiceField(
        label="Type of document",
        queryset=DocumentType.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of document",
            "invalid_choice": "Select the type of document",
        },
    )
    dated_on = forms.DateField(
        label="Date of the document",
        widget=date_widget(),
        error_messages={
            "required": "Enter the date of the document",
            "invalid": "Enter the date of the document as a real date, for example 31 3 2026",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The note must be 2,000 characters or fewer"},
    )
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, title_hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.fields["kind"].queryset = document_types()
        limit = limit_label(max_upload_bytes())
        self.fields[
            "file"
        ].help_text = f"PDF, DOCX, XLSX, ODT, PNG, JPEG, plain text, EML or MSG; at most {limit}"
        if title_hint:
            self.fields["title"].help_text = title_hint
        self.helper = _helper("Add the document")
        self.checked = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.checked = check_upload(upload)
        except FileRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return upload

    def clean_title(self):
        return self.cleaned_data["title"].replace("\x00", "").strip()

    def clean_note(self):
        return self.cleaned_data["note"].replace("\x00", "").strip()

    def clean_dated_on(self):
        day = self.cleaned_data["dated_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of the document must be today or in the past")
        return day


class KindFilterForm(forms.Form):
    """The type filter of a list of documents (GET)."""

    kind = forms.ModelChoiceField(
        label="Type of document",
        queryset=DocumentType.objects.none(),
        required=False,
        empty_label="All types",
        error_messages={"invalid_choice": "Select a type of document from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = DocumentType.objects.all()
        self.fields["kind"].widget.attrs["class"] = "govuk-select"


class ChronologyFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label="Show",
        required=False,
        choices=ChronologyKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select kinds of event from the list"},
    )


class LetterChoiceForm(forms.Form):
    template = forms.ChoiceField(
        label="Which letter?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a letter",
            "invalid_choice": "Select a letter from the list",
        },
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.fields["template"].choices = [(str(t.pk), t.title) for t in templates]
        self.helper = _helper(None)
        self.helper.form_method = "get"
        self.helper.add_input(Submit("continue", "Continue"))


class LetterForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="The name of the letter in the case's documents",
        error_messages={
            "required": "Enter a title for the letter",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    body = forms.CharField(
        label="Letter",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="Edit the letter as it should be sent. Paragraphs are separated by a blank line.",
        error_messages={
            "required": "Enter the text of the letter",
            "max_length": "The letter must be 20,000 characters or fewer",
        },
    )
    template = forms.UUIDField(widget=forms.HiddenInput)
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.helper = _helper("Make the letter (DOCX and PDF)")

    def clean_title(self):
        return self.cleaned_data["title"].replace("\x00", "").strip()

    def clean_body(self):
        return self.cleaned_data["body"].replace("\x00", "").replace("\r\n", "\n").strip()


class LetterTemplateForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the title of the template",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    body = forms.CharField(
        label="Text of the letter",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 24}),
        error_messages={
            "required": "Enter the text of the letter",
            "max_length": "The text must be 20,000 characters or fewer",
        },
    )
    position = forms.IntegerField(
        label="Display order",
        min_value=0,
        max_value=999,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "invalid": "Enter the display order as a whole number",
            "min_value": "The display order must be 0 or more",
            "max_value": "The display order must be 999 or less",
        },
    )
    is_active = forms.BooleanField(label="In use", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.fields["body"].help_text = (
            "Paragraphs are separated by a blank line. Placeholders are written "
            "{{ name }}, with a name from the table of placeholders below the form."
        )
        self.helper = _helper("Save the template")

    def clean_title(self):
        return self.cleaned_data["title"].replace("\x00", "").strip()

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\x00", "").replace("\r\n", "\n").strip()
        problems = template_errors(body)
        if problems:
            raise forms.ValidationError(problems)
        return body

    def clean_position(self):
        return self.cleaned_data["position"] or 0

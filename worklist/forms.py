"""Forms of the Tasks section: add a task by hand, mark a task done."""

import uuid

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.utils import timezone

from governance.forms import date_widget
from worklist.selectors import assignees


class TaskForm(forms.Form):
    title = forms.CharField(
        label="What needs to be done",
        max_length=200,
        help_text="Use the case reference, never a name: this shows on work lists",
        error_messages={
            "required": "Enter what needs to be done",
            "max_length": "What needs to be done must be 200 characters or fewer",
        },
    )
    due_on = forms.DateField(
        label="Due date",
        widget=date_widget(),
        error_messages={
            "required": "Enter the due date",
            "invalid": "Enter the due date as a real date, for example 31 3 2026",
        },
    )
    assigned_to = forms.ModelChoiceField(
        label="Assigned to",
        queryset=assignees(),
        empty_label="Nobody yet",
        required=False,
    )
    # One-time token: the same form sent twice makes one task.
    token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form has expired: open it again",
            "invalid": "This form has expired: open it again",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.fields["token"].initial = uuid.uuid4()
        self.fields["assigned_to"].queryset = assignees()
        self.fields["assigned_to"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Add the task"))

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("The due date must be today or in the future")
        return due_on


class CompleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        # A hidden field's own error is not shown: a missing or altered version is
        # reported on the page, which holds no field to correct.
        if "version" in self.errors:
            raise forms.ValidationError("This page is out of date. Open the task again.")
        return super().clean()

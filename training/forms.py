from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.utils import timezone

from governance.forms import GovukModelForm, date_widget, multi_select
from governance.models import District, Partner
from training.choices import BESPOKE_LABEL, MetExpectations, SessionFormat, ValueToRole
from training.models import Course, TrainingSession
from training.selectors import trainer_choices

BESPOKE = "bespoke"
ATTENDEES_MESSAGE = "Attendees must be a whole number, 0 or more"


class GovukForm(forms.Form):
    """A plain form rendered by crispy-forms-gds, validated on the server only."""

    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        if self.submit_label:
            self.helper.add_input(Submit("submit", self.submit_label))


def course_choices():
    return [
        ("", "Select a course"),
        *((str(course.pk), course.title) for course in Course.objects.all()),
        (BESPOKE, BESPOKE_LABEL),
    ]


class SessionForm(GovukForm):
    """Logging a session on one page: the fields a practised user fills in a minute."""

    submit_label = "Save the session"

    date = forms.DateField(
        label="Date of the session",
        widget=date_widget(),
        error_messages={
            "required": "Enter the date of the session",
            "invalid": "Enter the date of the session as a real date, for example 31 3 2026",
        },
    )
    course = forms.ChoiceField(
        error_messages={"required": "Select the course, or other bespoke input"},
    )
    bespoke_title = forms.CharField(
        label="Title of the bespoke input",
        required=False,
        max_length=200,
        help_text=f"Only for “{BESPOKE_LABEL}”: a one-off talk to a service or event",
    )
    format = forms.ChoiceField(
        choices=SessionFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the format of the session"},
    )
    trainers = forms.ModelMultipleChoiceField(
        queryset=None, required=False, help_text="Staff who delivered the session"
    )
    external_trainers = forms.CharField(
        label="Other trainers",
        required=False,
        max_length=300,
        help_text="Names of trainers from outside the team, separated by commas",
    )
    audiences = forms.ModelMultipleChoiceField(
        label="Audience organisations",
        queryset=None,
        required=False,
        help_text="Organisations whose staff attended. Select all that apply",
    )
    new_organisation = forms.CharField(
        label="Add an organisation not in the list",
        required=False,
        max_length=200,
        help_text="It is added to the partner register with the sector “Other”",
    )
    district = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Whole area, or not in one district"
    )
    attendees = forms.IntegerField(
        label="Number of attendees",
        min_value=0,
        max_value=100000,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-4"}
        ),
        error_messages={
            "required": "Enter the number of attendees",
            "invalid": ATTENDEES_MESSAGE,
            "min_value": ATTENDEES_MESSAGE,
            "max_value": "Attendees must be 100,000 or fewer",
        },
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = course_choices()
        self.fields["trainers"].queryset = trainer_choices()
        self.fields["audiences"].queryset = Partner.objects.filter(is_active=True)
        self.fields["district"].queryset = District.objects.filter(is_active=True)
        multi_select(self.fields["trainers"])
        multi_select(self.fields["audiences"])

    @classmethod
    def initial_for(cls, session: TrainingSession) -> dict:
        return {
            "date": session.date,
            "course": str(session.course_id) if session.course_id else BESPOKE,
            "bespoke_title": session.bespoke_title,
            "format": session.format,
            "trainers": list(session.trainers.all()),
            "external_trainers": session.external_trainers,
            "audiences": list(session.audiences.all()),
            "district": session.district,
            "attendees": session.attendees,
            "notes": session.notes,
        }

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date of the session must be today or in the past")
        if value.year < 2000:
            raise forms.ValidationError("The date of the session must be after 2000")
        return value

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("course")
        if choice == BESPOKE:
            cleaned["course"] = None
            if not cleaned.get("bespoke_title", "").strip():
                self.add_error("bespoke_title", "Enter the title of the bespoke input")
        elif choice:
            cleaned["course"] = Course.objects.filter(pk=choice).first()
            cleaned["bespoke_title"] = ""
            if cleaned["course"] is None:
                self.add_error("course", "Select the course, or other bespoke input")
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "date",
                "course",
                "bespoke_title",
                "format",
                "trainers",
                "external_trainers",
                "audiences",
                "new_organisation",
                "district",
                "attendees",
                "notes",
            )
        }


class EvaluationForm(GovukForm):
    submit_label = "Add the evaluation"

    met_expectations = forms.ChoiceField(
        label="Did the session meet expectations?",
        choices=MetExpectations.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the session met expectations"},
    )
    value_to_role = forms.ChoiceField(
        label="How valuable is it to their role?",
        choices=ValueToRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how valuable it is to their role"},
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    quotable = forms.BooleanField(
        label="The comment may be quoted in the annual report", required=False
    )


class EvaluationRowForm(forms.Form):
    """One row of the batch table; a row left blank is skipped."""

    met_expectations = forms.ChoiceField(
        label="Met expectations",
        choices=[("", "Select"), *MetExpectations.choices],
        error_messages={"required": "Select whether the session met expectations"},
    )
    value_to_role = forms.ChoiceField(
        label="Value to role",
        choices=[("", "Select"), *ValueToRole.choices],
        error_messages={"required": "Select how valuable it is to their role"},
    )
    comment = forms.CharField(label="Comment", required=False, max_length=2000)
    quotable = forms.BooleanField(label="May be quoted", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        for name in ("met_expectations", "value_to_role"):
            self.fields[name].widget.attrs["class"] = "govuk-select"
        self.fields["comment"].widget.attrs["class"] = "govuk-input"
        self.fields["quotable"].widget.attrs["class"] = "govuk-checkboxes__input"


EvaluationFormSet = forms.formset_factory(EvaluationRowForm, extra=10, max_num=50)


class CourseForm(GovukModelForm):
    required_messages = {
        "title": "Enter the title of the course",
        "position": "Enter the course's place in the catalogue",
        "duration": "Enter the duration",
        "capacity": "Enter the capacity",
    }
    formats = forms.MultipleChoiceField(
        choices=SessionFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one format"},
    )

    class Meta:
        model = Course
        fields = [
            "title",
            "duration",
            "formats",
            "capacity",
            "description",
            "topics",
            "status",
            "position",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "topics": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "title": {"unique": "A course with this title already exists"},
            "position": {
                "unique": "Another course already has this place in the catalogue",
                "invalid": "The place in the catalogue must be a whole number",
            },
            "capacity": {"invalid": "The capacity must be a whole number"},
        }


class SessionImportForm(GovukForm):
    submit_label = "Upload and check"

    file = forms.FileField(
        label="Upload a CSV file",
        help_text=(
            "Columns (any order): date, course, title, format, audience, district, attendees, notes"
        ),
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

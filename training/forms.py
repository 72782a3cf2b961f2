from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Layout, Size, Submit
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
    booking_open = forms.BooleanField(
        label="Open for booking on the public training offer",
        required=False,
        help_text="Anyone can then book a place at /courses/ until the day of the session",
    )
    places = forms.IntegerField(
        label="Places to book",
        required=False,
        min_value=1,
        max_value=10000,
        help_text="Leave empty for the course's capacity",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-4"}
        ),
        error_messages={
            "invalid": "Places must be a whole number, 1 or more",
            "min_value": "Places must be a whole number, 1 or more",
            "max_value": "Places must be 10,000 or fewer",
        },
    )
    start_time = forms.TimeField(
        label="Start time",
        required=False,
        help_text="For example, 09:30",
        widget=forms.TimeInput(attrs={"class": "govuk-input govuk-input--width-5"}, format="%H:%M"),
        error_messages={"invalid": "Enter the start time as hours and minutes, for example 09:30"},
    )
    venue = forms.CharField(
        label="Where",
        required=False,
        max_length=300,
        help_text="The venue, or how to join online; shown on the public training offer",
    )

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
            "booking_open": session.booking_open,
            "places": session.places,
            "start_time": session.start_time,
            "venue": session.venue,
        }

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value.year < 2000:
            raise forms.ValidationError("The date of the session must be after 2000")
        return value

    def _check_booking(self, cleaned):
        day = cleaned.get("date")
        if cleaned.get("booking_open"):
            if "course" in cleaned and cleaned["course"] is None:
                self.add_error(
                    "booking_open", "Only a session of a course in the offer can be booked"
                )
            if day and day < timezone.localdate():
                self.add_error("booking_open", "A session in the past cannot be opened for booking")
        elif day and day > timezone.localdate():
            self.add_error(
                "date",
                "The date of the session must be today or in the past, unless the session "
                "is open for booking",
            )

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
        self._check_booking(cleaned)
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
                "booking_open",
                "places",
                "start_time",
                "venue",
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
            "published",
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


OTHER_ORGANISATION = "other"


class BookingForm(GovukForm):
    """A member of the public's booking (training.bookings.booking_create)."""

    submit_label = "Book a place"

    name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={
            "required": "Enter your full name",
            "max_length": "Full name must be 200 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="We will send a link to this address: you confirm your place with it",
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    organisation = forms.ChoiceField(
        label="Organisation",
        error_messages={
            "required": "Select your organisation, or “Another organisation”",
            "invalid_choice": "Select your organisation, or “Another organisation”",
        },
    )
    organisation_name = forms.CharField(
        label="Name of your organisation",
        required=False,
        max_length=200,
        help_text="Only if your organisation is not in the list",
        error_messages={"max_length": "Name of your organisation must be 200 characters or fewer"},
    )
    role = forms.CharField(
        label="Your role",
        max_length=200,
        help_text="For example, designated safeguarding lead",
        error_messages={
            "required": "Enter your role",
            "max_length": "Your role must be 200 characters or fewer",
        },
    )
    accessibility_needs = forms.CharField(
        label="Accessibility needs (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything we should arrange so that you can take part",
        error_messages={"max_length": "Accessibility needs must be 2,000 characters or fewer"},
    )
    # A honeypot: hidden from people (CSS and aria-hidden), filled in by bots.
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partners = Partner.objects.filter(is_active=True).order_by("name")
        self.fields["organisation"].choices = [
            ("", "Select your organisation"),
            *((str(partner.pk), partner.name) for partner in partners.only("id", "name")),
            (OTHER_ORGANISATION, "Another organisation"),
        ]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["website"].label = "Leave this empty"
        self.helper.layout = Layout(
            "name",
            "email",
            "organisation",
            "organisation_name",
            "role",
            "accessibility_needs",
            Div("website", css_class="portal-honeypot", aria_hidden="true"),
        )

    def _clean_text(self, name):
        value = " ".join(self.cleaned_data.get(name, "").split())
        if any(ord(char) < 32 or ord(char) == 127 for char in value):
            raise forms.ValidationError(
                f"{self.fields[name].label} must not contain control characters"
            )
        return value

    def clean_name(self):
        return self._clean_text("name")

    def clean_role(self):
        return self._clean_text("role")

    def clean_organisation_name(self):
        return self._clean_text("organisation_name")

    def clean_accessibility_needs(self):
        value = self.cleaned_data.get("accessibility_needs", "").replace("\x00", "")
        return value.strip()

    def clean(self):
        cleaned = super().clean()
        for name, message in (("name", "Enter your full name"), ("role", "Enter your role")):
            if name in cleaned and not cleaned[name]:
                self.add_error(name, message)
        choice = cleaned.get("organisation")
        cleaned["partner"] = None
        if choice == OTHER_ORGANISATION:
            if not cleaned.get("organisation_name"):
                self.add_error("organisation_name", "Enter the name of your organisation")
        elif choice:
            cleaned["partner"] = Partner.objects.filter(is_active=True, pk=choice).first()
            if cleaned["partner"] is None:
                self.add_error(
                    "organisation", "Select your organisation, or “Another organisation”"
                )
        return cleaned

    @property
    def caught_a_bot(self) -> bool:
        return bool(self.data.get("website"))

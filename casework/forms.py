"""Forms of case work: GOV.UK wording, rendered with crispy-forms-gds.

Forms validate what they can see on their own (dates, required fields); the services
check the rest (the journey, the under-18 rule) and their messages join the error summary.
"""

import uuid

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.utils import timezone

from casework.choices import ConsentDecision, ConsentGivenBy, NoteKind, RiskKind
from casework.models import InterventionType, Provider
from casework.selectors import intervention_types, providers
from governance.forms import date_widget


def _date_messages(label: str) -> dict:
    return {
        "required": f"Enter the {label}",
        "invalid": f"Enter the {label} as a real date, for example 31 3 2026",
    }


def _long(day) -> str:
    return f"{day:%-d %B %Y}"


class AnyOf(forms.ChoiceField):
    """Offers the choices that make sense now, but accepts any of `values`: the service
    then refuses the others with a message that says why."""

    def __init__(self, *args, values, **kwargs):
        super().__init__(*args, **kwargs)
        self.values = list(values)

    def valid_value(self, value):
        return value in self.values


class CaseForm(forms.Form):
    submit_label = "Save"

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        self.use_required_attribute = False
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", self.submit_label))

    def check_case_day(self, day, label):
        if day is None:
            return day
        if day > timezone.localdate():
            raise forms.ValidationError(f"The {label} must be today or in the past")
        if day < self.referral.date_received:
            raise forms.ValidationError(
                f"The {label} must be on or after the date the referral was received, "
                f"{_long(self.referral.date_received)}"
            )
        return day


def token_field():
    """The form's one-time token: a double submission creates one record."""
    return forms.UUIDField(widget=forms.HiddenInput, required=False)


def version_field():
    return forms.IntegerField(widget=forms.HiddenInput)


class ConsentForm(CaseForm):
    submit_label = "Record consent"

    decision = AnyOf(
        label="Consent was",
        values=ConsentDecision.values,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether consent was given, declined or withdrawn",
            "invalid_choice": "Select whether consent was given, declined or withdrawn",
        },
    )
    given_by = forms.ChoiceField(
        label="Who gave, declined or withdrew it?",
        choices=ConsentGivenBy.choices,
        widget=forms.RadioSelect,
        help_text="For someone under 18, consent is given by a parent or carer",
        error_messages={"required": "Select who gave, declined or withdrew consent"},
    )
    given_by_name = forms.CharField(
        label="Their name",
        required=False,
        max_length=200,
        help_text="Needed for a parent, carer or other adult",
    )
    decided_on = forms.DateField(
        label="Date", widget=date_widget(), error_messages=_date_messages("date of the decision")
    )
    note = forms.CharField(
        label="Note", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = version_field()
    token = token_field()

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (value, ConsentDecision(value).label) for value in decisions
        ]

    def clean_decided_on(self):
        return self.check_case_day(self.cleaned_data["decided_on"], "date of the decision")

    def clean(self):
        cleaned = super().clean()
        given_by = cleaned.get("given_by")
        if given_by and given_by != ConsentGivenBy.PERSON and not cleaned.get("given_by_name"):
            who = "parent or carer" if given_by == ConsentGivenBy.PARENT else "adult"
            self.add_error("given_by_name", f"Enter the name of the {who}")
        return cleaned


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} (Home Office accredited)" if obj.accredited else obj.name


class InterventionForm(CaseForm):
    submit_label = "Save the intervention"

    kind = forms.ModelChoiceField(
        label="Type of intervention",
        queryset=intervention_types(),
        empty_label="Select the type",
        error_messages={"required": "Select the type of intervention"},
    )
    provider = ProviderChoiceField(
        label="Provider",
        queryset=providers(),
        empty_label="Select the provider",
        error_messages={"required": "Select the provider"},
    )
    goal = forms.CharField(
        label="Goal",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the goal of the intervention"},
    )
    starts_on = forms.DateField(
        label="Start date", widget=date_widget(), error_messages=_date_messages("start date")
    )
    ends_on = forms.DateField(
        label="End date",
        required=False,
        widget=date_widget(),
        help_text="Leave empty while it goes on",
        error_messages=_date_messages("end date"),
    )
    sessions = forms.IntegerField(
        label="Number of sessions",
        required=False,
        min_value=0,
        max_value=999,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "invalid": "The number of sessions must be a whole number, 0 to 999",
            "min_value": "The number of sessions must be a whole number, 0 to 999",
            "max_value": "The number of sessions must be a whole number, 0 to 999",
        },
    )
    outcome = forms.CharField(
        label="Outcome",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="When the intervention ends, or as it goes",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    token = token_field()

    def __init__(self, *args, intervention=None, **kwargs):
        super().__init__(*args, **kwargs)
        if intervention is not None:
            self.fields["kind"].queryset = intervention_types(keep=intervention.kind_id)
            self.fields["provider"].queryset = providers(keep=intervention.provider_id)
            self.fields["version"].required = True

    def clean_starts_on(self):
        day = self.cleaned_data["starts_on"]
        if day < self.referral.date_received:
            raise forms.ValidationError(
                "The start date must be on or after the date the referral was received, "
                f"{_long(self.referral.date_received)}"
            )
        return day

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return cleaned


class NoteForm(CaseForm):
    submit_label = "Add the note"

    contact_at = forms.DateTimeField(
        label="Date and time of contact",
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "govuk-input govuk-input--width-20"},
            format="%Y-%m-%dT%H:%M",
        ),
        error_messages={
            "required": "Enter the date and time of contact",
            "invalid": "Enter the date and time of contact as a real date and time",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of contact",
        choices=NoteKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of contact"},
    )
    text = forms.CharField(
        label="Note",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the note"},
    )
    corrects = forms.UUIDField(widget=forms.HiddenInput, required=False)
    token = token_field()

    def clean_contact_at(self):
        when = self.cleaned_data["contact_at"]
        if when > timezone.now():
            raise forms.ValidationError("The date and time of contact must be in the past")
        if timezone.localtime(when).date() < self.referral.date_received:
            raise forms.ValidationError(
                "The date of contact must be on or after the date the referral was received, "
                f"{_long(self.referral.date_received)}"
            )
        return when


class RiskFlagForm(CaseForm):
    submit_label = "Raise the flag"

    kind = forms.ChoiceField(
        label="Risk or escalation",
        choices=RiskKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of risk or escalation"},
    )
    raised_on = forms.DateField(
        label="Date", widget=date_widget(), error_messages=_date_messages("date")
    )
    to_whom = forms.CharField(
        label="To whom",
        required=False,
        max_length=200,
        help_text="The team or officer it was handed to. Needed for an escalation",
    )
    reason = forms.CharField(
        label="Reason",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )
    outcome = forms.CharField(
        label="Outcome",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="If it is known already",
    )
    police_led = forms.BooleanField(
        label="Also close the case as police-led",
        required=False,
        help_text="Only for a case passed back to counter-terrorism policing",
    )
    version = version_field()
    token = token_field()

    def __init__(self, *args, offer_police_led, **kwargs):
        super().__init__(*args, **kwargs)
        if not offer_police_led:
            del self.fields["police_led"]

    def clean_raised_on(self):
        return self.check_case_day(self.cleaned_data["raised_on"], "date")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind and kind != RiskKind.IMMEDIATE_RISK and not cleaned.get("to_whom"):
            self.add_error("to_whom", "Enter who the case was escalated or handed to")
        if cleaned.get("police_led") and kind and kind != RiskKind.POLICE_LED:
            self.add_error(
                "police_led",
                "Only a case passed back to counter-terrorism policing can be closed as police-led",
            )
        return cleaned


class RiskFlagUpdateForm(CaseForm):
    submit_label = "Save"

    to_whom = forms.CharField(label="To whom", required=False, max_length=200)
    outcome = forms.CharField(
        label="Outcome", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    closed_on = forms.DateField(
        label="Date closed",
        required=False,
        widget=date_widget(),
        help_text="Closing the flag takes it off the case header",
        error_messages=_date_messages("date closed"),
    )
    version = version_field()

    def __init__(self, *args, flag, **kwargs):
        super().__init__(*args, **kwargs)
        self.flag = flag

    def clean_closed_on(self):
        day = self.cleaned_data["closed_on"]
        if day is None:
            return day
        if day > timezone.localdate():
            raise forms.ValidationError("The date closed must be today or in the past")
        if day < self.flag.raised_on:
            raise forms.ValidationError(
                f"The date closed must be on or after the date raised, {_long(self.flag.raised_on)}"
            )
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("closed_on") and not cleaned.get("outcome"):
            self.add_error("outcome", "Enter the outcome before closing the flag")
        if self.flag.kind != RiskKind.IMMEDIATE_RISK and not cleaned.get("to_whom"):
            self.add_error("to_whom", "Enter who the case was escalated or handed to")
        return cleaned


def new_token() -> str:
    return str(uuid.uuid4())


# -- Reference data (administrators) ---------------------------------------------------


class ProviderForm(forms.ModelForm):
    use_required_attribute = False

    class Meta:
        model = Provider
        fields = ["name", "accredited", "is_active", "position"]
        labels = {"name": "Provider name"}
        error_messages = {
            "name": {
                "required": "Enter the provider's name",
                "unique": "A provider with this name already exists",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Save"))
        self.fields["position"].error_messages["invalid"] = "Enter the display order as a number"
        self.fields["position"].widget = forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "numeric"}
        )


class InterventionTypeForm(forms.ModelForm):
    use_required_attribute = False

    class Meta:
        model = InterventionType
        fields = ["name", "is_active", "position"]
        labels = {"name": "Type of intervention"}
        error_messages = {
            "name": {
                "required": "Enter the type of intervention",
                "unique": "A type of intervention with this name already exists",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Save"))
        self.fields["position"].error_messages["invalid"] = "Enter the display order as a number"
        self.fields["position"].widget = forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "numeric"}
        )

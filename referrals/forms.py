"""The pages of the intake journey: one small form each, GOV.UK wording throughout."""

from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit
from django import forms
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import mark_safe

from governance.forms import date_widget
from governance.models import District
from prevent_portal.ui.uploads import MAX_UPLOAD_BYTES, max_rows_setting, size_label
from referrals.choices import PersonAware, ReferralStatus
from referrals.models import ConcernType, Sector, Sex
from referrals.reference import scheme_for
from referrals.transitions import STEP_LABELS, allowed_from

NEW_PERSON = "new"


def _date_messages(label: str) -> dict:
    return {
        "required": f"Enter the {label}",
        "invalid": f"Enter the {label} as a real date, for example 31 3 2026",
    }


class StepForm(forms.Form):
    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", self.submit_label))


class PersonForm(StepForm):
    given_names = forms.CharField(
        label="Given names", max_length=150, error_messages={"required": "Enter the given names"}
    )
    family_name = forms.CharField(
        label="Family name", max_length=150, error_messages={"required": "Enter the family name"}
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        widget=date_widget(),
        help_text="Leave empty if it is not known",
        error_messages=_date_messages("date of birth"),
    )
    approximate_age = forms.IntegerField(
        label="Approximate age, if the date of birth is not known",
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "invalid": "Approximate age must be a whole number, 0 to 120",
            "min_value": "Approximate age must be a whole number, 0 to 120",
            "max_value": "Approximate age must be a whole number, 0 to 120",
        },
    )
    sex = forms.ModelChoiceField(
        label="Sex",
        queryset=Sex.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the person's sex, or Not known"},
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past")
        return born

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_of_birth") and cleaned.get("approximate_age") is not None:
            self.add_error(
                "approximate_age", "Give either the date of birth or an approximate age, not both"
            )
        return cleaned


class MatchForm(StepForm):
    person = forms.ChoiceField(
        label="Is this one of these people?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a person, or that this is a new person"},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [*choices, (NEW_PERSON, "No, this is a new person")]


class PersonDetailsForm(StepForm):
    address = forms.CharField(
        label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    district = forms.ModelChoiceField(
        label="District",
        queryset=District.objects.filter(is_active=True),
        required=False,
        empty_label="Not known or outside the area",
    )
    nationality = forms.CharField(label="Nationality", required=False, max_length=100)
    first_language = forms.CharField(label="First language", required=False, max_length=100)
    setting = forms.CharField(
        label="Education or employment setting",
        required=False,
        max_length=300,
        help_text="For example a school, college or employer",
    )


class ReferrerForm(StepForm):
    name = forms.CharField(
        label="Referrer's name",
        max_length=200,
        error_messages={"required": "Enter the referrer's name"},
    )
    role = forms.CharField(label="Referrer's role", required=False, max_length=200)
    organisation = forms.CharField(label="Organisation", required=False, max_length=200)
    sector = forms.ModelChoiceField(
        label="Sector of referral",
        queryset=Sector.objects.filter(is_active=True),
        empty_label="Select the sector",
        error_messages={"required": "Select the sector of referral"},
    )
    contact = forms.CharField(
        label="Contact details",
        required=False,
        max_length=300,
        help_text="Email address or telephone number",
    )


class ConcernTypesForm(StepForm):
    types = forms.ModelMultipleChoiceField(
        label="Types of concern",
        queryset=ConcernType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"required": "Select at least one type of concern"},
    )
    primary = forms.ModelChoiceField(
        label="Main type of concern",
        queryset=ConcernType.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        required=False,
        help_text="Needed when more than one type is selected",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = ConcernType.objects.filter(
            is_active=True, scheme=scheme_for(timezone.localdate())
        )
        self.fields["types"].queryset = current
        self.fields["primary"].queryset = current

    def clean(self):
        cleaned = super().clean()
        types, primary = list(cleaned.get("types") or []), cleaned.get("primary")
        if len(types) == 1 and primary is None:
            cleaned["primary"] = types[0]
        elif types and primary is None:
            self.add_error("primary", "Select the main type of concern")
        elif types and primary not in types:
            self.add_error("primary", "The main type of concern must be one of those selected")
        return cleaned


class ConcernDetailsForm(StepForm):
    concerns = forms.CharField(
        label="Describe the concerns",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Describe the concerns"},
    )
    complex_needs = forms.CharField(
        label="Complex needs", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    other_information = forms.CharField(
        label="Other information", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReceivedForm(StepForm):
    date_received = forms.DateField(
        label="Date the referral was received",
        widget=date_widget(),
        error_messages=_date_messages("date the referral was received"),
    )
    person_aware = forms.ChoiceField(
        label="Does the person know of the referral?",
        choices=PersonAware.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the person knows of the referral"},
    )
    police_reference = forms.CharField(
        label="Police or national reference",
        required=False,
        max_length=60,
        help_text="If there is one",
    )

    def __init__(self, *args, date_of_birth=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.date_of_birth = date_of_birth

    def clean_date_received(self):
        received = self.cleaned_data["date_received"]
        if received > timezone.localdate():
            raise forms.ValidationError(
                "The date the referral was received must be today or in the past"
            )
        if self.date_of_birth and received < self.date_of_birth:
            raise forms.ValidationError(
                "The date the referral was received must be on or after the date of birth"
            )
        return received


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)


class StepChoiceField(forms.ChoiceField):
    """Offers the allowed steps, but accepts any status: the service then refuses a step
    not in the table with a message that names it."""

    def valid_value(self, value):
        return value in ReferralStatus.values


class TransitionForm(forms.Form):
    """ "Record the next step" on the case page: only the steps allowed from the status."""

    to_status = StepChoiceField(
        label="What happened next?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what happened next",
            "invalid_choice": "Select one of the steps this case can take next",
        },
    )
    signposted_to = forms.CharField(
        label="Service signposted to",
        required=False,
        max_length=200,
        help_text="Only if the person was signposted to another service",
    )
    reason = forms.CharField(
        label="Reason or notes",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Enter the reason for this step"},
    )
    occurred_on = forms.DateField(
        label="Date of the step",
        widget=date_widget(),
        error_messages=_date_messages("date of the step"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        self.use_required_attribute = False
        self.fields["to_status"].choices = [
            (status, STEP_LABELS[status]) for status in allowed_from(referral.status)
        ]
        self.fields["version"].initial = referral.version
        self.helper = FormHelper()
        # The case page writes the <form> tag and its CSRF token: the fields alone can
        # then be kept (`step_fields_html`), never a token.
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Record the step"))

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of the step must be today or in the past")
        if day < self.referral.date_received:
            raise forms.ValidationError(
                "The date of the step must be on or after the date received, "
                f"{self.referral.date_received:%-d %B %Y}"
            )
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_status") == "signposted" and not cleaned.get("signposted_to", ""):
            self.add_error("signposted_to", "Enter the service the person was signposted to")
        return cleaned


# -- Editing after intake -------------------------------------------------------------


class EditForm(forms.Form):
    """An edit of an existing record: carries the version it started from (hidden)."""

    submit_label = "Save changes"
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", self.submit_label))

    def lay_out(self):
        """A layout of the fields: non-field errors then show only in the error summary."""
        self.helper.layout = Layout(*self.fields)


def _in_use_or(queryset, current_pks):
    """Entries in use, plus those the record already has (a retired entry kept as is)."""
    from django.db.models import Q

    return queryset.filter(Q(is_active=True) | Q(pk__in=[pk for pk in current_pks if pk]))


class PersonEditForm(EditForm, PersonForm, PersonDetailsForm):
    """The person's details: every field is identifying (identity grant only)."""

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["sex"].queryset = _in_use_or(Sex.objects.all(), [person.sex_id])
        self.fields["district"].queryset = _in_use_or(District.objects.all(), [person.district_id])
        order = [
            "given_names",
            "family_name",
            "date_of_birth",
            "approximate_age",
            "sex",
            "address",
            "district",
            "nationality",
            "first_language",
            "setting",
            "version",
        ]
        self.order_fields(order)
        self.lay_out()


class ReferralEditForm(EditForm):
    """The referral's details. Without the identity grant the referrer's name and contact
    details are left out (they are hidden from that user, so not changed either)."""

    referrer_name = ReferrerForm.base_fields["name"]
    referrer_role = ReferrerForm.base_fields["role"]
    referrer_organisation = ReferrerForm.base_fields["organisation"]
    referrer_contact = ReferrerForm.base_fields["contact"]
    sector = forms.ModelChoiceField(
        label="Sector of referral",
        queryset=Sector.objects.none(),
        empty_label="Select the sector",
        error_messages={
            "required": "Select the sector of referral",
            "invalid_choice": "Select a sector from the list",
        },
    )
    concern_types = forms.ModelMultipleChoiceField(
        label="Types of concern",
        queryset=ConcernType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={
            "required": "Select at least one type of concern",
            "invalid_choice": "Select types of concern from the list",
            "invalid_pk_value": "Select types of concern from the list",
        },
    )
    primary_concern = forms.ModelChoiceField(
        label="Main type of concern",
        queryset=ConcernType.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        required=False,
        help_text="Needed when more than one type is selected",
        error_messages={"invalid_choice": "Select the main type of concern from the list"},
    )
    concerns = ConcernDetailsForm.base_fields["concerns"]
    complex_needs = ConcernDetailsForm.base_fields["complex_needs"]
    other_information = ConcernDetailsForm.base_fields["other_information"]
    person_aware = ReceivedForm.base_fields["person_aware"]
    date_received = ReceivedForm.base_fields["date_received"]
    police_reference = ReceivedForm.base_fields["police_reference"]

    def __init__(self, *args, referral, show_identities, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        if not show_identities:
            del self.fields["referrer_name"]
            del self.fields["referrer_contact"]
        self.fields["sector"].queryset = _in_use_or(Sector.objects.all(), [referral.sector_id])
        current = [item.pk for item in referral.concern_types.all()]
        types = ConcernType.objects.filter(
            scheme=scheme_for(referral.date_received)
        ) | ConcernType.objects.filter(pk__in=current)
        types = _in_use_or(types, current).order_by("scheme", "position", "name")
        self.fields["concern_types"].queryset = types
        self.fields["primary_concern"].queryset = types
        self.lay_out()

    def clean_date_received(self):
        received = self.cleaned_data["date_received"]
        if received > timezone.localdate():
            raise forms.ValidationError(
                "The date the referral was received must be today or in the past"
            )
        born = self.referral.person.date_of_birth
        if born and received < born:
            raise forms.ValidationError(
                "The date the referral was received must be on or after the date of birth"
            )
        return received

    def clean(self):
        cleaned = super().clean()
        types, primary = list(cleaned.get("concern_types") or []), cleaned.get("primary_concern")
        if len(types) == 1 and primary is None:
            cleaned["primary_concern"] = types[0]
        elif types and primary is None:
            self.add_error("primary_concern", "Select the main type of concern")
        elif types and primary not in types:
            self.add_error(
                "primary_concern", "The main type of concern must be one of those selected"
            )
        return cleaned


class ReassignForm(EditForm):
    submit_label = "Reassign the case"
    case_manager = forms.ModelChoiceField(
        label="New case manager",
        queryset=None,
        empty_label="Select a case manager",
        error_messages={
            "required": "Select the new case manager",
            "invalid_choice": "Select a case manager from the list",
        },
    )

    def __init__(self, *args, managers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = managers
        self.fields["case_manager"].label_from_instance = lambda user: (
            user.get_full_name() or user.get_username()
        )
        self.order_fields(["case_manager", "version"])
        self.lay_out()


class ReferralImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"At most {max_rows_setting():,} rows and {size_label(MAX_UPLOAD_BYTES)}. You will "
            "see every row and its problems before anything is imported."
        )
        self.use_required_attribute = False
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Upload and check"))


STEP_FIELDS_SECONDS = 300


def step_fields_html(form: TransitionForm) -> str:
    """The step form's fields and button as HTML (no <form> tag, no token).

    Unsent, the form depends only on the case's status (the steps offered) and version
    (a hidden field): the same HTML for every case at that status and version, kept for
    STEP_FIELDS_SECONDS (rendering it was a sixth of the case page's time). A form that
    was sent, with its values and errors, is always rendered afresh."""
    if form.is_bound:
        return mark_safe(render_crispy_form(form))  # noqa: S308 (as below)
    key = f"referrals:step-fields:{form.referral.status}:{form.referral.version}"
    html = cache.get(key)
    if html is None:
        html = render_crispy_form(form)
        cache.set(key, html, STEP_FIELDS_SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by crispy's templates, escaped there)


class MatchReviewForm(forms.Form):
    """Confirm a possible match: one of the people on record, or a new person. The first
    POST shows a confirmation page; the second (with `confirm`) records the answer."""

    same_as = forms.ChoiceField(
        label="Is this the same person as one on record?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the person on record, or that this is a new person",
            "invalid_choice": "Select the person on record, or that this is a new person",
        },
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.helper = FormHelper()  # the error summary reads it
        self.fields["same_as"].choices = [
            *((str(person.pk), person.full_name) for person in candidates),
            (NEW_PERSON, "No, this is a new person"),
        ]
        self.candidates = {str(person.pk): person for person in candidates}

    def chosen_person(self):
        """The person on record chosen, or None for a new person (after is_valid)."""
        return self.candidates.get(self.cleaned_data["same_as"])

"""Forms of the register, the disclosure log and subject access; crispy-forms-gds."""

import uuid

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.utils import timezone

from disclosures.choices import AUTOMATIC_METHODS, LawfulBasis, Method, RequesterRelationship
from disclosures.models import DisclosureEntry, SharingAgreement
from disclosures.selectors import active_agreements
from governance.forms import date_widget
from governance.models import Partner

EXPIRED = {
    "required": "This form has expired: open it again",
    "invalid": "This form has expired: open it again",
}


def _date(label: str, *, required=True, help_text="For example 27 3 2026") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=date_widget(),
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a real date",
        },
    )


def _text(label, *, max_length=None, required=True, textarea=False, help_text="", message=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}) if textarea else None,
        error_messages={
            "required": message or f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


class _GovukForm(forms.Form):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        if self.submit_label:
            self.helper.add_input(Submit("submit", self.submit_label))

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = value.replace("\x00", "").strip()
        return cleaned


def _partner_field(label="Partner organisation"):
    return forms.ModelChoiceField(
        label=label,
        queryset=Partner.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="Not in the partner register",
        error_messages={"invalid_choice": "Select a partner organisation from the list"},
    )


class AgreementForm(_GovukForm):
    submit_label = "Save the agreement"

    title = _text("Title of the agreement", max_length=200, message="Enter the title")
    partner = _partner_field()
    other_organisation = _text(
        "Other organisation",
        max_length=200,
        required=False,
        help_text="If the organisation is not in the partner register",
    )
    purpose = _text("Purpose", textarea=True, message="Enter the purpose of the sharing")
    lawful_basis = forms.ChoiceField(
        label="Lawful basis",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the lawful basis"},
    )
    data_categories = _text(
        "Categories of data shared",
        textarea=True,
        help_text="For example: identity, concerns, VAF assessments, support plan",
        message="Enter the categories of data shared",
    )
    review_on = _date("Review date")
    document_reference = _text(
        "Document reference",
        max_length=200,
        required=False,
        help_text="Where the signed agreement is kept",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agreement: SharingAgreement | None = None, **kwargs):
        if agreement is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": agreement.title,
                "partner": agreement.partner_id,
                "other_organisation": agreement.other_organisation,
                "purpose": agreement.purpose,
                "lawful_basis": agreement.lawful_basis,
                "data_categories": agreement.data_categories,
                "review_on": agreement.review_on,
                "document_reference": agreement.document_reference,
                "version": agreement.version,
            }
        super().__init__(*args, **kwargs)
        self.editing = agreement is not None
        if not self.editing:
            self.fields["token"].initial = uuid.uuid4()

    def clean(self):
        cleaned = super().clean()
        missing = not cleaned.get("partner") and not cleaned.get("other_organisation")
        if missing and "other_organisation" not in self.errors:
            self.add_error(
                "partner", "Select a partner organisation, or enter another organisation"
            )
        if self.editing and cleaned.get("version") is None:
            raise forms.ValidationError("This form has expired: open it again")
        if not self.editing and cleaned.get("token") is None:
            raise forms.ValidationError("This form has expired: open it again")
        return cleaned


class AgreementEndForm(_GovukForm):
    submit_label = "End the agreement"

    ended_on = _date("Date the agreement ended")
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages=EXPIRED)

    def clean_ended_on(self):
        ended_on = self.cleaned_data["ended_on"]
        if ended_on > timezone.localdate():
            raise forms.ValidationError("The date the agreement ended must be today or earlier")
        return ended_on


class DisclosureForm(_GovukForm):
    submit_label = "Add to the disclosure log"

    what_shared = _text(
        "What was shared",
        textarea=True,
        help_text="The records or facts, not a copy of them",
        message="Enter what was shared",
    )
    recipient_partner = _partner_field("Shared with (partner organisation)")
    recipient_organisation = _text(
        "Shared with (other organisation)",
        max_length=300,
        required=False,
        help_text="If the organisation is not in the partner register",
    )
    recipient_role = _text(
        "Recipient's role",
        max_length=200,
        help_text="For example: Designated Safeguarding Lead. A role, not a name",
        message="Enter the recipient's role",
    )
    purpose = _text("Why it was shared", textarea=True, message="Enter why it was shared")
    lawful_basis = forms.ChoiceField(
        label="Lawful basis",
        choices=[("", "Select the lawful basis"), *LawfulBasis.choices],
        error_messages={
            "required": "Select the lawful basis",
            "invalid_choice": "Select the lawful basis from the list",
        },
    )
    agreement = forms.ModelChoiceField(
        label="Information-sharing agreement",
        queryset=SharingAgreement.objects.none(),
        required=False,
        empty_label="No agreement",
        error_messages={"invalid_choice": "Select an active agreement from the list"},
    )
    shared_on = _date("Date shared")
    method = forms.ChoiceField(
        label="How it was shared",
        choices=[
            ("", "Select how it was shared"),
            *[(v, label) for v, label in Method.choices if v not in AUTOMATIC_METHODS],
        ],
        error_messages={
            "required": "Select how it was shared",
            "invalid_choice": "Select how it was shared from the list",
        },
    )
    token = forms.UUIDField(widget=forms.HiddenInput, error_messages=EXPIRED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4()
        self.fields["agreement"].queryset = active_agreements()
        self.fields["agreement"].label_from_instance = lambda a: f"{a.title} ({a.organisation})"

    def clean_shared_on(self):
        shared_on = self.cleaned_data["shared_on"]
        if shared_on > timezone.localdate():
            raise forms.ValidationError("The date shared must be today or earlier")
        return shared_on

    def clean(self):
        cleaned = super().clean()
        partner = cleaned.get("recipient_partner")
        if partner is not None:
            cleaned["recipient_organisation"] = partner.name
        elif not cleaned.get("recipient_organisation") and not self.has_error(
            "recipient_organisation"
        ):
            self.add_error(
                "recipient_partner",
                "Select the partner organisation it was shared with, or enter another one",
            )
        return cleaned


class LogFilter(django_filters.FilterSet):
    shared_from = django_filters.DateFilter(
        label="Shared on or after", field_name="shared_on", lookup_expr="gte", widget=date_widget()
    )
    shared_to = django_filters.DateFilter(
        label="Shared on or before", field_name="shared_on", lookup_expr="lte", widget=date_widget()
    )
    organisation = django_filters.CharFilter(
        label="Shared with", field_name="recipient_organisation", lookup_expr="icontains"
    )
    lawful_basis = django_filters.ChoiceFilter(
        choices=LawfulBasis.choices, empty_label="Any lawful basis"
    )
    method = django_filters.ChoiceFilter(label="How", choices=Method.choices, empty_label="Any way")
    agreement = django_filters.ModelChoiceFilter(
        queryset=lambda request: SharingAgreement.objects.order_by("title"),
        empty_label="Any agreement",
    )

    class Meta:
        model = DisclosureEntry
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "govuk-select")
            elif not widget.attrs.get("class"):
                widget.attrs["class"] = "govuk-input"


class PersonSearchForm(_GovukForm):
    submit_label = "Search"

    name = _text(
        "Name",
        max_length=150,
        help_text="Given or family name, or both",
        message="Enter the person's name",
    )
    date_of_birth = _date("Date of birth", required=False, help_text="If known")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].replace("\x00", "").split())
        if len(name) < 2:
            raise forms.ValidationError("Enter at least 2 letters of the name")
        return name


class RequestForm(_GovukForm):
    submit_label = "Start the request"

    requester_name = _text("Requester's name", max_length=200)
    requester_relationship = forms.ChoiceField(
        label="Who is asking",
        choices=RequesterRelationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is asking"},
    )
    requester_contact = _text(
        "Requester's address or email", textarea=True, required=False, max_length=1000
    )
    identity_check = _text(
        "How the requester's identity was checked",
        textarea=True,
        required=False,
        max_length=1000,
        help_text="And, for someone asking on the person's behalf, their authority",
    )
    received_on = _date("Date received", help_text="The one-month deadline counts from it")
    token = forms.UUIDField(widget=forms.HiddenInput, error_messages=EXPIRED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4()

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        today = timezone.localdate()
        if received_on > today:
            raise forms.ValidationError("The date received must be today or earlier")
        if received_on.year < 2000:
            raise forms.ValidationError("The date received must be in 2000 or later")
        return received_on


class ReleaseForm(_GovukForm):
    submit_label = ""

    confirm = forms.BooleanField(
        label="I have reviewed every item and every redaction decision in this bundle",
        error_messages={"required": "Confirm that you have reviewed the bundle"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages=EXPIRED)

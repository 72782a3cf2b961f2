from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.db.models import Q
from django.utils import timezone

from education.choices import EnquiryKind, EnquiryStatus, SessionFormat
from education.models import AudienceCategory, Enquiry, Newsletter, OutreachSession, Setting
from education.selectors import education_officers
from governance.forms import GovukModelForm
from governance.models import District


def date_widget():
    # One kind of date input across the portal: the browser's native date picker.
    return forms.DateInput(
        attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}, format="%Y-%m-%d"
    )


def date_messages(label: str) -> dict:
    return {
        "required": f"Enter the {label}",
        "invalid": f"Enter the {label} as a real date, for example 31 3 2027",
    }


def setting_label(setting: Setting) -> str:
    return f"{setting.name} (URN {setting.urn})"


class SettingForm(GovukModelForm):
    required_messages = {"urn": "Enter the URN", "name": "Enter the name of the setting"}

    class Meta:
        model = Setting
        fields = [
            "urn",
            "name",
            "establishment_type",
            "phase",
            "local_authority",
            "district",
            "postcode",
            "is_open",
        ]
        labels = {"name": "Name of the setting", "is_open": "Open"}
        help_texts = {"urn": "The DfE unique reference number, for example 118712"}
        error_messages = {
            "urn": {
                "unique": "A setting with this URN already exists",
                "invalid": "The URN must be a whole number, for example 118712",
                "min_value": "The URN must be a whole number, for example 118712",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["urn"].widget.attrs["class"] = "govuk-input govuk-input--width-10"
        self.fields["district"].queryset = District.objects.filter(is_active=True)
        self.fields["district"].empty_label = "No district"
        self.fields["postcode"].widget.attrs["class"] = "govuk-input govuk-input--width-10"


class SessionForm(GovukModelForm):
    required_messages = {
        "date": "Enter the date of the session",
        "peo": "Select the PEO who delivered the session",
        "audience": "Select the audience",
        "settings": "Select the settings reached",
        "attendees": "Enter the number of attendees",
        "format": "Select the format",
        "topic": "Enter the topic",
    }

    class Meta:
        model = OutreachSession
        fields = [
            "date",
            "peo",
            "audience",
            "settings",
            "attendees",
            "format",
            "topic",
            "notes",
            "feedback",
        ]
        widgets = {
            "date": date_widget(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "feedback": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "date": date_messages("date of the session"),
            "attendees": {
                "invalid": "Attendees must be a whole number, 0 or more",
                "min_value": "Attendees must be a whole number, 0 or more",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peo"].queryset = education_officers()
        self.fields["peo"].empty_label = "Select a PEO"
        self.fields["audience"].queryset = AudienceCategory.objects.filter(is_active=True)
        self.fields["audience"].empty_label = "Select an audience"
        chosen = list(self.instance.settings.all()) if self.instance.pk else []
        self.fields["settings"].queryset = Setting.objects.filter(
            Q(is_open=True) | Q(pk__in=[s.pk for s in chosen])
        )
        self.fields["settings"].label_from_instance = setting_label
        self.fields["settings"].widget.attrs.update(
            {"data-module": "portal-multi-autocomplete", "class": "govuk-select", "size": 8}
        )
        self.fields[
            "settings"
        ].help_text = "Select all that apply. Type a name or a URN to find a setting."
        self.fields["format"].choices = [("", "Select a format"), *SessionFormat.choices]
        self.fields["attendees"].widget.attrs["class"] = "govuk-input govuk-input--width-5"
        self.fields["attendees"].widget.attrs["inputmode"] = "numeric"
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())


class EnquiryForm(GovukModelForm):
    required_messages = {
        "date": "Enter the date of the enquiry",
        "setting": "Select the setting",
        "asked_by_role": "Enter the role of who asked",
        "topic": "Enter the topic",
        "status": "Select the status",
    }

    class Meta:
        model = Enquiry
        fields = [
            "date",
            "setting",
            "kind",
            "asked_by_role",
            "topic",
            "status",
            "outcome",
            "handled_by",
        ]
        widgets = {"date": date_widget(), "outcome": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "asked_by_role": "A role, never the name of a child, for example Head of Year"
        }
        error_messages = {"date": date_messages("date of the enquiry")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["setting"].queryset = Setting.objects.order_by("name")
        self.fields["setting"].label_from_instance = setting_label
        self.fields["setting"].empty_label = "Select a setting"
        self.fields["handled_by"].queryset = education_officers()
        self.fields["handled_by"].empty_label = "Not assigned"
        self.fields["kind"].choices = EnquiryKind.choices
        self.fields["status"].choices = EnquiryStatus.choices
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())


class NewsletterForm(GovukModelForm):
    required_messages = {
        "issue_date": "Enter the issue date",
        "title": "Enter the title",
        "settings_count": "Enter the number of settings it went to",
    }

    class Meta:
        model = Newsletter
        fields = ["issue_date", "title", "settings_count"]
        widgets = {"issue_date": date_widget()}
        error_messages = {
            "issue_date": {
                **date_messages("issue date"),
                "unique": "A newsletter with this issue date already exists",
            },
            "settings_count": {
                "invalid": "The number of settings must be a whole number, 0 or more",
                "min_value": "The number of settings must be a whole number, 0 or more",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settings_count"].widget.attrs["class"] = "govuk-input govuk-input--width-5"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file", error_messages={"required": "Select a CSV file"}
    )

    def __init__(self, *args, help_text: str = "", submit_label: str = "Upload", **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.fields["file"].help_text = help_text
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", submit_label))


class FiguresPeriodForm(forms.Form):
    """The date range of the figures on the education landing page."""

    start = forms.DateField(
        label="From", widget=date_widget(), error_messages=date_messages("start date")
    )
    end = forms.DateField(
        label="To", widget=date_widget(), error_messages=date_messages("end date")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        return cleaned

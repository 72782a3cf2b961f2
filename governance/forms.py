from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms

from governance.choices import RATED_STATUSES, ActionStatus, DistrictKind, PartnerSector, Rag
from governance.models import (
    BoardMeeting,
    BoardMember,
    District,
    MeetingAction,
    Partner,
    Partnership,
    PeoArea,
    Plan,
    PlanAction,
    PlanHeading,
    RiskArea,
    RiskAssessment,
)


class GovukModelForm(forms.ModelForm):
    """A ModelForm rendered by crispy-forms-gds with a GOV.UK error summary."""

    submit_label = "Save"
    # GOV.UK forms validate on the server and show an error summary; the browser's own
    # pop-up validation would get in the way.
    use_required_attribute = False
    # GOV.UK wording for a required field left empty: "Enter the <label>".
    required_messages: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", self.submit_label))
        for name, field in self.fields.items():
            message = self.required_messages.get(name)
            if message:
                field.error_messages["required"] = message


class PartnershipForm(GovukModelForm):
    required_messages = {"name": "Enter the partnership's name"}

    class Meta:
        model = Partnership
        fields = ["name", "short_name"]
        labels = {"name": "Partnership name", "short_name": "Short name"}


class PeoAreaForm(GovukModelForm):
    required_messages = {"name": "Enter the name of the PEO area"}

    class Meta:
        model = PeoArea
        fields = ["name", "description", "is_active"]
        error_messages = {"name": {"unique": "A PEO area with this name already exists"}}


class DistrictForm(GovukModelForm):
    required_messages = {
        "name": "Enter the name of the district",
        "kind": "Select the kind of council",
        "peo_area": "Select the PEO area",
    }

    class Meta:
        model = District
        fields = ["name", "kind", "peo_area", "lead_contact", "csp_attendance", "is_active"]
        error_messages = {"name": {"unique": "A district with this name already exists"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peo_area"].queryset = PeoArea.objects.filter(is_active=True)
        self.fields["peo_area"].empty_label = "Select a PEO area"
        self.fields["kind"].choices = [("", "Select the kind of council"), *DistrictKind.choices]


class PartnerForm(GovukModelForm):
    required_messages = {
        "name": "Enter the name of the organisation",
        "sector": "Select the organisation's sector",
    }

    class Meta:
        model = Partner
        fields = ["name", "sector", "district", "is_active"]
        labels = {"name": "Organisation name"}
        error_messages = {"name": {"unique": "An organisation with this name already exists"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(is_active=True)
        self.fields["district"].empty_label = "Whole area"
        self.fields["sector"].choices = [("", "Select a sector"), *PartnerSector.choices]


# --------------------------------------------------------------------------------------
# The plan, the risk assessment, the board, districts
# --------------------------------------------------------------------------------------


def date_widget():
    # One kind of date input across governance: the browser's native date picker.
    return forms.DateInput(
        attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}, format="%Y-%m-%d"
    )


def multi_select(field):
    """A native <select multiple> that the shared autocomplete enhances when JS runs."""
    field.widget.attrs.update({"data-module": "portal-multi-autocomplete", "class": "govuk-select"})
    field.help_text = field.help_text or "Select all that apply"


def _date_messages(label: str) -> dict:
    return {
        "required": f"Enter the {label}",
        "invalid": f"Enter the {label} as a real date, for example 31 3 2027",
    }


class PlanForm(GovukModelForm):
    required_messages = {"title": "Enter the period of the plan, for example 2026–27"}

    class Meta:
        model = Plan
        fields = ["title", "starts_on", "ends_on"]
        labels = {"title": "Period"}
        widgets = {"starts_on": date_widget(), "ends_on": date_widget()}
        error_messages = {
            "title": {"unique": "A plan for this period already exists"},
            "starts_on": _date_messages("start date"),
            "ends_on": _date_messages("end date"),
        }

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", "The end date must be after the start date")
        if starts_on and self.instance.pk:
            early = self.instance.actions.filter(due_on__lt=starts_on).values_list(
                "reference", flat=True
            )
            if early:
                self.add_error(
                    "starts_on",
                    "The start date must be on or before the due date of every action "
                    f"(actions {', '.join(early)} are due earlier)",
                )
        return cleaned


class PlanHeadingForm(GovukModelForm):
    required_messages = {
        "number": "Enter the number of the heading",
        "title": "Enter the title of the heading",
    }

    class Meta:
        model = PlanHeading
        fields = ["number", "title", "is_active"]
        error_messages = {
            "number": {
                "unique": "A heading with this number already exists",
                "invalid": "The number must be a whole number, 1 or more",
            },
            "title": {"unique": "A heading with this title already exists"},
        }


class PlanActionForm(GovukModelForm):
    required_messages = {
        "reference": "Enter the reference of the action",
        "heading": "Select the heading",
        "description": "Enter the description of the action",
    }

    class Meta:
        model = PlanAction
        fields = ["reference", "heading", "description", "owner", "lead", "due_on", "risk_areas"]
        widgets = {"due_on": date_widget(), "description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"due_on": _date_messages("due date")}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["heading"].queryset = PlanHeading.objects.filter(is_active=True)
        self.fields["heading"].empty_label = "Select a heading"
        self.fields["owner"].queryset = Partner.objects.filter(is_active=True)
        self.fields["owner"].empty_label = "No owner organisation yet"
        self.fields["risk_areas"].queryset = RiskArea.objects.select_related("assessment")
        self.fields["risk_areas"].label_from_instance = lambda area: (
            f"{area.title} ({area.assessment.year})"
        )
        multi_select(self.fields["risk_areas"])

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        others = self.instance.plan.actions.exclude(pk=self.instance.pk)
        if others.filter(reference=reference).exists():
            raise forms.ValidationError("An action with this reference already exists in the plan")
        return reference

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        plan = self.instance.plan
        if due_on < plan.starts_on:
            raise forms.ValidationError(
                f"The due date must be on or after the start of the plan "
                f"({plan.starts_on:%-d %B %Y})"
            )
        return due_on


class ProgressUpdateForm(forms.Form):
    dated = forms.DateField(
        label="Date of the update",
        widget=date_widget(),
        error_messages=_date_messages("date of the update"),
    )
    status = forms.ChoiceField(
        choices=[("", "Select the status"), *ActionStatus.choices],
        error_messages={"required": "Select the status"},
    )
    rag = forms.ChoiceField(
        label="RAG rating at this date",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Needed when the action is on track, at risk or off track",
    )
    narrative = forms.CharField(
        label="Progress",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the progress made"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Save the update"))

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status in RATED_STATUSES and not cleaned.get("rag"):
            self.add_error("rag", "Select the RAG rating at this date")
        return cleaned


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Columns: reference, heading, description, owner, lead, due_date, status",
        error_messages={"required": "Select a CSV file"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Import actions"))


class RiskAssessmentForm(GovukModelForm):
    required_messages = {"year": "Enter the year", "title": "Enter the title"}

    class Meta:
        model = RiskAssessment
        fields = ["year", "title", "summary"]
        error_messages = {
            "year": {
                "unique": "A risk assessment for this year already exists",
                "invalid": "The year must be a whole number, for example 2026",
            }
        }


class RiskAreaForm(GovukModelForm):
    required_messages = {
        "title": "Enter the title of the risk area",
        "likelihood": "Select the likelihood",
        "impact": "Select the impact",
        "rating": "Select the rating",
        "trend": "Select the trend since last year",
    }

    class Meta:
        model = RiskArea
        fields = ["title", "description", "likelihood", "impact", "rating", "trend", "districts"]
        help_texts = {
            "likelihood": "1 (rare) to 5 (almost certain)",
            "impact": "1 (minimal) to 5 (severe)",
        }

    def __init__(self, *args, assessment: RiskAssessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.assessment = assessment
        self.fields["districts"].queryset = District.objects.filter(is_active=True)
        multi_select(self.fields["districts"])
        for name in ("likelihood", "impact", "rating", "trend"):
            choices = [c for c in self.fields[name].choices if c[0] != ""]
            self.fields[name].choices = [("", "Select"), *choices]

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        others = self.instance.assessment.areas.exclude(pk=self.instance.pk)
        if others.filter(title__iexact=title).exists():
            raise forms.ValidationError("This assessment already has a risk area with this title")
        return title


class BoardMemberForm(GovukModelForm):
    required_messages = {
        "name": "Enter the member's name",
        "partner": "Select the partner organisation",
        "board_role": "Enter the member's role on the board",
    }

    class Meta:
        model = BoardMember
        fields = ["name", "partner", "board_role", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True)
        self.fields["partner"].empty_label = "Select an organisation"


class BoardMeetingForm(GovukModelForm):
    required_messages = {"held_on": "Enter the date of the meeting"}

    class Meta:
        model = BoardMeeting
        fields = ["held_on", "attendees", "papers", "minutes"]
        widgets = {"held_on": date_widget()}
        error_messages = {
            "held_on": {
                **_date_messages("date of the meeting"),
                "unique": "A board meeting on this date already exists",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = BoardMember.objects.select_related("partner")
        multi_select(self.fields["attendees"])


class MeetingActionForm(GovukModelForm):
    required_messages = {
        "description": "Enter the action",
        "owner": "Enter who owns the action",
    }

    class Meta:
        model = MeetingAction
        fields = ["description", "owner", "due_on", "is_done"]
        labels = {"description": "Action"}
        widgets = {"due_on": date_widget(), "description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"due_on": _date_messages("due date")}

    def __init__(self, *args, meeting: BoardMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting


class DistrictContactForm(GovukModelForm):
    class Meta:
        model = District
        fields = ["lead_contact", "csp_attendance"]


class DistrictNoteForm(forms.Form):
    noted_on = forms.DateField(
        label="Date of contact",
        widget=date_widget(),
        error_messages=_date_messages("date of contact"),
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the note"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Add the note"))

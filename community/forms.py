import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms
from django.utils import timezone

from community.choices import ActivityKind, Ideology, IncidentKind, IssueStatus
from community.models import (
    Activity,
    Incident,
    LocalIssue,
    NotableItem,
    Platform,
    TensionLevel,
    TensionSummary,
    Theme,
)
from governance.forms import GovukModelForm, date_widget, multi_select
from governance.models import District, Partner

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def _date_messages(label: str) -> dict:
    return {
        "required": f"Enter the {label}",
        "invalid": f"Enter the {label} as a real date, for example 31 3 2026",
    }


def _district_messages() -> dict:
    return {
        "required": "Select the district",
        "invalid_choice": "Select a district from the list",
    }


def _not_in_future(value, label: str):
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"The {label} must be today or in the past")
    return value


class _NoInputsForm(GovukModelForm):
    """Rendered inside a template's own <form> (with a formset or a custom button)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False
        self.helper.inputs = []


class SummaryForm(_NoInputsForm):
    required_messages = {
        "week_commencing": "Enter the week commencing date",
        "level": "Select the overall tension level",
        "themes": "Select at least one theme",
        "narrative": "Enter the summary",
    }

    class Meta:
        model = TensionSummary
        fields = [
            "week_commencing",
            "level",
            "themes",
            "districts",
            "platforms",
            "narrative",
            "distribution",
        ]
        labels = {
            "week_commencing": "Week commencing",
            "level": "Overall tension level",
            "narrative": "Summary",
            "distribution": "Distribution list",
        }
        help_texts = {
            "week_commencing": "The Monday of the week, for example 2 3 2026",
            "narrative": "What was seen this week, and what it means for the area",
        }
        widgets = {
            "week_commencing": date_widget(),
            "level": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
            "platforms": forms.CheckboxSelectMultiple,
            "narrative": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {"week_commencing": _date_messages("week commencing date")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = TensionLevel.objects.order_by("rank")
        self.fields["level"].empty_label = None
        self.fields["themes"].queryset = Theme.objects.filter(is_active=True)
        self.fields["platforms"].queryset = Platform.objects.all()
        self.fields["districts"].queryset = District.objects.filter(is_active=True)
        self.fields["districts"].label = "Districts concerned"
        self.fields["districts"].error_messages["invalid_choice"] = "Select districts from the list"
        multi_select(self.fields["districts"])
        self.fields["distribution"].queryset = Partner.objects.filter(is_active=True)
        multi_select(self.fields["distribution"])
        self.fields["distribution"].help_text = "The partner organisations it is shared with"
        if self.instance.pk and self.instance.revision > 1:
            # A correction is of the same week.
            self.fields["week_commencing"].disabled = True
            self.fields["week_commencing"].help_text = "A correction is for the same week"

    def clean_week_commencing(self):
        week = self.cleaned_data["week_commencing"]
        if week.weekday() != 0:
            raise forms.ValidationError("The week commencing date must be a Monday")
        if week > timezone.localdate():
            raise forms.ValidationError("The week commencing date must be this week or earlier")
        others = TensionSummary.objects.filter(week_commencing=week)
        if self.instance.pk:
            others = others.exclude(week_commencing=self.instance.week_commencing)
        if others.exists():
            raise forms.ValidationError(
                f"A summary for the week commencing {week:%-d %B %Y} already exists"
            )
        return week


class NotableItemForm(forms.ModelForm):
    use_required_attribute = False

    class Meta:
        model = NotableItem
        fields = ["theme", "district", "platform", "seen", "passed_to", "action_taken"]
        labels = {"seen": "What was seen", "passed_to": "Passed to"}
        widgets = {
            "seen": forms.Textarea(attrs={"rows": 3}),
            "action_taken": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "theme": {"required": "Select the theme of the item"},
            "seen": {"required": "Enter what was seen"},
            "district": _district_messages(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(is_active=True)
        self.fields["theme"].empty_label = "Select a theme"
        self.fields["district"].queryset = District.objects.filter(is_active=True)
        self.fields["district"].empty_label = "Whole area or not known"
        self.fields["platform"].queryset = Platform.objects.all()
        self.fields["platform"].empty_label = "Not known"
        self.fields["passed_to"].queryset = Partner.objects.filter(is_active=True)
        self.fields["passed_to"].empty_label = "Not passed on"
        self.fields["district"].required = False
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "govuk-select"
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs["class"] = "govuk-textarea"


NotableItemFormSet = forms.inlineformset_factory(
    TensionSummary,
    NotableItem,
    form=NotableItemForm,
    extra=2,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label="Why does the summary need correcting?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
        error_messages={
            "required": "Enter why the summary needs correcting",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )
    use_required_attribute = False


class IncidentForm(GovukModelForm):
    required_messages = {
        "occurred_on": "Enter the date of the incident",
        "place": "Enter the place",
        "kind": "Select the kind of incident",
        "ideology": "Select the ideology",
    }

    class Meta:
        model = Incident
        fields = [
            "occurred_on",
            "district",
            "place",
            "postcode",
            "kind",
            "ideology",
            "group_name",
            "reported_by",
            "removed",
            "removed_on",
            "notes",
        ]
        labels = {"occurred_on": "Date", "removed": "It has been removed"}
        help_texts = {
            "place": "For example, underpass near the retail park",
            "postcode": "Optional",
        }
        widgets = {
            "occurred_on": date_widget(),
            "removed_on": date_widget(),
            "kind": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "occurred_on": _date_messages("date of the incident"),
            "removed_on": _date_messages("date it was removed"),
            "district": _district_messages(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(is_active=True)
        self.fields["district"].empty_label = "Select a district"
        self.fields["kind"].choices = IncidentKind.choices
        self.fields["ideology"].choices = [("", "Select an ideology"), *Ideology.choices]
        self.fields["reported_by"].queryset = Partner.objects.filter(is_active=True)
        self.fields["reported_by"].empty_label = "Not recorded"
        self.fields["postcode"].widget.attrs["class"] = "govuk-input govuk-input--width-10"

    def clean_occurred_on(self):
        return _not_in_future(self.cleaned_data["occurred_on"], "date of the incident")

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip().upper()
        if postcode and not POSTCODE.match(postcode):
            raise forms.ValidationError("Enter a real postcode, like ME14 1XX, or leave it empty")
        return postcode

    def clean(self):
        cleaned = super().clean()
        removed, removed_on = cleaned.get("removed"), cleaned.get("removed_on")
        occurred_on = cleaned.get("occurred_on")
        if removed_on and not removed:
            self.add_error("removed_on", "Tick 'It has been removed' or leave the date empty")
        elif removed_on and removed_on > timezone.localdate():
            self.add_error("removed_on", "The date it was removed must be today or in the past")
        elif removed_on and occurred_on and removed_on < occurred_on:
            self.add_error("removed_on", "The date it was removed must be on or after the incident")
        return cleaned


class ActivityForm(GovukModelForm):
    required_messages = {
        "occurred_on": "Enter the date of the activity",
        "kind": "Select the type of activity",
        "topic": "Enter the topic",
    }

    class Meta:
        model = Activity
        fields = [
            "occurred_on",
            "kind",
            "topic",
            "district",
            "organisations",
            "communities",
            "notes",
            "follow_up",
        ]
        labels = {"occurred_on": "Date", "kind": "Type", "organisations": "Organisations involved"}
        help_texts = {"communities": "For example, a mosque committee or a residents' group"}
        widgets = {
            "occurred_on": date_widget(),
            "kind": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "occurred_on": _date_messages("date of the activity"),
            "district": _district_messages(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ActivityKind.choices
        self.fields["district"].queryset = District.objects.filter(is_active=True)
        self.fields["district"].empty_label = "Whole area"
        self.fields["organisations"].queryset = Partner.objects.filter(is_active=True)
        multi_select(self.fields["organisations"])

    def clean_occurred_on(self):
        return _not_in_future(self.cleaned_data["occurred_on"], "date of the activity")


class LocalIssueForm(GovukModelForm):
    required_messages = {
        "title": "Enter the title of the issue",
        "starts_on": "Enter the start date",
        "status": "Select the status",
    }

    class Meta:
        model = LocalIssue
        fields = [
            "title",
            "district",
            "description",
            "starts_on",
            "ends_on",
            "status",
            "tension_items",
            "incidents",
            "activities",
        ]
        widgets = {
            "starts_on": date_widget(),
            "ends_on": date_widget(),
            "status": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "starts_on": _date_messages("start date"),
            "ends_on": _date_messages("end date"),
            "district": _district_messages(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(is_active=True)
        self.fields["district"].empty_label = "Select a district"
        self.fields["status"].choices = IssueStatus.choices
        self.fields["tension_items"].queryset = NotableItem.objects.filter(
            summary__is_latest=True
        ).select_related("summary", "theme")
        self.fields["tension_items"].label_from_instance = lambda item: (
            f"{item.summary.week_commencing:%-d %b %Y} – {item.theme}: {item.seen[:60]}"
        )
        self.fields["incidents"].queryset = Incident.objects.select_related("district")
        self.fields["incidents"].label_from_instance = lambda incident: (
            f"{incident.occurred_on:%-d %b %Y} – {incident.get_kind_display()}, "
            f"{incident.place} ({incident.district})"
        )
        self.fields["activities"].queryset = Activity.objects.all()
        self.fields["activities"].label_from_instance = lambda activity: (
            f"{activity.occurred_on:%-d %b %Y} – {activity}"
        )
        for name in ("tension_items", "incidents", "activities"):
            multi_select(self.fields[name])

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date must be on or after the start date")
        if cleaned.get("status") == IssueStatus.CLOSED and not ends_on:
            self.add_error("ends_on", "Enter the end date of a closed issue")
        return cleaned


class IncidentImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        error_messages={"required": "Select a CSV file of incidents"},
    )
    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL

import django_filters
from django import forms

from community.choices import ActivityKind, Ideology, IncidentKind
from community.models import Activity, Incident, TensionLevel, TensionSummary, Theme
from governance.models import District


def _date_filter(field_name: str, lookup: str, label: str):
    return django_filters.DateFilter(
        field_name=field_name,
        lookup_expr=lookup,
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": f"Enter the {label.lower()} as a real date"},
    )


class _GovukFilter(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "govuk-select"
            else:
                field.widget.attrs["class"] = "govuk-input"


class SummaryFilter(_GovukFilter):
    start = _date_filter("week_commencing", "gte", "Weeks from")
    end = _date_filter("week_commencing", "lte", "Weeks to")
    theme = django_filters.ModelChoiceFilter(
        field_name="themes", queryset=Theme.objects.all(), empty_label="Any theme"
    )
    level = django_filters.ModelChoiceFilter(
        label="Tension level", queryset=TensionLevel.objects.all(), empty_label="Any level"
    )
    district = django_filters.ModelChoiceFilter(
        field_name="districts", queryset=District.objects.all(), empty_label="Any district"
    )

    class Meta:
        model = TensionSummary
        fields = []


class IncidentFilter(_GovukFilter):
    start = _date_filter("occurred_on", "gte", "From")
    end = _date_filter("occurred_on", "lte", "To")
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), empty_label="Any district"
    )
    kind = django_filters.ChoiceFilter(choices=IncidentKind.choices, empty_label="Any kind")
    ideology = django_filters.ChoiceFilter(choices=Ideology.choices, empty_label="Any ideology")
    removed = django_filters.BooleanFilter(widget=django_filters.widgets.BooleanWidget())
    place = django_filters.CharFilter(lookup_expr="icontains", label="Place contains")

    class Meta:
        model = Incident
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["removed"].widget.choices = [
            ("", "Removed or not"),
            ("true", "Removed"),
            ("false", "Not removed"),
        ]
        self.form.fields["removed"].widget.attrs["class"] = "govuk-select"


class ActivityFilter(_GovukFilter):
    start = _date_filter("occurred_on", "gte", "From")
    end = _date_filter("occurred_on", "lte", "To")
    kind = django_filters.ChoiceFilter(
        label="Type", choices=ActivityKind.choices, empty_label="Any type"
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), empty_label="Any district"
    )

    class Meta:
        model = Activity
        fields = []

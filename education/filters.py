import django_filters
from django import forms
from django.db.models import Q

from education.choices import EnquiryStatus
from education.models import AudienceCategory, Enquiry, OutreachSession, Setting
from education.selectors import education_officers, setting_phases
from governance.models import District, PeoArea
from prevent_portal.ui.choices import plain_selects


def _style(filterset, text_fields=()):
    for name, field in filterset.form.fields.items():
        if isinstance(field.widget, forms.DateInput):
            continue
        field.widget.attrs["class"] = "govuk-input" if name in text_fields else "govuk-select"


def _date_filter(label, lookup):
    return django_filters.DateFilter(
        label=label,
        field_name="date",
        lookup_expr=lookup,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}, format="%Y-%m-%d"
        ),
        error_messages={"invalid": f"Enter the {label.lower()} date as a real date"},
    )


class SessionFilter(django_filters.FilterSet):
    date_from = _date_filter("From", "gte")
    date_to = _date_filter("To", "lte")
    audience = django_filters.ModelChoiceFilter(
        queryset=AudienceCategory.objects.all(), empty_label="Any audience"
    )
    peo = django_filters.ModelChoiceFilter(
        label="PEO", queryset=education_officers(), empty_label="Any PEO"
    )
    peo_area = django_filters.ModelChoiceFilter(
        label="PEO area",
        queryset=PeoArea.objects.all(),
        empty_label="Any PEO area",
        method="filter_peo_area",
    )
    district = django_filters.ModelChoiceFilter(
        label="District",
        queryset=District.objects.all(),
        empty_label="Any district",
        method="filter_district",
    )
    setting = django_filters.CharFilter(label="Setting name or URN", method="filter_setting")

    class Meta:
        model = OutreachSession
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self, text_fields={"setting"})
        plain_selects(
            self.form,
            {
                "audience": "audiences",
                "peo": "education-officers",
                "peo_area": "peo-areas",
                "district": "districts",
            },
        )

    # A session reaching several settings of one district must be listed once: filter
    # through a subquery rather than a join.
    def _reaching(self, queryset, settings_q):
        through = OutreachSession.settings.through
        ids = through.objects.filter(settings_q).values("outreachsession_id")
        return queryset.filter(pk__in=ids)

    def filter_peo_area(self, queryset, name, value):
        return self._reaching(queryset, Q(setting__district__peo_area=value)) if value else queryset

    def filter_district(self, queryset, name, value):
        return self._reaching(queryset, Q(setting__district=value)) if value else queryset

    def filter_setting(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = Q(setting__name__icontains=value)
        if value.isdigit():
            match |= Q(setting__urn=int(value))
        return self._reaching(queryset, match)


class SettingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or URN", method="filter_q")
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), empty_label="Any district"
    )
    phase = django_filters.ChoiceFilter(choices=[], empty_label="Any phase")
    is_open = django_filters.BooleanFilter(
        label="Status", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = Setting
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["phase"].choices = [("", "Any phase")] + [
            (phase, phase) for phase in setting_phases()
        ]
        _style(self, text_fields={"q"})
        self.form.fields["is_open"].widget.choices = [
            ("", "Open or closed"),
            ("true", "Open"),
            ("false", "Closed"),
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = Q(name__icontains=value)
        if value.isdigit():
            match |= Q(urn=int(value))
        return queryset.filter(match)


class EnquiryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=EnquiryStatus.choices, empty_label="Any status")

    class Meta:
        model = Enquiry
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

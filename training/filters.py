import django_filters
from django import forms

from governance.models import District, Partner
from prevent_portal.ui.choices import cached_choices, plain_selects
from training.choices import BESPOKE_LABEL, SessionFormat
from training.models import Course, TrainingSession

BESPOKE = "bespoke"


def _date_input():
    return forms.DateInput(
        attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}, format="%Y-%m-%d"
    )


class SessionFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        label="From", field_name="date", lookup_expr="gte", widget=_date_input()
    )
    date_to = django_filters.DateFilter(
        label="To", field_name="date", lookup_expr="lte", widget=_date_input()
    )
    course = django_filters.ChoiceFilter(
        choices=[], empty_label="Any course", method="filter_course"
    )
    format = django_filters.ChoiceFilter(choices=SessionFormat.choices, empty_label="Any format")
    organisation = django_filters.ModelChoiceFilter(
        label="Audience organisation",
        field_name="audiences",
        queryset=Partner.objects.all(),
        empty_label="Any organisation",
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), empty_label="Any district"
    )

    class Meta:
        model = TrainingSession
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        courses = cached_choices(
            "courses", lambda: [(course.pk, course.title) for course in Course.objects.all()]
        )
        self.filters["course"].extra["choices"] = [*courses, (BESPOKE, BESPOKE_LABEL)]
        for name, field in self.form.fields.items():
            if name not in ("date_from", "date_to"):
                field.widget.attrs["class"] = "govuk-select"
        for name in ("date_from", "date_to"):
            self.form.fields[name].error_messages["invalid"] = (
                f"Enter the “{self.form.fields[name].label}” date as a real date"
            )
        plain_selects(self.form, {"organisation": "partners", "district": "districts"})

    def filter_course(self, queryset, name, value):
        if value == BESPOKE:
            return queryset.filter(course__isnull=True)
        return queryset.filter(course_id=value)

import django_filters
from django.utils import timezone

from governance.choices import ActionStatus, PartnerSector, Rag
from governance.models import District, Partner, PlanAction, PlanHeading, ProgressUpdate


class PartnerFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="Name contains")
    sector = django_filters.ChoiceFilter(choices=PartnerSector.choices, empty_label="Any sector")
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), empty_label="Any district"
    )
    is_active = django_filters.BooleanFilter(
        label="Status",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Partner
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = "govuk-input" if name == "name" else "govuk-select"
        self.form.fields["is_active"].widget.choices = [
            ("", "In use or retired"),
            ("true", "In use"),
            ("false", "Retired"),
        ]


class PlanActionFilter(django_filters.FilterSet):
    heading = django_filters.ModelChoiceFilter(
        queryset=PlanHeading.objects.all(), empty_label="Any heading"
    )
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, empty_label="Any status")
    rag = django_filters.ChoiceFilter(label="RAG", choices=Rag.choices, empty_label="Any RAG")
    owner = django_filters.ModelChoiceFilter(
        label="Owner organisation",
        queryset=Partner.objects.filter(plan_actions__isnull=False).distinct(),
        empty_label="Any organisation",
    )
    text = django_filters.CharFilter(
        label="Description contains", field_name="description", lookup_expr="icontains"
    )
    # The board view links here for the rest of its shortened lists.
    due = django_filters.ChoiceFilter(
        label="Due date",
        choices=[("overdue", "Overdue (past due, not complete)")],
        empty_label="Any due date",
        method="_due",
    )
    updated_after = django_filters.DateFilter(
        label="Progress updated after (YYYY-MM-DD)", method="_updated_after"
    )

    class Meta:
        model = PlanAction
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            is_text = name in {"text", "updated_after"}
            field.widget.attrs["class"] = "govuk-input" if is_text else "govuk-select"

    def _due(self, queryset, name, value):
        if value != "overdue":
            return queryset
        return queryset.filter(due_on__lt=timezone.localdate()).exclude(
            status=ActionStatus.COMPLETE
        )

    def _updated_after(self, queryset, name, value):
        """Actions with a progress update dated after `value` (a subquery, no join)."""
        updated = ProgressUpdate.objects.filter(dated__gt=value, dated__lte=timezone.localdate())
        return queryset.filter(pk__in=updated.values("action_id"))

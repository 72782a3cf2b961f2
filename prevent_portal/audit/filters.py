import django_filters
from django import forms

from prevent_portal.audit.labels import record_type_choices
from prevent_portal.audit.models import AuditEvent


class DateInput(forms.DateInput):
    input_type = "date"


class AuditEventFilter(django_filters.FilterSet):
    who = django_filters.CharFilter(
        field_name="actor_username", lookup_expr="icontains", label="Username"
    )
    verb = django_filters.ChoiceFilter(
        choices=AuditEvent.Verb.choices, label="What happened", empty_label="Any event"
    )
    target_type = django_filters.ChoiceFilter(
        field_name="target_type",
        choices=record_type_choices,
        label="Record type",
        empty_label="Any record",
    )
    target_id = django_filters.CharFilter(field_name="target_id", label="Record id")
    date_from = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label="From", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label="To", widget=DateInput()
    )

    class Meta:
        model = AuditEvent
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            css = "govuk-select" if name in ("verb", "target_type") else "govuk-input"
            field.widget.attrs.setdefault("class", css)
        self.form.fields["date_from"].error_messages["invalid"] = "Enter a real date"
        self.form.fields["date_to"].error_messages["invalid"] = "Enter a real date"

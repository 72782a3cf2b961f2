import django_filters
from django.db.models import Q

from prevent_portal.accounts.models import User
from prevent_portal.accounts.roles import Role


class UserFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(method="filter_name", label="Name or username contains")
    role = django_filters.ChoiceFilter(
        field_name="roles__role",
        label="Role",
        choices=Role.choices,
        empty_label="Any role",
        distinct=True,
    )
    is_active = django_filters.BooleanFilter(
        label="Status", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = User
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = "govuk-input" if name == "name" else "govuk-select"
        self.form.fields["is_active"].widget.choices = [
            ("", "Active or deactivated"),
            ("true", "Active"),
            ("false", "Deactivated"),
        ]

    def filter_name(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
        )

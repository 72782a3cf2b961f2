import django_filters
from django import forms
from django.contrib.auth import get_user_model

from governance.forms import date_widget
from governance.models import District
from prevent_portal.accounts.roles import ROLE_PERMISSIONS, Perm
from prevent_portal.ui.choices import plain_selects
from referrals.choices import ReferralStatus
from referrals.models import ConcernType, Referral, Sector


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices, empty_label="Any status")
    sector = django_filters.ModelChoiceFilter(
        label="Sector of referral", queryset=Sector.objects.all(), empty_label="Any sector"
    )
    concern_type = django_filters.ModelChoiceFilter(
        label="Type of concern",
        method="_with_concern_type",
        queryset=ConcernType.objects.all(),
        empty_label="Any type of concern",
    )
    district = django_filters.ModelChoiceFilter(
        field_name="person__district", queryset=District.objects.all(), empty_label="Any district"
    )
    case_manager = django_filters.ModelChoiceFilter(
        queryset=lambda request: case_managers(), empty_label="Any case manager"
    )
    received_from = django_filters.DateFilter(
        label="Received on or after",
        field_name="date_received",
        lookup_expr="gte",
        widget=date_widget(),
    )
    received_to = django_filters.DateFilter(
        label="Received on or before",
        field_name="date_received",
        lookup_expr="lte",
        widget=date_widget(),
    )

    sort = django_filters.OrderingFilter(
        label="Sort by",
        empty_label=None,
        fields=(("date_received", "received"), ("reference", "reference")),
        field_labels={
            "-received": "Newest first",
            "received": "Oldest first",
            "reference": "Reference, first to last",
            "-reference": "Reference, last to first",
        },
    )

    class Meta:
        model = Referral
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sort = self.form.fields["sort"]
        sort.choices = [
            (value, label)
            for value, label in sort.choices
            if value in ("-received", "received", "reference", "-reference")
        ]
        self.form.fields["case_manager"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )
        types = self.form.fields["concern_type"]
        types.label_from_instance = lambda item: (
            f"{item.name} ({item.get_scheme_display().lower()})"
        )
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "govuk-select"
        self.form.fields["received_from"].error_messages["invalid"] = (
            "Enter the 'received on or after' date as a real date"
        )
        self.form.fields["received_to"].error_messages["invalid"] = (
            "Enter the 'received on or before' date as a real date"
        )
        plain_selects(
            self.form,
            {
                "sector": "sectors",
                "concern_type": "concern-types",
                "district": "districts",
                "case_manager": "case-managers",
            },
        )

    def _with_concern_type(self, queryset, name, value):
        # A subquery, not a join: one row per referral without DISTINCT, so the list keeps
        # its index order and a plain count (docs/performance.md, item 4).
        if not value:
            return queryset
        links = Referral.concern_types.through.objects.filter(concerntype=value)
        return queryset.filter(pk__in=links.values("referral_id"))


def case_managers():
    """Active users whose roles let them manage cases: the choices of the filter."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.CASES_MANAGE in perms]
    return (
        get_user_model()
        .objects.filter(is_active=True, roles__role__in=roles)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )

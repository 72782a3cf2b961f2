import django_filters

from governance.choices import PartnerSector
from governance.models import District, Partner


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

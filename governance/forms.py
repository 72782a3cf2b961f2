from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms

from governance.choices import DistrictKind, PartnerSector
from governance.models import District, Partner, Partnership, PeoArea


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

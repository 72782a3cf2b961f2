"""Forms of the Retention section of a case: propose, approve or withdraw, hold."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms

from retention.models import DisposalReason, LegalHold


class _ActionForm(forms.Form):
    """A form of the Retention page; the page holds several, each posting its action."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.form_tag = False  # the template wraps it, with the action's name


class ProposeForm(_ActionForm):
    reason = forms.ChoiceField(
        label="Why should this case be disposed of?",
        choices=DisposalReason.choices,
        widget=forms.RadioSelect,
        help_text="A second supervisor must approve the disposal before anything is removed",
        error_messages={"required": "Select why the case should be disposed of"},
    )


class DecisionForm(forms.Form):
    """Approve or withdraw a proposal: the version the user saw, so a second click or
    a stale page changes nothing."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class HoldForm(_ActionForm):
    hold_reason = forms.ChoiceField(
        label="Why must this case be kept?",
        choices=LegalHold.Reason.choices,
        widget=forms.RadioSelect,
        help_text="A case under a legal hold cannot be disposed of until the hold is lifted",
        error_messages={"required": "Select why the case must be kept"},
    )

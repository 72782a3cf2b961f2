"""The assessment form (one page: every factor of the framework version, grouped by
dimension) and the new-version form for administrators."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.utils import timezone

from governance.forms import date_widget
from vaf.selectors import Structure
from vaf.services import RatingInput, completion_problems, note_field, rating_field

COMPLETE = "complete"


class AssessmentForm(forms.Form):
    """Save as a draft (anything may be left empty) or complete (every factor rated, a
    note for every factor with evidence, a summary and a management plan)."""

    assessed_on = forms.DateField(
        label="Date of the assessment",
        widget=date_widget(),
        error_messages={
            "required": "Enter the date of the assessment",
            "invalid": "Enter the date of the assessment as a real date, for example 31 3 2026",
        },
    )
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The assessment as a whole: what the ratings mean for this person",
    )
    management_plan = forms.CharField(
        label="Management plan",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What will be done, by whom and when",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, structure: Structure, referral, completing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.structure, self.referral, self.completing = structure, referral, completing
        choices = [(level.key, level.label) for level in structure.levels]
        order = ["assessed_on"]
        for factor in structure.factors:
            self.fields[rating_field(factor.key)] = forms.ChoiceField(
                label=factor.wording,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": f"Select a rating for factor {factor.position}: "
                    f"{factor.wording}"
                },
            )
            self.fields[note_field(factor.key)] = forms.CharField(
                label="Note",
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            order += [rating_field(factor.key), note_field(factor.key)]
        self.order_fields([*order, "summary", "management_plan"])
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", "Save"))

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of the assessment must be today or in the past")
        if day < self.referral.date_received:
            raise forms.ValidationError(
                "The date of the assessment must be on or after the date the referral was "
                f"received, {self.referral.date_received:%-d %B %Y}"
            )
        return day

    def clean(self):
        cleaned = super().clean()
        if self.completing:
            problems = completion_problems(
                self.structure,
                self.ratings(),
                summary=cleaned.get("summary", ""),
                management_plan=cleaned.get("management_plan", ""),
            )
            for name, message in problems.items():
                if name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def ratings(self) -> dict[str, RatingInput]:
        levels = self.structure.level_by_key
        cleaned = self.cleaned_data
        return {
            factor.key: RatingInput(
                level=levels.get(cleaned.get(rating_field(factor.key)) or ""),
                note=cleaned.get(note_field(factor.key)) or "",
            )
            for factor in self.structure.factors
        }

    def groups(self):
        """(dimension, [(number, factor, rating field, note field)]) for the template."""
        return [
            (
                dimension,
                [
                    (factor, self[rating_field(factor.key)], self[note_field(factor.key)])
                    for factor in dimension.factor_list
                ],
            )
            for dimension in self.structure.dimensions
        ]


def initial_from(assessment, structure: Structure) -> dict:
    """The form's initial values from an earlier assessment, factor by factor (by key:
    the earlier one may use another version of the framework)."""
    if assessment is None:
        return {}
    levels = structure.level_by_key
    initial = {
        "summary": assessment.summary,
        "management_plan": assessment.management_plan,
    }
    for rating in assessment.ratings.all():
        if rating.level is not None and rating.level.key in levels:
            initial[rating_field(rating.factor.key)] = rating.level.key
        initial[note_field(rating.factor.key)] = rating.note
    return initial


class FrameworkVersionForm(forms.Form):
    version_label = forms.CharField(
        label="Name of the new version",
        max_length=100,
        help_text="For example, the date or edition of the Home Office guidance",
        error_messages={"required": "Enter a name for the new version"},
    )
    in_force_from = forms.DateField(
        label="In force from",
        widget=date_widget(),
        error_messages={
            "required": "Enter the date the new version comes into force",
            "invalid": "Enter the date the new version comes into force as a real date",
        },
    )

    def __init__(self, *args, structure: Structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.structure = structure
        for factor in structure.factors:
            self.fields[f"wording_{factor.key}"] = forms.CharField(
                label=f"Factor {factor.position}",
                initial=factor.wording,
                max_length=300,
                error_messages={"required": f"Enter the wording of factor {factor.position}"},
            )
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Add the new version"))

    def clean_in_force_from(self):
        day = self.cleaned_data["in_force_from"]
        if day < self.structure.framework.in_force_from:
            raise forms.ValidationError(
                "The new version must come into force on or after the current one, "
                f"{self.structure.framework.in_force_from:%-d %B %Y}"
            )
        return day

    def wordings(self) -> dict[str, str]:
        return {
            factor.key: self.cleaned_data[f"wording_{factor.key}"]
            for factor in self.structure.factors
        }

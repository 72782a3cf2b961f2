"""The categories of referrals, maintained by administrators (Perm.REFERENCE_MANAGE).

Sectors, sexes, outcomes and types of concern are reference data: an administrator adds
entries or retires them (`is_active`); nothing is deleted, so old referrals keep what they
had. One form and two views serve the four kinds.
"""

from dataclasses import dataclass

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.contrib import messages
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm
from prevent_portal.audit.services import audited_form_save
from referrals.models import ConcernType, Outcome, Sector, Sex


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[models.Model]
    plural: str  # "Sectors of referral"
    singular: str  # "sector of referral"


KINDS = {
    kind.slug: kind
    for kind in (
        Kind("sectors", Sector, "Sectors of referral", "sector of referral"),
        Kind("concern-types", ConcernType, "Types of concern", "type of concern"),
        Kind("sexes", Sex, "Sex or gender", "sex or gender"),
        Kind("outcomes", Outcome, "Outcomes", "outcome"),
    )
}


def _kind_or_404(slug: str) -> Kind:
    try:
        return KINDS[slug]
    except KeyError as error:
        raise Http404("No such category") from error


class CategoryForm(forms.ModelForm):
    use_required_attribute = False

    class Meta:
        fields = ["name", "position", "is_active"]
        labels = {"is_active": "In use (offered on new referrals)"}

    def __init__(self, *args, kind: Kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages.update(
            required=f"Enter the name of the {kind.singular}",
            max_length=f"The name must be {self.fields['name'].max_length} characters or fewer",
        )
        self.fields["position"].error_messages["invalid"] = "Enter the display order as a number"
        self.fields["position"].help_text = "Lower numbers are listed first"
        self.fields["position"].widget = forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "numeric"}
        )
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", "Save"))

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("name") or "").strip()
        same = type(self.instance).objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if "scheme" in self.fields:
            same = same.filter(scheme=cleaned.get("scheme"))
        if name and same.exists():
            self.add_error("name", "An entry with this name already exists")
        return cleaned

    def _post_clean(self):
        # The duplicate check above says it in words; skip the model's constraint message.
        if "name" not in self.errors:
            super()._post_clean()


def category_form_class(kind: Kind) -> type[CategoryForm]:
    fields = ["name", "scheme", "position", "is_active"] if kind.model is ConcernType else None
    meta_attrs = {"model": kind.model}
    if fields:
        meta_attrs["fields"] = fields
        meta_attrs["labels"] = {
            **CategoryForm.Meta.labels,
            "scheme": "Version of the Home Office list",
        }
    meta = type("Meta", (CategoryForm.Meta,), meta_attrs)
    return type(f"{kind.model.__name__}Form", (CategoryForm,), {"Meta": meta})


def _crumbs(*extra):
    return [
        ("Reference data", reverse("governance:reference")),
        ("Referral categories", reverse("referrals:categories")),
        *extra,
    ]


@permission_required(Perm.REFERENCE_MANAGE)
def category_list(request):
    return render(
        request,
        "referrals/categories.html",
        {
            "kinds": [(kind, kind.model.objects.all()) for kind in KINDS.values()],
            "crumbs": _crumbs()[:1] + [("Referral categories", "")],
        },
    )


def _edit(request, kind: Kind, instance, title: str):
    form = category_form_class(kind)(request.POST or None, instance=instance, kind=kind)
    if request.method == "POST" and form.is_valid():
        saved = audited_form_save(actor=request.user, form=form)
        messages.success(request, f"Saved: {saved}")
        return redirect(f"{reverse('referrals:categories')}#{kind.slug}")
    return render(
        request,
        "governance/form.html",
        {
            "form": form,
            "title": title,
            "back_url": reverse("referrals:categories"),
            "crumbs": _crumbs((title, "")),
        },
    )


@permission_required(Perm.REFERENCE_MANAGE)
def category_create(request, kind):
    kind = _kind_or_404(kind)
    return _edit(request, kind, None, f"Add a {kind.singular}")


@permission_required(Perm.REFERENCE_MANAGE)
def category_edit(request, kind, pk):
    kind = _kind_or_404(kind)
    return _edit(request, kind, get_object_or_404(kind.model, pk=pk), f"Change a {kind.singular}")

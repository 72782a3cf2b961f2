from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from governance.choices import PartnerSector
from governance.filters import PartnerFilter
from governance.forms import DistrictForm, PartnerForm, PartnershipForm, PeoAreaForm
from governance.models import District, Partner, Partnership, PeoArea
from governance.selectors import districts_with_areas, partners_with_district, peo_areas_with_counts
from governance.services import reference_record_save
from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm


@permission_required(Perm.PLAN_VIEW)
def index(request):
    sectors = dict(PartnerSector.choices)
    partner_counts = [
        {"sector": sectors.get(row["sector"], row["sector"]), "count": row["count"]}
        for row in Partner.objects.filter(is_active=True)
        .values("sector")
        .annotate(count=Count("id"))
        .order_by("-count", "sector")
    ]
    return render(
        request,
        "governance/index.html",
        {
            "districts": districts_with_areas().filter(is_active=True),
            "partner_counts": partner_counts,
        },
    )


@permission_required(Perm.REFERENCE_MANAGE)
def reference(request):
    return render(
        request,
        "governance/reference.html",
        {
            "partnership": Partnership.objects.filter(pk=1).first(),
            "peo_areas": peo_areas_with_counts(),
            "districts": districts_with_areas(),
            "partner_total": Partner.objects.count(),
        },
    )


@permission_required(Perm.REFERENCE_MANAGE)
def partner_list(request):
    partner_filter = PartnerFilter(request.GET, queryset=partners_with_district())
    partners = partner_filter.qs if partner_filter.is_valid() else Partner.objects.none()
    page = Paginator(partners, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/partner_list.html",
        {
            "filter": partner_filter,
            "page": page,
            "query": query.urlencode(),
            "crumbs": [("Reference data", reverse("governance:reference"))],
        },
    )


def _edit(request, *, form_class, instance, title, success_url, back_url):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = reference_record_save(actor=request.user, form=form)
        messages.success(request, f"{saved} saved")
        return redirect(success_url)
    return render(
        request,
        "governance/reference_form.html",
        {"form": form, "title": title, "back_url": back_url},
    )


@permission_required(Perm.REFERENCE_MANAGE)
def partner_create(request):
    return _edit(
        request,
        form_class=PartnerForm,
        instance=None,
        title="Add a partner organisation",
        success_url="governance:partner-list",
        back_url="governance:partner-list",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def partner_edit(request, pk):
    return _edit(
        request,
        form_class=PartnerForm,
        instance=get_object_or_404(Partner, pk=pk),
        title="Change a partner organisation",
        success_url="governance:partner-list",
        back_url="governance:partner-list",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def district_edit(request, pk):
    return _edit(
        request,
        form_class=DistrictForm,
        instance=get_object_or_404(District, pk=pk),
        title="Change a district",
        success_url="governance:reference",
        back_url="governance:reference",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def district_create(request):
    return _edit(
        request,
        form_class=DistrictForm,
        instance=None,
        title="Add a district",
        success_url="governance:reference",
        back_url="governance:reference",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def peo_area_create(request):
    return _edit(
        request,
        form_class=PeoAreaForm,
        instance=None,
        title="Add a PEO area",
        success_url="governance:reference",
        back_url="governance:reference",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def peo_area_edit(request, pk):
    return _edit(
        request,
        form_class=PeoAreaForm,
        instance=get_object_or_404(PeoArea, pk=pk),
        title="Change a PEO area",
        success_url="governance:reference",
        back_url="governance:reference",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def partnership_edit(request):
    return _edit(
        request,
        form_class=PartnershipForm,
        instance=Partnership.objects.filter(pk=1).first() or Partnership(pk=1),
        title="Change the partnership's name",
        success_url="governance:reference",
        back_url="governance:reference",
    )

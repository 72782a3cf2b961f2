"""Reads of reference data."""

from django.core.cache import cache
from django.db.models import Count, Q

from governance.models import District, Partner, Partnership, PeoArea

PARTNERSHIP_CACHE_KEY = "governance:partnership-name"


def partnership_name() -> str:
    """The partnership's name for the page header ("" until it is set); cached, cleared
    when it changes."""
    name = cache.get(PARTNERSHIP_CACHE_KEY)
    if name is None:
        partnership = Partnership.objects.filter(pk=1).only("name").first()
        name = partnership.name if partnership else ""
        cache.set(PARTNERSHIP_CACHE_KEY, name, 300)
    return name


def districts_with_areas():
    return District.objects.select_related("peo_area").annotate(
        partner_count=Count("partners", filter=Q(partners__is_active=True))
    )


def peo_areas_with_counts():
    return PeoArea.objects.annotate(district_count=Count("districts"))


def partners_with_district():
    return Partner.objects.select_related("district")

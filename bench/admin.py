"""Django's admin as a yardstick: the changelists a team would otherwise use.

Configured fairly against the portal's lists: the same columns, the same filters, the
same page size (25) and the same related rows fetched in the same query
(`list_select_related`). Registered on a site of its own, loaded only by bench.settings.
"""

from django.contrib import admin

from referrals.models import Referral
from training.models import TrainingSession

site = admin.AdminSite(name="bench_admin")


@admin.register(Referral, site=site)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["reference", "date_received", "person_name", "sector", "primary_concern"]
    list_display += ["district", "status", "case_manager"]
    list_filter = ["status", "sector", "concern_types", "person__district", "case_manager"]
    list_filter += ["date_received"]
    list_per_page = 25
    list_select_related = ["person", "person__district", "sector", "primary_concern"]
    list_select_related += ["case_manager"]
    ordering = ["-date_received", "-reference"]

    @admin.display(description="Person")
    def person_name(self, referral):
        return referral.person.full_name

    @admin.display(description="District")
    def district(self, referral):
        return referral.person.district.name if referral.person.district_id else "Not known"


@admin.register(TrainingSession, site=site)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["reference", "date", "title", "format", "audience", "district", "attendees"]
    list_filter = ["date", "course", "format", "audiences", "district"]
    list_per_page = 25
    list_select_related = ["course", "district"]
    ordering = ["-date", "-id"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("audiences")

    @admin.display(description="Audience")
    def audience(self, session):
        names = [partner.name for partner in session.audiences.all()]
        return f"{names[0]} and {len(names) - 1} more" if len(names) > 1 else "".join(names)

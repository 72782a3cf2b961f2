"""`{% disposed_banner referral %}`: on every section of a disposed case, who approved
its disposal and when (one query)."""

from django import template

from retention.models import Disposal, DisposalStatus

register = template.Library()


@register.inclusion_tag("retention/_disposed_banner.html")
def disposed_banner(referral):
    disposal = (
        Disposal.objects.filter(referral=referral, status=DisposalStatus.DISPOSED)
        .select_related("proposed_by", "decided_by")
        .first()
    )
    return {"disposal": disposal, "referral": referral}

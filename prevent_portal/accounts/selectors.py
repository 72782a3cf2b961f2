"""Reads for the user administration pages."""

from django.db.models import QuerySet

from prevent_portal.accounts.models import User


def users_for_admin() -> QuerySet[User]:
    """Every account with its roles prefetched, for holders of accounts.users_manage."""
    return User.objects.prefetch_related("roles").order_by("last_name", "first_name", "username")

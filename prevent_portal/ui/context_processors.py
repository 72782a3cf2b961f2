from django.conf import settings
from django.utils.functional import SimpleLazyObject

from prevent_portal.ui.navigation import navigation_areas


def _partnership_name() -> str:
    # governance owns the partnership's name; read through its cached selector.
    from governance.selectors import partnership_name

    return partnership_name()


def _past_mfa(user) -> bool:
    # Signed in with the password but not yet with the code: no areas to offer.
    is_verified = getattr(user, "is_verified", None)
    return is_verified is None or is_verified()


def service(request):
    user = getattr(request, "user", None)
    if user is not None and not _past_mfa(user):
        user = None
    return {
        "service_name": settings.SERVICE_NAME,
        "partnership_name": SimpleLazyObject(_partnership_name),
        "nav_areas": SimpleLazyObject(lambda: navigation_areas(user, request.path)) if user else [],
    }

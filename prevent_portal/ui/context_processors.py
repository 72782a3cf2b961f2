from django.conf import settings
from django.utils.functional import SimpleLazyObject

from prevent_portal.ui.navigation import areas_for


def _partnership_name() -> str:
    # governance owns the partnership's name; read through its cached selector.
    from governance.selectors import partnership_name

    return partnership_name()


def service(request):
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "partnership_name": SimpleLazyObject(_partnership_name),
        "nav_areas": SimpleLazyObject(lambda: areas_for(user, request.path)) if user else [],
    }

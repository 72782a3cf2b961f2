"""View decorators and mixins over the permission registry in roles.py."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from prevent_portal.accounts.roles import has_perm


def permission_required(perm: str, *alternatives: str):
    """Let the view run only for a user holding `perm` (or any one of `alternatives`);
    anyone else gets a 403.

    Anonymous users never reach this: LoginRequiredMiddleware sends them to sign in.
    """
    perms = (perm, *alternatives)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(has_perm(request.user, one) for one in perms):
                raise PermissionDenied(" or ".join(perms))
            return view(request, *args, **kwargs)

        wrapped.required_permission = perm if not alternatives else perms
        return wrapped

    return decorator


class PermissionRequiredMixin:
    """Class-based view counterpart of `permission_required`."""

    required_permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not self.required_permission:
            raise PermissionDenied("no permission declared")  # deny by default
        if not has_perm(request.user, self.required_permission):
            raise PermissionDenied(self.required_permission)
        return super().dispatch(request, *args, **kwargs)

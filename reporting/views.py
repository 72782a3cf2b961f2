from django.shortcuts import render

from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm
from prevent_portal.ui.navigation import areas_for


def dashboard(request):
    """Home page: the signed-in user's areas, and nothing else."""
    return render(request, "reporting/dashboard.html", {"areas": areas_for(request.user)})


@permission_required(Perm.FIGURES_VIEW)
def figures(request):
    return render(request, "reporting/figures.html")

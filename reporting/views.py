from django.shortcuts import render
from django.urls import reverse

from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm
from prevent_portal.ui.navigation import areas_for
from reporting.selectors import board_view


def dashboard(request):
    """Home page: the signed-in user's areas, and nothing else."""
    return render(request, "reporting/dashboard.html", {"areas": areas_for(request.user)})


@permission_required(Perm.FIGURES_VIEW)
def figures(request):
    return render(request, "reporting/figures.html")


@permission_required(Perm.PLAN_VIEW)
def board(request):
    """The board's view of the plan and the risks (read-only for everyone)."""
    crumbs = [("Partnership", reverse("governance:index"))]
    return render(request, "reporting/board.html", {"view": board_view(), "crumbs": crumbs})

from django.shortcuts import render

from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm


@permission_required(Perm.CASES_VIEW)
def index(request):
    return render(request, "referrals/index.html")

"""The framework's floor: the cheapest response Django gives on this machine."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse


@login_not_required
def floor(request):
    return HttpResponse("ok", content_type="text/plain")

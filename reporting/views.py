from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from governance.models import BoardMeeting
from governance.selectors import partnership_name
from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from prevent_portal.ui.navigation import areas_for
from prevent_portal.ui.pdf import render_pdf
from reporting.selectors import activity_headlines, board_view


def dashboard(request):
    """Home page: the signed-in user's areas, and nothing else."""
    return render(request, "reporting/dashboard.html", {"areas": areas_for(request.user)})


@permission_required(Perm.FIGURES_VIEW)
def figures(request):
    """The year's activity in figures. Counts about people (referrals) will join them,
    suppressed, when case work is recorded."""
    headlines = activity_headlines(timezone.localdate())
    return render(request, "reporting/figures.html", {"view": {"activity": headlines}})


@permission_required(Perm.PLAN_VIEW)
def board(request):
    """The board's view of the plan and the risks (read-only for everyone)."""
    crumbs = [("Partnership", reverse("governance:index"))]
    meetings = BoardMeeting.objects.order_by("-held_on")[:12]
    return render(
        request,
        "reporting/board.html",
        {"view": board_view(), "crumbs": crumbs, "meetings": meetings},
    )


@permission_required(Perm.PLAN_VIEW)
def board_pack(request):
    """The board view as a PDF for a meeting: as at the meeting's date when one is chosen,
    otherwise as at today. The download is audited."""
    meeting = None
    if request.GET.get("meeting"):
        try:
            meeting = BoardMeeting.objects.get(pk=int(request.GET["meeting"]))
        except (ValueError, BoardMeeting.DoesNotExist) as error:
            raise Http404("No such meeting") from error
    as_at = meeting.held_on if meeting else timezone.localdate()
    pdf = render_pdf(
        "reporting/board_pack.html",
        {
            "view": board_view(as_at, for_meeting=meeting),
            "meeting": meeting,
            "partnership": partnership_name() or "Prevent partnership",
            "generated_on": timezone.localdate(),
        },
    )
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Downloaded the board pack as at {as_at:%Y-%m-%d}",
        target=meeting or ("reporting.board_pack", as_at.isoformat()),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="board-pack-{as_at:%Y-%m-%d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response

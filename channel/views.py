"""Channel panel pages. Every response carries Cache-Control: no-store (case data).

Holders of cases.view see everything about a meeting (cases outside their scope by
reference only); holders of cases.manage change it. Whatever touches one case on an
agenda (taking it off, moving it, its decision, an action about it) applies the case
scope: a case outside the user's scope is a 404, as on the case pages
(tests/test_scope_walk.py). Business support (cases.panel_minutes) opens the list and the
meeting pages, records attendees, minutes and actions, and sees the cases on an agenda by
reference only; never the panel pack, never a decision form.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from channel import forms, services
from channel.models import PanelAttendee
from channel.pdf import panel_pack_pdf
from channel.selectors import (
    action_for,
    action_lines,
    actions_outside_scope,
    agenda_item_for,
    agenda_lines,
    case_agenda_items,
    cases_for_agenda,
    may_see_agenda_cases,
    meeting_for_page,
    meetings_for_list,
    meetings_visible_to,
    pack_cases,
)
from channel.services import PanelError, StaleMeetingError
from disclosures.services import record_panel_pack
from prevent_portal.accounts.reauth import reauth_required
from prevent_portal.accounts.roles import Perm, has_perm
from referrals.case_pages import case_context, load_case, uuid_or_404
from referrals.services import StaleVersionError

PANELS = ("Channel panels", "channel:meeting-list")
# Who may minute a meeting: case managers and business support.
MINUTE_TAKERS = (Perm.CASES_MANAGE, Perm.PANEL_MINUTES)
READERS = (Perm.CASES_VIEW, Perm.PANEL_MINUTES)


def panel_view(*perms):
    """Any one of `perms` opens the view (403 otherwise); responses are never cached."""

    def decorator(view):
        @wraps(view)
        @never_cache
        def wrapped(request, *args, **kwargs):
            if not any(has_perm(request.user, perm) for perm in perms):
                raise PermissionDenied(" or ".join(perms))
            return view(request, *args, **kwargs)

        wrapped.required_permission = perms
        return wrapped

    return decorator


def _crumbs(*pairs):
    crumbs = []
    for label, target in pairs:
        if isinstance(target, tuple):
            crumbs.append((label, reverse(target[0], args=target[1:])))
        else:
            crumbs.append((label, reverse(target) if target else ""))
    return crumbs


def _meeting_or_404(request, pk):
    meeting = meetings_visible_to(request.user).filter(pk=uuid_or_404(pk)).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def _meeting_crumbs(meeting, *tail):
    return _crumbs(PANELS, (str(meeting), ("channel:meeting-detail", meeting.pk)), *tail)


def _form_page(request, form, *, title, crumbs, back_url, intro="", context=None):
    return render(
        request,
        "channel/form.html",
        {
            "form": form,
            "title": title,
            "crumbs": crumbs,
            "back_url": back_url,
            "intro": intro,
            **(context or {}),
        },
    )


def _conflict(form, problem, version) -> None:
    """Keep what was typed, against the version now stored: a second try can work."""
    form.data = form.data.copy()
    form.data["version"] = str(version)
    form.errors.pop("version", None)
    form.add_error(None, str(problem))


@panel_view(*READERS)
def meeting_list(request):
    upcoming = list(meetings_for_list(request.user, upcoming=True)[:20])
    page = Paginator(meetings_for_list(request.user, upcoming=False), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "channel/meeting_list.html",
        {
            "upcoming": upcoming,
            "page": page,
            "crumbs": _crumbs(("Channel panels", None)),
            "can_manage": has_perm(request.user, Perm.CASES_MANAGE),
        },
    )


@panel_view(Perm.CASES_MANAGE)
def meeting_create(request):
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=request.user,
                meeting_date=data["meeting_date"],
                starts_at=data["starts_at"],
                location=data["location"],
                chair=data["chair"],
                create_token=data["token"],
            )
        except PanelError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"{meeting} scheduled")
            return redirect("channel:meeting-detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        title="Schedule a Channel panel",
        crumbs=_crumbs(PANELS, ("Schedule a panel", None)),
        back_url=reverse("channel:meeting-list"),
    )


@panel_view(*READERS)
def meeting_detail(request, pk):
    meeting = meeting_for_page(request.user, uuid_or_404(pk))
    if meeting is None:
        raise Http404("No such meeting")
    sees_cases = may_see_agenda_cases(request.user)
    lines = agenda_lines(request.user, meeting)
    return render(
        request,
        "channel/meeting_detail.html",
        {
            "meeting": meeting,
            "lines": lines,
            "attendees": list(meeting.attendees.all()),
            "actions": list(meeting.actions.all()),
            "actions_outside_scope": actions_outside_scope(request.user, meeting, lines),
            "sees_cases": sees_cases,
            "show_identities": sees_cases and request.user.can_see_identities,
            "can_manage": has_perm(request.user, Perm.CASES_MANAGE),
            "can_minute": any(has_perm(request.user, perm) for perm in MINUTE_TAKERS),
            "can_pack": sees_cases,
            "today": timezone.localdate(),
            "crumbs": _crumbs(PANELS, (str(meeting), None)),
        },
    )


@panel_view(Perm.CASES_MANAGE)
def meeting_edit(request, pk):
    meeting = _meeting_or_404(request, pk)
    initial = {
        "meeting_date": meeting.meeting_date,
        "starts_at": meeting.starts_at,
        "location": meeting.location,
        "chair": meeting.chair_id,
        "status": meeting.status,
        "version": meeting.version,
    }
    form = forms.MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(
                actor=request.user,
                meeting=meeting,
                expected_version=data["version"],
                meeting_date=data["meeting_date"],
                starts_at=data["starts_at"],
                location=data["location"],
                chair=data["chair"],
                status=data["status"],
            )
        except StaleMeetingError as problem:
            meeting.refresh_from_db()
            _conflict(form, problem, meeting.version)
        except PanelError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Meeting details saved")
            return redirect("channel:meeting-detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        title="Change the meeting's details",
        crumbs=_meeting_crumbs(meeting, ("Change details", None)),
        back_url=reverse("channel:meeting-detail", args=[meeting.pk]),
    )


@panel_view(*MINUTE_TAKERS)
def meeting_minutes(request, pk):
    meeting = _meeting_or_404(request, pk)
    form = forms.MinutesForm(
        request.POST or None, initial={"minutes": meeting.minutes, "version": meeting.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_record(
                actor=request.user,
                meeting=meeting,
                expected_version=form.cleaned_data["version"],
                minutes=form.cleaned_data["minutes"],
            )
        except StaleMeetingError as problem:
            meeting.refresh_from_db()
            _conflict(form, problem, meeting.version)
        except PanelError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Minutes saved")
            return redirect("channel:meeting-detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        title="Minutes of the meeting",
        crumbs=_meeting_crumbs(meeting, ("Minutes", None)),
        back_url=reverse("channel:meeting-detail", args=[meeting.pk]),
        intro=str(meeting),
    )


@panel_view(*MINUTE_TAKERS)
def attendee_create(request, pk):
    meeting = _meeting_or_404(request, pk)
    form = forms.AttendeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.attendee_add(
                actor=request.user,
                meeting=meeting,
                name=data["name"],
                role=data["role"],
                partner=data["partner"],
                attendance=data["attendance"],
                create_token=data["token"],
            )
        except PanelError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Attendee added")
            return redirect(reverse("channel:meeting-detail", args=[meeting.pk]) + "#attendees")
    return _form_page(
        request,
        form,
        title="Add an attendee",
        crumbs=_meeting_crumbs(meeting, ("Add an attendee", None)),
        back_url=reverse("channel:meeting-detail", args=[meeting.pk]),
        intro=str(meeting),
    )


@panel_view(*MINUTE_TAKERS)
def attendee_remove(request, public_id):
    attendee = (
        PanelAttendee.objects.select_related("meeting", "partner")
        .filter(public_id=public_id)
        .first()
    )
    if attendee is None:
        raise Http404("No such attendee")
    meeting = attendee.meeting
    back = reverse("channel:meeting-detail", args=[meeting.pk])
    if request.method == "POST":
        services.attendee_remove(actor=request.user, attendee=attendee)
        messages.success(request, "Attendee removed")
        return redirect(back + "#attendees")
    return render(
        request,
        "channel/confirm.html",
        {
            "title": "Remove this attendee?",
            "detail": f"{attendee.name}"
            + (f", {attendee.partner.name}" if attendee.partner else ""),
            "button": "Remove the attendee",
            "back_url": back,
            "crumbs": _meeting_crumbs(meeting, ("Remove an attendee", None)),
        },
    )


@panel_view(Perm.CASES_MANAGE)
def agenda_create(request, pk):
    meeting = _meeting_or_404(request, pk)
    show_identities = request.user.can_see_identities
    form = forms.AgendaAddForm(
        request.POST or None,
        cases=cases_for_agenda(request.user, meeting),
        show_identities=show_identities,
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_add(
                actor=request.user, meeting=meeting, referral=form.cleaned_data["referral"]
            )
        except PanelError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"Case {item.referral.reference} added to the agenda")
            return redirect(reverse("channel:meeting-detail", args=[meeting.pk]) + "#agenda")
    return _form_page(
        request,
        form,
        title="Add a case to the agenda",
        crumbs=_meeting_crumbs(meeting, ("Add a case", None)),
        back_url=reverse("channel:meeting-detail", args=[meeting.pk]),
        intro="Cases in information gathering or discussed at panel (for a decision), "
        "and adopted cases (for review).",
    )


@panel_view(Perm.CASES_MANAGE)
def agenda_order(request, pk):
    """The agenda with a "move up" and a "move down" button per case; one move a POST."""
    meeting = meeting_for_page(request.user, uuid_or_404(pk))
    if meeting is None:
        raise Http404("No such meeting")
    error = None
    if request.method == "POST":
        form = forms.AgendaOrderForm(request.POST)
        move = request.POST.get("up") or request.POST.get("down")
        direction = "up" if request.POST.get("up") else "down"
        lines = agenda_lines(request.user, meeting)
        line = next((line for line in lines if str(line.item.pk) == move), None)
        if line is not None and line.case is None:
            raise Http404("No such agenda item")  # a case outside the user's scope
        try:
            if not form.is_valid() or not (move or "").isdigit():
                raise PanelError("Choose a case to move")
            services.agenda_move(
                actor=request.user,
                meeting=meeting,
                item_id=int(move),
                direction=direction,
                expected_version=form.cleaned_data["version"],
            )
        except PanelError as problem:
            error = str(problem)
            meeting = meeting_for_page(request.user, meeting.pk)
        else:
            return redirect("channel:agenda-order", pk=meeting.pk)
    return render(
        request,
        "channel/agenda_order.html",
        {
            "meeting": meeting,
            "lines": agenda_lines(request.user, meeting),
            "error": error,
            "show_identities": request.user.can_see_identities,
            "crumbs": _meeting_crumbs(meeting, ("Order of the agenda", None)),
        },
    )


def _item_or_404(request, public_id):
    item = agenda_item_for(request.user, public_id)
    if item is None:
        raise Http404("No such agenda item")
    return item


@panel_view(Perm.CASES_MANAGE)
def agenda_remove_view(request, public_id):
    item = _item_or_404(request, public_id)
    meeting = item.meeting
    back = reverse("channel:meeting-detail", args=[meeting.pk]) + "#agenda"
    error = None
    if request.method == "POST":
        try:
            services.agenda_remove(actor=request.user, item=item)
        except PanelError as problem:
            error = str(problem)
        else:
            messages.success(request, f"Case {item.referral.reference} taken off the agenda")
            return redirect(back)
    return render(
        request,
        "channel/confirm.html",
        {
            "title": "Take this case off the agenda?",
            "detail": f"Case {item.referral.reference}",
            "button": "Take it off the agenda",
            "back_url": back,
            "error": error,
            "crumbs": _meeting_crumbs(meeting, ("Take a case off", None)),
        },
    )


@panel_view(Perm.CASES_MANAGE)
def decision_create(request, public_id):
    item = _item_or_404(request, public_id)  # its case in the user's scope, or 404
    referral = item.referral
    meeting = item.meeting
    back = reverse("channel:meeting-detail", args=[meeting.pk]) + "#agenda"
    if item.is_decided:
        messages.info(request, f"The decision on case {referral.reference} is recorded")
        return redirect(back)
    form = forms.DecisionForm(request.POST or None, referral=referral)
    if request.method == "POST":
        if request.POST.get("case_version") != str(referral.version):
            form.is_valid()
            form.errors.clear()
            form.data = form.data.copy()
            form.data["case_version"] = str(referral.version)
            form.add_error(None, str(StaleVersionError()))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.decision_record(
                    actor=request.user,
                    item=item,
                    decision=data["decision"],
                    reason=data["reason"],
                    onward_route=data.get("onward_route", ""),
                    signposted_to=data.get("signposted_to", ""),
                    expected_version=data["case_version"],
                )
            except StaleVersionError as problem:
                form.add_error(None, str(problem))
            except PanelError as problem:
                form.add_error(None, str(problem))
            else:
                messages.success(
                    request,
                    f"Decision recorded: case {referral.reference} is now "
                    f"“{item.referral.get_status_display()}”",
                )
                return redirect(back)
    return _form_page(
        request,
        form,
        title=f"Decision on case {referral.reference}",
        crumbs=_meeting_crumbs(meeting, (f"Decision on {referral.reference}", None)),
        back_url=back,
        context={
            "referral": referral,
            "show_identities": request.user.can_see_identities,
            "meeting": meeting,
        },
    )


@panel_view(*MINUTE_TAKERS)
def action_create(request, pk):
    meeting = meeting_for_page(request.user, uuid_or_404(pk))
    if meeting is None:
        raise Http404("No such meeting")
    form = forms.ActionForm(
        request.POST or None, meeting=meeting, lines=action_lines(request.user, meeting)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(
                actor=request.user,
                meeting=meeting,
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
                agenda_item=data["agenda_item"],
                create_token=data["token"],
            )
        except PanelError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Action added")
            return redirect(reverse("channel:meeting-detail", args=[meeting.pk]) + "#actions")
    return _form_page(
        request,
        form,
        title="Add an action",
        crumbs=_meeting_crumbs(meeting, ("Add an action", None)),
        back_url=reverse("channel:meeting-detail", args=[meeting.pk]),
        intro=str(meeting),
    )


@panel_view(*MINUTE_TAKERS)
def action_edit(request, public_id):
    action = action_for(request.user, public_id)  # about a case in the user's scope, or 404
    if action is None:
        raise Http404("No such action")
    meeting = action.meeting
    initial = {
        "description": action.description,
        "owner": action.owner,
        "due_on": action.due_on,
        "done_on": action.done_on,
        "version": action.version,
    }
    form = forms.ActionEditForm(request.POST or None, initial=initial, meeting=meeting, lines=[])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_update(
                actor=request.user,
                action=action,
                expected_version=data["version"],
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
                done_on=data["done_on"],
            )
        except StaleMeetingError as problem:
            action.refresh_from_db()
            _conflict(form, problem, action.version)
        except PanelError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Action saved")
            return redirect(reverse("channel:meeting-detail", args=[meeting.pk]) + "#actions")
    return _form_page(
        request,
        form,
        title="Change an action",
        crumbs=_meeting_crumbs(meeting, ("Change an action", None)),
        back_url=reverse("channel:meeting-detail", args=[meeting.pk]),
        intro=str(meeting),
    )


@panel_view(Perm.CASES_VIEW)
@reauth_required
def meeting_pack(request, pk):
    """The panel pack (PDF): marked OFFICIAL-SENSITIVE, watermarked with the name of the
    person producing it and the time; producing it is audited."""
    meeting = meeting_for_page(request.user, uuid_or_404(pk))
    if meeting is None:
        raise Http404("No such meeting")
    cases = pack_cases(request.user, meeting)
    produced_at = timezone.localtime()
    attendees = list(meeting.attendees.all())
    pdf = panel_pack_pdf(
        meeting,
        cases=cases,
        attendees=attendees,
        producer=request.user.get_full_name() or request.user.get_username(),
        produced_at=produced_at,
        show_identities=request.user.can_see_identities,
    )
    services.pack_produced(
        actor=request.user,
        meeting=meeting,
        references=[entry["line"].reference for entry in cases],
    )
    # The pack leaves the portal with case data: each case in it goes in the disclosure log.
    record_panel_pack(
        actor=request.user,
        meeting=meeting,
        cases=[entry["line"].case for entry in cases if entry["line"].case is not None],
        attendees=attendees,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="channel-panel-pack-{meeting.meeting_date:%Y-%m-%d}.pdf"'
    )
    return response


@panel_view(Perm.CASES_VIEW)
def case_panel(request, pk):
    """The case's Panel section: every agenda it was on, and each decision."""
    referral = load_case(request, pk, section="Panel")
    return render(
        request,
        "channel/case_panel.html",
        case_context(request, referral, "panel", items=case_agenda_items(referral)),
    )

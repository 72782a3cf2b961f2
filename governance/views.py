from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from governance.filters import PartnerFilter, PlanActionFilter
from governance.forms import (
    BoardMeetingForm,
    BoardMemberForm,
    DistrictContactForm,
    DistrictForm,
    DistrictNoteForm,
    MeetingActionForm,
    PartnerForm,
    PartnershipForm,
    PeoAreaForm,
    PlanActionForm,
    PlanForm,
    PlanHeadingForm,
    PlanImportForm,
    ProgressUpdateForm,
    RiskAreaForm,
    RiskAssessmentForm,
)
from governance.models import (
    BoardMeeting,
    BoardMember,
    District,
    MeetingAction,
    Partner,
    Partnership,
    PeoArea,
    Plan,
    PlanAction,
    PlanHeading,
    RiskArea,
    RiskAssessment,
)
from governance.selectors import (
    action_with_history,
    board_members,
    current_plan,
    current_risk_assessment,
    district_with_notes,
    districts_with_areas,
    meeting_with_attendees,
    meetings_with_counts,
    partners_with_district,
    peo_areas_with_counts,
    plan_actions,
    plan_progress_by_heading,
    risk_areas_with_coverage,
)
from governance.services import (
    ImportRowsError,
    PlanError,
    district_note_add,
    plan_actions_import,
    progress_update_record,
    record_save,
)
from prevent_portal.accounts.permissions import permission_required
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.ui.uploads import UploadError, row_errors_page, upload_bytes


@permission_required(Perm.REFERENCE_MANAGE)
def reference(request):
    return render(
        request,
        "governance/reference.html",
        {
            "partnership": Partnership.objects.filter(pk=1).first(),
            "peo_areas": peo_areas_with_counts(),
            "districts": districts_with_areas(),
            "partner_total": Partner.objects.count(),
        },
    )


@permission_required(Perm.REFERENCE_MANAGE)
def partner_list(request):
    partner_filter = PartnerFilter(request.GET, queryset=partners_with_district())
    partners = partner_filter.qs if partner_filter.is_valid() else Partner.objects.none()
    page = Paginator(partners, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/partner_list.html",
        {
            "filter": partner_filter,
            "page": page,
            "query": query.urlencode(),
            "crumbs": [("Reference data", reverse("governance:reference"))],
        },
    )


def _edit(request, *, form_class, instance, title, success_url, back_url):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = record_save(actor=request.user, form=form)
        messages.success(request, f"{saved} saved")
        return redirect(success_url)
    return render(
        request,
        "governance/reference_form.html",
        {"form": form, "title": title, "back_url": back_url},
    )


@permission_required(Perm.REFERENCE_MANAGE)
def partner_create(request):
    return _edit(
        request,
        form_class=PartnerForm,
        instance=None,
        title="Add a partner organisation",
        success_url="governance:partner-list",
        back_url="governance:partner-list",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def partner_edit(request, pk):
    return _edit(
        request,
        form_class=PartnerForm,
        instance=get_object_or_404(Partner, pk=pk),
        title="Change a partner organisation",
        success_url="governance:partner-list",
        back_url="governance:partner-list",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def district_edit(request, pk):
    return _edit(
        request,
        form_class=DistrictForm,
        instance=get_object_or_404(District, pk=pk),
        title="Change a district",
        success_url="governance:reference",
        back_url="governance:reference",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def district_create(request):
    return _edit(
        request,
        form_class=DistrictForm,
        instance=None,
        title="Add a district",
        success_url="governance:reference",
        back_url="governance:reference",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def peo_area_create(request):
    return _edit(
        request,
        form_class=PeoAreaForm,
        instance=None,
        title="Add a PEO area",
        success_url="governance:reference",
        back_url="governance:reference",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def peo_area_edit(request, pk):
    return _edit(
        request,
        form_class=PeoAreaForm,
        instance=get_object_or_404(PeoArea, pk=pk),
        title="Change a PEO area",
        success_url="governance:reference",
        back_url="governance:reference",
    )


@permission_required(Perm.REFERENCE_MANAGE)
def partnership_edit(request):
    return _edit(
        request,
        form_class=PartnershipForm,
        instance=Partnership.objects.filter(pk=1).first() or Partnership(pk=1),
        title="Change the partnership's name",
        success_url="governance:reference",
        back_url="governance:reference",
    )


# --------------------------------------------------------------------------------------
# The plan hub, the plan and its actions
# --------------------------------------------------------------------------------------

HUB = ("Partnership", "governance:index")


def _crumbs(*pairs):
    """[(label, url name or (url name, *args)), ...] -> [(label, url)]."""
    result = []
    for label, target in pairs:
        if isinstance(target, tuple):
            result.append((label, reverse(target[0], args=target[1:])))
        else:
            result.append((label, reverse(target) if target else ""))
    return result


def _form_page(request, form, *, title, crumbs, back_url, intro=""):
    return render(
        request,
        "governance/form.html",
        {"form": form, "title": title, "crumbs": crumbs, "back_url": back_url, "intro": intro},
    )


def _save(request, form, *, title, crumbs, back_url, success):
    """Validate and save a GovukModelForm through the audited service (PRG)."""
    if request.method == "POST" and form.is_valid():
        saved = record_save(actor=request.user, form=form)
        messages.success(request, f"{saved} saved")
        return redirect(success(saved) if callable(success) else success)
    return _form_page(request, form, title=title, crumbs=crumbs, back_url=back_url)


@permission_required(Perm.PLAN_VIEW)
def index(request):
    plan = current_plan()
    return render(
        request,
        "governance/index.html",
        {
            "plan": plan,
            "plans": Plan.objects.all(),
            "progress": plan_progress_by_heading(plan),
            "assessment": current_risk_assessment(),
            "districts": districts_with_areas().filter(is_active=True),
            "can_manage": has_perm(request.user, Perm.PLAN_MANAGE),
        },
    )


@permission_required(Perm.PLAN_MANAGE)
def plan_create(request):
    form = PlanForm(request.POST or None)
    return _save(
        request,
        form,
        title="Add a partnership plan",
        crumbs=_crumbs(HUB),
        back_url=reverse("governance:index"),
        success=lambda plan: reverse("governance:plan-detail", args=[plan.pk]),
    )


@permission_required(Perm.PLAN_MANAGE)
def plan_edit(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    url = reverse("governance:plan-detail", args=[pk])
    return _save(
        request,
        PlanForm(request.POST or None, instance=plan),
        title=f"Change {plan}",
        crumbs=_crumbs(HUB, (str(plan), ("governance:plan-detail", pk))),
        back_url=url,
        success=url,
    )


@permission_required(Perm.PLAN_VIEW)
def plan_detail(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    action_filter = PlanActionFilter(request.GET, queryset=plan_actions(plan))
    actions = action_filter.qs if action_filter.is_valid() else PlanAction.objects.none()
    page = Paginator(actions, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/plan_detail.html",
        {
            "plan": plan,
            "filter": action_filter,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "crumbs": _crumbs(HUB),
            "can_manage": has_perm(request.user, Perm.PLAN_MANAGE),
        },
    )


@permission_required(Perm.PLAN_MANAGE)
def plan_import(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = plan_actions_import(
                actor=request.user, plan=plan, data=upload_bytes(upload), filename=upload.name
            )
        except UploadError as error:
            form.add_error("file", str(error))
        except ImportRowsError as error:
            form.add_error("file", "The file has errors: no actions were imported")
            row_errors = error.errors
        else:
            messages.success(request, f"{created} actions imported into {plan}")
            return redirect("governance:plan-detail", pk=plan.pk)
    return render(
        request,
        "governance/plan_import.html",
        {
            "form": form,
            "plan": plan,
            "row_errors": row_errors_page(row_errors),
            "crumbs": _crumbs(HUB, (str(plan), ("governance:plan-detail", pk))),
        },
    )


@permission_required(Perm.PLAN_MANAGE)
def action_create(request, plan_pk):
    plan = get_object_or_404(Plan, pk=plan_pk)
    url = reverse("governance:plan-detail", args=[plan.pk])
    return _save(
        request,
        PlanActionForm(request.POST or None, plan=plan),
        title="Add an action",
        crumbs=_crumbs(HUB, (str(plan), ("governance:plan-detail", plan.pk))),
        back_url=url,
        success=lambda action: reverse("governance:action-detail", args=[action.pk]),
    )


@permission_required(Perm.PLAN_VIEW)
def action_detail(request, pk):
    action = action_with_history(pk)
    return render(
        request,
        "governance/action_detail.html",
        {
            "action": action,
            "today": timezone.localdate(),
            "crumbs": _crumbs(HUB, (str(action.plan), ("governance:plan-detail", action.plan_id))),
            "can_manage": has_perm(request.user, Perm.PLAN_MANAGE),
        },
    )


@permission_required(Perm.PLAN_MANAGE)
def action_edit(request, pk):
    action = get_object_or_404(PlanAction.objects.select_related("plan"), pk=pk)
    url = reverse("governance:action-detail", args=[pk])
    return _save(
        request,
        PlanActionForm(request.POST or None, instance=action, plan=action.plan),
        title=f"Change action {action.reference}",
        crumbs=_crumbs(HUB, (str(action.plan), ("governance:plan-detail", action.plan_id))),
        back_url=url,
        success=url,
    )


@permission_required(Perm.PLAN_MANAGE)
def progress_create(request, pk):
    action = get_object_or_404(PlanAction.objects.select_related("plan"), pk=pk)
    url = reverse("governance:action-detail", args=[pk])
    if action.is_complete:
        # Nothing to fill in: say why on the action's page, where its history is.
        messages.error(request, "This action is complete: it cannot have another progress update")
        return redirect(url)
    form = ProgressUpdateForm(request.POST or None, initial={"dated": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            progress_update_record(actor=request.user, action=action, **form.cleaned_data)
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Progress update on action {action.reference} saved")
            return redirect(url)
    return _form_page(
        request,
        form,
        title=f"Add a progress update on action {action.reference}",
        intro=action.description,
        crumbs=_crumbs(
            HUB,
            (str(action.plan), ("governance:plan-detail", action.plan_id)),
            (f"Action {action.reference}", ("governance:action-detail", pk)),
        ),
        back_url=url,
    )


@permission_required(Perm.PLAN_VIEW)
def heading_list(request):
    return render(
        request,
        "governance/heading_list.html",
        {
            "headings": PlanHeading.objects.annotate(action_count=Count("actions")),
            "crumbs": _crumbs(HUB),
            "can_manage": has_perm(request.user, Perm.PLAN_MANAGE),
        },
    )


@permission_required(Perm.PLAN_MANAGE)
def heading_create(request):
    url = reverse("governance:heading-list")
    return _save(
        request,
        PlanHeadingForm(request.POST or None),
        title="Add a plan heading",
        crumbs=_crumbs(HUB, ("Plan headings", "governance:heading-list")),
        back_url=url,
        success=url,
    )


@permission_required(Perm.PLAN_MANAGE)
def heading_edit(request, pk):
    url = reverse("governance:heading-list")
    return _save(
        request,
        PlanHeadingForm(request.POST or None, instance=get_object_or_404(PlanHeading, pk=pk)),
        title="Change a plan heading",
        crumbs=_crumbs(HUB, ("Plan headings", "governance:heading-list")),
        back_url=url,
        success=url,
    )


# --------------------------------------------------------------------------------------
# The CT situational risk assessment
# --------------------------------------------------------------------------------------


@permission_required(Perm.PLAN_VIEW)
def risk_assessment_list(request):
    return render(
        request,
        "governance/risk_assessment_list.html",
        {
            "assessments": RiskAssessment.objects.annotate(area_count=Count("areas")),
            "crumbs": _crumbs(HUB),
            "can_manage": has_perm(request.user, Perm.PLAN_MANAGE),
        },
    )


@permission_required(Perm.PLAN_MANAGE)
def risk_assessment_create(request):
    return _save(
        request,
        RiskAssessmentForm(request.POST or None),
        title="Add a risk assessment",
        crumbs=_crumbs(HUB, ("Risk assessments", "governance:risk-assessment-list")),
        back_url=reverse("governance:risk-assessment-list"),
        success=lambda item: reverse("governance:risk-assessment-detail", args=[item.pk]),
    )


@permission_required(Perm.PLAN_MANAGE)
def risk_assessment_edit(request, pk):
    url = reverse("governance:risk-assessment-detail", args=[pk])
    return _save(
        request,
        RiskAssessmentForm(request.POST or None, instance=get_object_or_404(RiskAssessment, pk=pk)),
        title="Change the risk assessment",
        crumbs=_crumbs(HUB, ("Risk assessments", "governance:risk-assessment-list")),
        back_url=url,
        success=url,
    )


@permission_required(Perm.PLAN_VIEW)
def risk_assessment_detail(request, pk):
    assessment = get_object_or_404(RiskAssessment, pk=pk)
    areas = list(risk_areas_with_coverage(assessment))
    return render(
        request,
        "governance/risk_assessment_detail.html",
        {
            "assessment": assessment,
            "areas": areas,
            "uncovered": [area for area in areas if not area.action_count],
            "crumbs": _crumbs(HUB, ("Risk assessments", "governance:risk-assessment-list")),
            "can_manage": has_perm(request.user, Perm.PLAN_MANAGE),
        },
    )


@permission_required(Perm.PLAN_MANAGE)
def risk_area_create(request, assessment_pk):
    assessment = get_object_or_404(RiskAssessment, pk=assessment_pk)
    url = reverse("governance:risk-assessment-detail", args=[assessment.pk])
    return _save(
        request,
        RiskAreaForm(request.POST or None, assessment=assessment),
        title="Add a priority risk area",
        crumbs=_crumbs(
            HUB, (str(assessment), ("governance:risk-assessment-detail", assessment.pk))
        ),
        back_url=url,
        success=url,
    )


@permission_required(Perm.PLAN_MANAGE)
def risk_area_edit(request, pk):
    area = get_object_or_404(RiskArea.objects.select_related("assessment"), pk=pk)
    url = reverse("governance:risk-assessment-detail", args=[area.assessment_id])
    return _save(
        request,
        RiskAreaForm(request.POST or None, instance=area, assessment=area.assessment),
        title="Change a priority risk area",
        crumbs=_crumbs(
            HUB, (str(area.assessment), ("governance:risk-assessment-detail", area.assessment_id))
        ),
        back_url=url,
        success=url,
    )


# --------------------------------------------------------------------------------------
# The Prevent Duty Delivery Board
# --------------------------------------------------------------------------------------


@permission_required(Perm.PLAN_VIEW)
def board_member_list(request):
    return render(
        request,
        "governance/board_member_list.html",
        {
            "members": board_members(),
            "crumbs": _crumbs(HUB),
            "can_manage": has_perm(request.user, Perm.MEETINGS_MANAGE),
        },
    )


@permission_required(Perm.MEETINGS_MANAGE)
def board_member_create(request):
    url = reverse("governance:board-member-list")
    return _save(
        request,
        BoardMemberForm(request.POST or None),
        title="Add a board member",
        crumbs=_crumbs(HUB, ("Board members", "governance:board-member-list")),
        back_url=url,
        success=url,
    )


@permission_required(Perm.MEETINGS_MANAGE)
def board_member_edit(request, pk):
    url = reverse("governance:board-member-list")
    return _save(
        request,
        BoardMemberForm(request.POST or None, instance=get_object_or_404(BoardMember, pk=pk)),
        title="Change a board member",
        crumbs=_crumbs(HUB, ("Board members", "governance:board-member-list")),
        back_url=url,
        success=url,
    )


@permission_required(Perm.PLAN_VIEW)
def meeting_list(request):
    page = Paginator(meetings_with_counts(), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/meeting_list.html",
        {
            "page": page,
            "query": "",
            "crumbs": _crumbs(HUB),
            "can_manage": has_perm(request.user, Perm.MEETINGS_MANAGE),
        },
    )


@permission_required(Perm.MEETINGS_MANAGE)
def meeting_create(request):
    return _save(
        request,
        BoardMeetingForm(request.POST or None),
        title="Add a board meeting",
        crumbs=_crumbs(HUB, ("Board meetings", "governance:meeting-list")),
        back_url=reverse("governance:meeting-list"),
        success=lambda meeting: reverse("governance:meeting-detail", args=[meeting.pk]),
    )


@permission_required(Perm.MEETINGS_MANAGE)
def meeting_edit(request, pk):
    url = reverse("governance:meeting-detail", args=[pk])
    return _save(
        request,
        BoardMeetingForm(request.POST or None, instance=get_object_or_404(BoardMeeting, pk=pk)),
        title="Change a board meeting",
        crumbs=_crumbs(HUB, ("Board meetings", "governance:meeting-list")),
        back_url=url,
        success=url,
    )


@permission_required(Perm.PLAN_VIEW)
def meeting_detail(request, pk):
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting_with_attendees(pk),
            "today": timezone.localdate(),
            "crumbs": _crumbs(HUB, ("Board meetings", "governance:meeting-list")),
            "can_manage": has_perm(request.user, Perm.MEETINGS_MANAGE),
        },
    )


@permission_required(Perm.MEETINGS_MANAGE)
def meeting_action_create(request, meeting_pk):
    meeting = get_object_or_404(BoardMeeting, pk=meeting_pk)
    url = reverse("governance:meeting-detail", args=[meeting.pk])
    return _save(
        request,
        MeetingActionForm(request.POST or None, meeting=meeting),
        title="Add an action from the meeting",
        crumbs=_crumbs(HUB, (str(meeting), ("governance:meeting-detail", meeting.pk))),
        back_url=url,
        success=url,
    )


@permission_required(Perm.MEETINGS_MANAGE)
def meeting_action_edit(request, pk):
    item = get_object_or_404(MeetingAction.objects.select_related("meeting"), pk=pk)
    url = reverse("governance:meeting-detail", args=[item.meeting_id])
    return _save(
        request,
        MeetingActionForm(request.POST or None, instance=item, meeting=item.meeting),
        title="Change an action from the meeting",
        crumbs=_crumbs(HUB, (str(item.meeting), ("governance:meeting-detail", item.meeting_id))),
        back_url=url,
        success=url,
    )


# --------------------------------------------------------------------------------------
# Districts: lead contact, Community Safety Partnership, notes of contact
# --------------------------------------------------------------------------------------


@permission_required(Perm.PLAN_VIEW)
def district_detail(request, pk):
    return render(
        request,
        "governance/district_detail.html",
        {
            "district": district_with_notes(pk),
            "crumbs": _crumbs(HUB),
            "can_manage": has_perm(request.user, Perm.PLAN_MANAGE),
        },
    )


@permission_required(Perm.PLAN_MANAGE)
def district_contact_edit(request, pk):
    district = get_object_or_404(District, pk=pk)
    url = reverse("governance:district-detail", args=[pk])
    return _save(
        request,
        DistrictContactForm(request.POST or None, instance=district),
        title=f"Change how Prevent works with {district}",
        crumbs=_crumbs(HUB, (district.name, ("governance:district-detail", pk))),
        back_url=url,
        success=url,
    )


@permission_required(Perm.PLAN_MANAGE)
def district_note_create(request, pk):
    district = get_object_or_404(District, pk=pk)
    url = reverse("governance:district-detail", args=[pk])
    form = DistrictNoteForm(request.POST or None, initial={"noted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        district_note_add(actor=request.user, district=district, **form.cleaned_data)
        messages.success(request, f"Note of contact with {district} added")
        return redirect(url)
    return _form_page(
        request,
        form,
        title=f"Add a note of contact with {district}",
        crumbs=_crumbs(HUB, (district.name, ("governance:district-detail", pk))),
        back_url=url,
    )

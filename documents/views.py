"""Documents on cases and meetings, letters, the chronology and the case summary.

Every page sends Cache-Control: no-store. A case's pages fetch the case through
`load_case` (404 out of scope, the view audited, POSTs refused on a disposed case); a
meeting's through the meeting selectors. The download and delete views answer 403 to a
user whose roles may not see documents of that kind of owner, 404 for a case out of
their scope, and audit every download.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from channel.selectors import meetings_visible_to
from documents import selectors
from documents.chronology import chronology
from documents.forms import (
    ChronologyFilterForm,
    DocumentForm,
    KindFilterForm,
    LetterChoiceForm,
    LetterForm,
    LetterTemplateForm,
    new_token,
)
from documents.letters import (
    NOT_SET,
    PLACEHOLDERS,
    fill,
    letter_values,
    placeholders_in,
    uses_identities,
)
from documents.services import (
    DocumentError,
    Owner,
    StaleTemplateError,
    document_add,
    document_delete,
    document_record_download,
    documents_record_view,
    letter_create,
    letter_template_save,
    may_delete,
)
from documents.summary import case_summary_pdf
from governance.models import BoardMeeting
from governance.selectors import partnership_name
from prevent_portal.accounts.reauth import reauth_required
from prevent_portal.accounts.roles import Perm, has_perm
from prevent_portal.audit.models import AuditEvent
from prevent_portal.audit.services import audit_record
from prevent_portal.files.responses import download_response
from prevent_portal.files.storage import read_stored
from referrals.case_pages import case_context, is_disposed, load_case, uuid_or_404
from referrals.views import case_view

DOCUMENTS, CHRONOLOGY = "documents", "chronology"
PER_PAGE = 25
EVENTS_PER_PAGE = 50


def any_of(*perms):
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


def _bound(request) -> tuple:
    """(data, files) for a POST, even an empty one (which must show its errors); nothing
    for a GET."""
    return (request.POST, request.FILES) if request.method == "POST" else ()


def _crumbs(*pairs):
    return [(label, url) for label, url in pairs]


def _filtered(request, documents):
    """The list filtered by type (GET), and the filter form; an unknown type matches
    nothing and says so."""
    form = KindFilterForm(request.GET or None)
    if request.GET.get("kind") and form.is_valid() and form.cleaned_data["kind"] is not None:
        documents = documents.filter(kind=form.cleaned_data["kind"])
    elif request.GET.get("kind"):
        documents = documents.none()
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return form, page, query.urlencode()


# -- A case's documents -------------------------------------------------------------------


@case_view(Perm.CASES_VIEW)
def case_documents(request, pk):
    referral = load_case(request, pk, section="Documents")
    form, page, query = _filtered(request, selectors.case_documents(referral))
    can_manage = has_perm(request.user, Perm.CASES_MANAGE)
    return render(
        request,
        "documents/case_documents.html",
        case_context(
            request,
            referral,
            DOCUMENTS,
            filter_form=form,
            page=page,
            query=query,
            can_manage=can_manage,
            may_delete={doc.pk for doc in page.object_list if may_delete(request.user, doc)},
        ),
    )


@case_view(Perm.CASES_MANAGE)
def case_document_create(request, pk):
    referral = load_case(request, pk, section="Documents")
    form = DocumentForm(
        *_bound(request),
        initial={"token": new_token(), "dated_on": None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document_add(
                actor=request.user,
                owner=Owner(referral=referral),
                kind=data["kind"],
                title=data["title"],
                dated_on=data["dated_on"],
                note=data["note"],
                checked=form.checked,
                token=data["token"],
            )
        except DocumentError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"Document added: {data['title']}")
            return redirect("documents:case-documents", pk=referral.pk)
    return render(
        request,
        "documents/document_form.html",
        case_context(
            request,
            referral,
            DOCUMENTS,
            form=form,
            back_url=reverse("documents:case-documents", args=[referral.pk]),
        ),
    )


# -- Download and delete (any owner) -------------------------------------------------------


def _document_or_refuse(request, document_pk):
    """The document, if the user may see it: 403 when their roles may not see documents
    of its owner's kind, 404 when it does not exist or its case is out of scope."""
    document = selectors.document_by_id(uuid_or_404(document_pk))
    if document is None:
        raise Http404("No such document")
    if not selectors.owner_permitted(request.user, document):
        raise PermissionDenied("documents of this owner")
    if not selectors.in_scope(request.user, document):
        raise Http404("No such document")
    return document


def _owner_url(document) -> str:
    if document.referral_id:
        return reverse("documents:case-documents", args=[document.referral_id])
    if document.panel_meeting_id:
        return reverse("documents:panel-documents", args=[document.panel_meeting_id])
    return reverse("documents:board-documents", args=[document.board_meeting_id])


@any_of(*selectors.DOCUMENT_PERMISSIONS)
def document_download(request, document_pk):
    document = _document_or_refuse(request, document_pk)
    data = read_stored(document.stored_name)
    document_record_download(actor=request.user, document=document)
    return download_response(
        data, filename=document.original_name, content_type=document.content_type
    )


@any_of(*selectors.DOCUMENT_PERMISSIONS)
def document_delete_view(request, document_pk):
    """Two steps: a confirmation page (GET), then the deletion (POST)."""
    document = _document_or_refuse(request, document_pk)
    back = _owner_url(document)
    if not may_delete(request.user, document):
        raise PermissionDenied("only the uploader or a supervisor")
    error = ""
    if document.referral_id and is_disposed(document.referral):
        error = "This case has been disposed of: no document can be deleted"
    if request.method == "POST" and not error:
        try:
            document_delete(actor=request.user, document=document)
        except DocumentError as problem:
            error = str(problem)
        else:
            messages.success(request, f"Document deleted: {document.title}")
            return redirect(back)
    return render(
        request,
        "documents/document_delete.html",
        {
            "document": document,
            "back_url": back,
            "error": error,
            "show_identities": request.user.can_see_identities,
            "crumbs": _crumbs(("Documents", back), ("Delete a document", "")),
        },
    )


# -- Letters ------------------------------------------------------------------------------


@case_view(Perm.CASES_MANAGE)
def letter_create_view(request, pk):
    """Choose a template (GET), see it filled in and edit it (GET with the template),
    then make the DOCX and the PDF (POST)."""
    referral = load_case(request, pk, section="Documents")
    templates = list(selectors.letter_templates())
    chosen_id = request.POST.get("template") or request.GET.get("template")
    template = selectors.letter_template(uuid_or_404(chosen_id)) if chosen_id else None
    context = {"back_url": reverse("documents:case-documents", args=[referral.pk])}
    if chosen_id and template is None:
        raise Http404("No such letter template")
    if template is None:
        # Sent with "Continue" but nothing chosen: the error summary says "Select a letter".
        choice = LetterChoiceForm(
            request.GET if "continue" in request.GET else None, templates=templates
        )
        choice.is_valid()
        return render(
            request,
            "documents/letter_choose.html",
            case_context(request, referral, DOCUMENTS, form=choice, templates=templates, **context),
        )
    blocked = uses_identities(template.body) and not request.user.can_see_identities
    if blocked:
        return render(
            request,
            "documents/letter_blocked.html",
            case_context(
                request,
                referral,
                DOCUMENTS,
                template=template,
                identity_placeholders=[
                    name
                    for name in placeholders_in(template.body)
                    if name in PLACEHOLDERS and PLACEHOLDERS[name].identifying
                ],
                **context,
            ),
        )
    partnership = partnership_name() or "Prevent partnership"
    missing = []
    if request.method == "POST":
        form = LetterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                letter = letter_create(
                    actor=request.user,
                    referral=referral,
                    template=template,
                    title=data["title"],
                    body=data["body"],
                    partnership=partnership,
                    token=data["token"],
                )
            except DocumentError as problem:
                form.add_error(None, str(problem))
            else:
                messages.success(request, f"Letter made: {letter.title} (DOCX and PDF)")
                return redirect(
                    reverse("documents:case-documents", args=[referral.pk]) + "#documents"
                )
    else:
        values = letter_values(
            referral=referral,
            user=request.user,
            show_identities=request.user.can_see_identities,
            panel_date=selectors.panel_date_for(referral),
            partnership=partnership,
        )
        missing = [
            PLACEHOLDERS[name].label
            for name in placeholders_in(template.body)
            if name in values and not values[name]
        ]
        form = LetterForm(
            initial={
                "title": template.title,
                "body": fill(template.body, values),
                "template": template.pk,
                "token": new_token(),
            }
        )
    return render(
        request,
        "documents/letter_form.html",
        case_context(
            request,
            referral,
            DOCUMENTS,
            form=form,
            template=template,
            missing=missing,
            not_set=NOT_SET,
            **context,
        ),
    )


# -- Chronology and the case summary -------------------------------------------------------


@case_view(Perm.CASES_VIEW)
def case_chronology(request, pk):
    referral = load_case(request, pk, section="Chronology")
    form = ChronologyFilterForm(request.GET or None)
    kinds = form.cleaned_data["kind"] if request.GET and form.is_valid() else []
    events = chronology(referral, kinds=kinds) if not form.errors else []
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/case_chronology.html",
        case_context(
            request,
            referral,
            CHRONOLOGY,
            filter_form=form,
            page=page,
            query=query.urlencode(),
            kinds=kinds,
        ),
    )


@case_view(Perm.CASES_VIEW)
@reauth_required
def case_summary(request, pk):
    """The case summary PDF: OFFICIAL-SENSITIVE, watermarked with who made it and when;
    a case export, so a fresh password and code first, and audited."""
    referral = load_case(request, pk, section="Case summary")
    producer = request.user.get_full_name() or request.user.get_username()
    pdf = case_summary_pdf(
        referral,
        show_identities=request.user.can_see_identities,
        producer=producer,
        produced_at=timezone.localtime(),
    )
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        summary=f"Printed the case summary of referral {referral.reference} (PDF)",
        target=referral,
        changes={"identities": request.user.can_see_identities},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="case-summary-{referral.reference}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- A Channel panel meeting's and a board meeting's documents -----------------------------


def _panel_meeting_or_404(request, pk):
    meeting = meetings_visible_to(request.user).filter(pk=uuid_or_404(pk)).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def _meeting_page(request, *, owner, documents, title, crumbs, add_url, can_add):
    form, page, query = _filtered(request, documents)
    documents_record_view(actor=request.user, owner=owner)
    return render(
        request,
        "documents/meeting_documents.html",
        {
            "title": title,
            "filter_form": form,
            "page": page,
            "query": query,
            "add_url": add_url if can_add else "",
            "may_delete": {doc.pk for doc in page.object_list if may_delete(request.user, doc)},
            "crumbs": crumbs,
        },
    )


def _meeting_upload(request, *, owner, title, crumbs, back_url):
    form = DocumentForm(
        *_bound(request),
        initial={"token": new_token(), "dated_on": None},
        title_hint="Do not put a person's name in the title: papers about one case belong "
        "on that case",
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document_add(
                actor=request.user,
                owner=owner,
                kind=data["kind"],
                title=data["title"],
                dated_on=data["dated_on"],
                note=data["note"],
                checked=form.checked,
                token=data["token"],
            )
        except DocumentError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"Document added: {data['title']}")
            return redirect(back_url)
    return render(
        request,
        "documents/meeting_document_form.html",
        {"form": form, "title": title, "crumbs": crumbs, "back_url": back_url},
    )


PANEL_READERS = (Perm.CASES_VIEW, Perm.PANEL_MINUTES)
PANEL_WRITERS = (Perm.CASES_MANAGE, Perm.PANEL_MINUTES)


def _panel_crumbs(meeting, *tail):
    return [
        ("Channel panels", reverse("channel:meeting-list")),
        (str(meeting), reverse("channel:meeting-detail", args=[meeting.pk])),
        *tail,
    ]


@any_of(*PANEL_READERS)
def panel_documents(request, pk):
    meeting = _panel_meeting_or_404(request, pk)
    return _meeting_page(
        request,
        owner=Owner(panel_meeting=meeting),
        documents=selectors.panel_documents(meeting),
        title=f"Papers and minutes: {meeting}",
        crumbs=_panel_crumbs(meeting, ("Papers and minutes", "")),
        add_url=reverse("documents:panel-document-create", args=[meeting.pk]),
        can_add=any(has_perm(request.user, perm) for perm in PANEL_WRITERS),
    )


@any_of(*PANEL_WRITERS)
def panel_document_create(request, pk):
    meeting = _panel_meeting_or_404(request, pk)
    back = reverse("documents:panel-documents", args=[meeting.pk])
    return _meeting_upload(
        request,
        owner=Owner(panel_meeting=meeting),
        title=f"Add a paper or the minutes: {meeting}",
        crumbs=_panel_crumbs(meeting, ("Papers and minutes", back), ("Add a document", "")),
        back_url=back,
    )


def _board_crumbs(meeting, *tail):
    return [
        ("Partnership", reverse("governance:index")),
        ("Board meetings", reverse("governance:meeting-list")),
        (str(meeting), reverse("governance:meeting-detail", args=[meeting.pk])),
        *tail,
    ]


@any_of(Perm.MEETINGS_MANAGE)
def board_documents(request, pk):
    meeting = get_object_or_404(BoardMeeting, pk=pk)
    return _meeting_page(
        request,
        owner=Owner(board_meeting=meeting),
        documents=selectors.board_documents(meeting),
        title=f"Papers and minutes: {meeting}",
        crumbs=_board_crumbs(meeting, ("Papers and minutes", "")),
        add_url=reverse("documents:board-document-create", args=[meeting.pk]),
        can_add=True,
    )


@any_of(Perm.MEETINGS_MANAGE)
def board_document_create(request, pk):
    meeting = get_object_or_404(BoardMeeting, pk=pk)
    back = reverse("documents:board-documents", args=[meeting.pk])
    return _meeting_upload(
        request,
        owner=Owner(board_meeting=meeting),
        title=f"Add a paper or the minutes: {meeting}",
        crumbs=_board_crumbs(meeting, ("Papers and minutes", back), ("Add a document", "")),
        back_url=back,
    )


# -- Letter templates (supervisors of case work) -------------------------------------------

TEMPLATES_CRUMB = ("Letter templates", "")


@any_of(Perm.CASES_SUPERVISE)
def template_list(request):
    return render(
        request,
        "documents/template_list.html",
        {
            "templates": selectors.letter_templates(active_only=False),
            "placeholders": PLACEHOLDERS.values(),
            "crumbs": _crumbs(("Cases", reverse("referrals:index")), TEMPLATES_CRUMB),
        },
    )


def _template_form(request, template):
    initial = (
        {
            "title": template.title,
            "body": template.body,
            "is_active": template.is_active,
            "position": template.position,
            "version": template.version,
        }
        if template
        else {"is_active": True}
    )
    form = LetterTemplateForm(*_bound(request)[:1], initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = letter_template_save(
                actor=request.user,
                template=template,
                title=data["title"],
                body=data["body"],
                is_active=data["is_active"],
                position=data["position"],
                expected_version=data["version"],
            )
        except StaleTemplateError as problem:
            template.refresh_from_db()
            form.data = form.data.copy()
            form.data["version"] = str(template.version)
            form.add_error(None, str(problem))
        except DocumentError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"Template saved: {saved.title}")
            return redirect("documents:template-list")
    title = "Change a letter template" if template else "Add a letter template"
    return render(
        request,
        "documents/template_form.html",
        {
            "form": form,
            "title": title,
            "placeholders": PLACEHOLDERS.values(),
            "back_url": reverse("documents:template-list"),
            "crumbs": _crumbs(
                ("Cases", reverse("referrals:index")),
                ("Letter templates", reverse("documents:template-list")),
                (title, ""),
            ),
        },
    )


@any_of(Perm.CASES_SUPERVISE)
def template_create(request):
    return _template_form(request, None)


@any_of(Perm.CASES_SUPERVISE)
def template_edit(request, pk):
    template = selectors.letter_template(uuid_or_404(pk), active_only=False)
    if template is None:
        raise Http404("No such template")
    return _template_form(request, template)

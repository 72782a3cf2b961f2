"""Every read of documents, scoped to who asks.

Who sees which documents (docs/documents.md):

- a case's documents: holders of cases.view, for the cases in their scope
  (`referrals_visible_to`); the case is always fetched by `load_case` first;
- a Channel panel meeting's: whoever sees panel meetings (cases.view, or
  cases.panel_minutes: business support);
- a board meeting's: whoever minutes the board (governance.meetings_manage);
- nobody else, ever: board members, education and community officers and
  administrators hold none of these, and are refused before any lookup.
"""

from django.db.models import QuerySet

from channel.models import AgendaItem
from channel.selectors import may_see_panels
from documents.models import Document, DocumentType, Letter, LetterTemplate
from prevent_portal.accounts.roles import Perm, has_perm
from referrals.selectors import referrals_visible_to

# Any one of these lets a user reach the download view; which one counts depends on
# the document's owner.
DOCUMENT_PERMISSIONS = (Perm.CASES_VIEW, Perm.PANEL_MINUTES, Perm.MEETINGS_MANAGE)


def may_see_any_documents(user) -> bool:
    return any(has_perm(user, perm) for perm in DOCUMENT_PERMISSIONS)


def may_see_board_documents(user) -> bool:
    return has_perm(user, Perm.MEETINGS_MANAGE)


def owner_permitted(user, document: Document) -> bool:
    """May `user`'s roles see documents of this kind of owner (not yet: this one)?"""
    if document.referral_id:
        return has_perm(user, Perm.CASES_VIEW)
    if document.panel_meeting_id:
        return may_see_panels(user)
    return may_see_board_documents(user)


def document_by_id(pk) -> Document | None:
    """The document with its owner, for the download and delete views, which then ask
    `owner_permitted` (403) and `in_scope` (404)."""
    return (
        Document.objects.select_related("kind", "uploaded_by", "referral", "panel_meeting")
        .filter(pk=pk)
        .first()
    )


def in_scope(user, document: Document) -> bool:
    if document.referral_id:
        return referrals_visible_to(user).filter(pk=document.referral_id).exists()
    return True  # meetings have no narrower scope than the permission


def document_types() -> QuerySet[DocumentType]:
    return DocumentType.objects.filter(is_active=True)


def _listed(documents: QuerySet[Document], kind=None) -> QuerySet[Document]:
    documents = documents.select_related("kind", "uploaded_by").order_by("-uploaded_at", "-id")
    if kind is not None:
        documents = documents.filter(kind=kind)
    return documents


def case_documents(referral, *, kind=None) -> QuerySet[Document]:
    """A case's documents, newest first (the Documents section)."""
    return _listed(Document.objects.filter(referral=referral), kind)


def panel_documents(meeting, *, kind=None) -> QuerySet[Document]:
    return _listed(Document.objects.filter(panel_meeting=meeting), kind)


def board_documents(meeting, *, kind=None) -> QuerySet[Document]:
    return _listed(Document.objects.filter(board_meeting=meeting), kind)


def letter_templates(*, active_only: bool = True) -> QuerySet[LetterTemplate]:
    templates = LetterTemplate.objects.select_related("updated_by")
    return templates.filter(is_active=True) if active_only else templates


def letter_template(pk, *, active_only: bool = True) -> LetterTemplate | None:
    return letter_templates(active_only=active_only).filter(pk=pk).first()


def letter_with_documents(referral, pk) -> Letter | None:
    return Letter.objects.filter(referral=referral, pk=pk).prefetch_related("documents").first()


def panel_date_for(referral):
    """The date of the case's next Channel panel (today or later), or else its last."""
    from django.utils import timezone

    today = timezone.localdate()
    items = AgendaItem.objects.filter(referral=referral).select_related("meeting")
    upcoming = items.filter(meeting__meeting_date__gte=today).order_by("meeting__meeting_date")
    item = upcoming.first() or items.order_by("-meeting__meeting_date").first()
    return item.meeting.meeting_date if item else None

"""Who may open each page of documents, letters and the chronology (tests/test_url_walk.py
walks them all).

A case's pages: the case-viewing roles (coordinator, chair, Channel coordinator). A
Channel panel meeting's papers: those who see panels, business support included. A board
meeting's papers: those who minute the board (coordinator, chair, business support).
Letter templates: supervisors of case work. Deleting the walk's document, which the
system added, is for supervisors only (or whoever added it). Board members, education and
community officers and administrators open none of them.
"""

CASES = {"coordinator", "chair", "channel"}
SUPERVISORS = {"coordinator", "chair"}
BOARD_MINUTERS = SUPERVISORS | {"support"}

EXPECTED = {
    "documents:case-documents": CASES,
    "documents:case-document-create": CASES,
    "documents:letter-create": CASES,
    "documents:case-chronology": CASES,
    "documents:case-summary": CASES,
    "documents:document-download": CASES,
    "documents:document-delete": SUPERVISORS,
    "documents:panel-documents": CASES | {"support"},
    "documents:panel-document-create": CASES | {"support"},
    "documents:template-list": SUPERVISORS,
    "documents:template-create": SUPERVISORS,
    "documents:template-edit": SUPERVISORS,
    "documents:board-documents": BOARD_MINUTERS,
    "documents:board-document-create": BOARD_MINUTERS,
}

# The case summary is a case export: a fresh password and code first.
REAUTH = {"documents:case-summary"}


def url_kwargs():
    from datetime import date

    from documents.models import LetterTemplate
    from documents.reference import load_reference_models
    from governance.models import BoardMeeting
    from tests.casework.conftest import adopted_referral
    from tests.channel.conftest import make_meeting
    from tests.documents.conftest import add_document

    load_reference_models()
    referral = adopted_referral(family="Walkdocs")
    document = add_document(referral)
    meeting = make_meeting(on=date(2026, 5, 12))
    add_document(panel_meeting=meeting, code="minutes", title="Minutes")
    board = BoardMeeting.objects.create(held_on=date(2026, 4, 30))
    add_document(board_meeting=board, code="minutes", title="Board minutes")
    case = {"pk": referral.pk}
    return {
        "documents:case-documents": case,
        "documents:case-document-create": case,
        "documents:letter-create": case,
        "documents:case-chronology": case,
        "documents:case-summary": case,
        "documents:document-download": {"document_pk": document.pk},
        "documents:document-delete": {"document_pk": document.pk},
        "documents:panel-documents": {"pk": meeting.pk},
        "documents:panel-document-create": {"pk": meeting.pk},
        "documents:template-edit": {"pk": LetterTemplate.objects.first().pk},
        "documents:board-documents": {"pk": board.pk},
        "documents:board-document-create": {"pk": board.pk},
    }

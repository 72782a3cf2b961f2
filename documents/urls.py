"""Included at the root (prevent_portal/urls.py): a case's pages sit beside the other
sections of a case, a meeting's beside the meeting."""

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("referrals/case/<uuid:pk>/documents/", views.case_documents, name="case-documents"),
    path(
        "referrals/case/<uuid:pk>/documents/add/",
        views.case_document_create,
        name="case-document-create",
    ),
    path("referrals/case/<uuid:pk>/letters/new/", views.letter_create_view, name="letter-create"),
    path("referrals/case/<uuid:pk>/chronology/", views.case_chronology, name="case-chronology"),
    path("referrals/case/<uuid:pk>/summary/", views.case_summary, name="case-summary"),
    path(
        "referrals/documents/<uuid:document_pk>/download/",
        views.document_download,
        name="document-download",
    ),
    path(
        "referrals/documents/<uuid:document_pk>/delete/",
        views.document_delete_view,
        name="document-delete",
    ),
    path("referrals/panels/<uuid:pk>/documents/", views.panel_documents, name="panel-documents"),
    path(
        "referrals/panels/<uuid:pk>/documents/add/",
        views.panel_document_create,
        name="panel-document-create",
    ),
    path("referrals/letter-templates/", views.template_list, name="template-list"),
    path("referrals/letter-templates/add/", views.template_create, name="template-create"),
    path("referrals/letter-templates/<uuid:pk>/", views.template_edit, name="template-edit"),
    # Board meetings are not case records: their ids are whole numbers (governance).
    path(
        "partnership/board/meetings/<int:pk>/documents/",
        views.board_documents,
        name="board-documents",
    ),
    path(
        "partnership/board/meetings/<int:pk>/documents/add/",
        views.board_document_create,
        name="board-document-create",
    ),
]

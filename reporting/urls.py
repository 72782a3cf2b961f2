from django.urls import path

from reporting import statistics_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/", views.figures, name="figures"),
    path("board/", views.board, name="board"),
    path("statistics/", statistics_views.statistics_page, name="statistics"),
    path(
        "statistics/<slug:name>.<slug:fmt>",
        statistics_views.statistics_table,
        name="statistics-table",
    ),
    path("board/pack.pdf", views.board_pack, name="board-pack"),
    path("annual-report/", views.annual_list, name="annual-list"),
    path("annual-report/new/", views.annual_create, name="annual-create"),
    path("annual-report/<int:pk>/", views.annual_preview, name="annual-preview"),
    path("annual-report/<int:pk>/change/", views.annual_edit, name="annual-edit"),
    path("annual-report/<int:pk>/approve/", views.annual_approve, name="annual-approve"),
    path("annual-report/<int:pk>/report.pdf", views.annual_pdf, name="annual-pdf"),
    path("annual-report/my-sections/", views.annual_my_sections, name="annual-my-sections"),
    path("annual-report/<int:pk>/sections/", views.annual_sections, name="annual-sections"),
    path(
        "annual-report/<int:pk>/sections/<slug:slug>/author/",
        views.annual_section_author,
        name="annual-section-author",
    ),
    path(
        "annual-report/<int:pk>/sections/<slug:slug>/",
        views.annual_section_edit,
        name="annual-section-edit",
    ),
    path(
        "annual-report/<int:pk>/sections/<slug:slug>/history/",
        views.annual_section_history,
        name="annual-section-history",
    ),
    path(
        "annual-report/<int:pk>/sections/<slug:slug>/history/<int:number>/restore/",
        views.annual_section_restore,
        name="annual-section-restore",
    ),
    path("annual-report/<int:pk>/generate/", views.annual_generate, name="annual-generate"),
    path("annual-report/runs/<int:run_pk>/", views.annual_run, name="annual-run"),
    path("annual-report/runs/<int:run_pk>/retry/", views.annual_run_retry, name="annual-run-retry"),
    path(
        "annual-report/runs/<int:run_pk>/report.pdf",
        views.annual_run_download,
        name="annual-run-download",
    ),
    path(
        "annual-report/<int:pk>/tables/<slug:name>.<slug:fmt>",
        views.annual_table,
        name="annual-table",
    ),
]

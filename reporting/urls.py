from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/", views.figures, name="figures"),
    path("board/", views.board, name="board"),
    path("board/pack.pdf", views.board_pack, name="board-pack"),
]

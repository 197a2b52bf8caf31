from django.urls import path

from activities import views

app_name = "activities"

# Included under g/<slug:slug>/: every view goes through groups.access.group_view.
urlpatterns = [
    path("activities/", views.activity_list, name="list"),
    path("activities/new/", views.activity_create, name="create"),
    path("activities/<int:pk>/", views.activity_detail, name="detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("activities/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="delete"),
    path("activities/series/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("activities/series/<int:pk>/end/", views.series_end, name="series_end"),
    path("board/", views.board, name="board"),
    path("board/add/", views.board_add, name="board_add"),
    path("board/<int:pk>/end/", views.board_end, name="board_end"),
]

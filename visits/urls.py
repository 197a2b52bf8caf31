from django.urls import path

from visits import views

app_name = "visits"

# Included under g/<slug:slug>/: every view goes through groups.access.group_view.
urlpatterns = [
    path("households/<int:pk>/visits/new/", views.visit_create, name="create"),
    path("households/<int:pk>/follow-ups/new/", views.follow_up_add, name="follow_up_add"),
    path("households/<int:pk>/signals/new/", views.signal_add, name="signal_add"),
    path("visits/", views.visit_list, name="list"),
    path("visits/<int:pk>/", views.visit_detail, name="detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="edit"),
    path("visits/<int:pk>/delete/", views.visit_delete, name="delete"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/mine/", views.follow_up_mine, name="follow_up_mine"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("signals/", views.signal_list, name="signal_list"),
    path("signals/<int:pk>/", views.signal_edit, name="signal_edit"),
]

from django.urls import path

from households import views

app_name = "households"

# Included under g/<slug:slug>/: every view goes through groups.access.group_view.
urlpatterns = [
    path("households/", views.household_list, name="list"),
    path("households/new/", views.household_create, name="create"),
    path("households/<int:pk>/", views.household_detail, name="detail"),
    path("households/<int:pk>/print/", views.household_print, name="print"),
    path("households/<int:pk>/edit/", views.household_edit, name="edit"),
    path("households/<int:pk>/close/", views.household_close, name="close"),
    path("households/<int:pk>/reopen/", views.household_reopen, name="reopen"),
    path("households/<int:pk>/persons/add/", views.person_add, name="person_add"),
    path("households/<int:pk>/persons/<int:person_pk>/", views.person_edit, name="person_edit"),
    path("households/<int:pk>/persons/<int:person_pk>/delete/", views.person_delete, name="person_delete"),
    path("households/<int:pk>/consent/", views.consent_add, name="consent_add"),
    path("access-log/", views.access_log, name="access_log"),
]

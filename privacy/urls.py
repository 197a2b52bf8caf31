from django.urls import path

from privacy import views

app_name = "privacy"

# Included under g/<slug:slug>/: every view goes through groups.access.group_view.
urlpatterns = [
    path("households/<int:pk>/erase/", views.household_erase, name="erase"),
    path("households/<int:pk>/postpone/", views.household_postpone, name="postpone"),
    path("households/<int:pk>/copy/", views.subject_access_copy, name="copy"),
    path("households/<int:pk>/copy/download/", views.subject_access_download, name="copy_download"),
]

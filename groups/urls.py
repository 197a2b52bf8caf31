from django.urls import path

from groups import views

app_name = "groups"

# Included under g/<slug:slug>/: every view here goes through groups.access.group_view.
urlpatterns = [
    path("members/", views.member_list, name="members"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/<int:pk>/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/mfa-reset/", views.member_mfa_reset, name="member_mfa_reset"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("members/<int:pk>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path("members/<int:pk>/activate/", views.member_activate, name="member_activate"),
]

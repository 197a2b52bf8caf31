from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.security, name="security"),
    path("logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
]

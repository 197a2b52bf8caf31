"""The request type of a view behind `login_required`."""

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """An HttpRequest that went through `login_required`: the user is logged in."""

    user: User

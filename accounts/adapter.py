from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people get an account when a coordinator invites them."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

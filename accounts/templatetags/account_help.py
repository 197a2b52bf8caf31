"""For allauth's pages, whose views we do not write: the user's standing (accounts.selectors)
and whether a second factor may be turned off, to give advice that fits the role."""

from typing import Any

from allauth.mfa.adapter import get_adapter
from django import template

from accounts import services
from accounts.selectors import AccountStanding, account_standing

register = template.Library()


@register.simple_tag(takes_context=True)
def standing_of_user(context: template.Context) -> AccountStanding | None:
    """`{% standing_of_user as standing %}`: the logged-in user's standing, None for nobody."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return account_standing(user)


@register.simple_tag(takes_context=True)
def must_set_up_mfa(context: template.Context) -> bool:
    """`{% must_set_up_mfa as forced %}`: the user must have a second factor and has none yet, so
    every page but the set-up leads back to it (accounts.middleware): a way back goes nowhere."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    status = services.mfa_status(user)
    return status.required and not status.has


@register.filter
def may_turn_off(authenticator: Any) -> bool:
    """`{% if authenticators.totp|may_turn_off %}`: the MFA adapter lets the user remove it
    (someone who must have MFA keeps their last second factor: accounts.adapter). Takes the
    Authenticator or allauth's wrapper of it, as the overview has."""
    if not authenticator:
        return False
    return bool(get_adapter().can_delete_authenticator(getattr(authenticator, "instance", authenticator)))

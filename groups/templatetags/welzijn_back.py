"""`{% back_url %}`: where a "Terug" link on a confirmation page leads."""

from urllib.parse import urlsplit

from django import template
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

register = template.Library()


@register.simple_tag(takes_context=True)
def back_url(context: template.Context, fallback: str = "home") -> str:
    """The page the user came from (the Referer), if it is on this site and not this page itself;
    else the URL named `fallback` (the start page). Only the path and query are used, and they are
    checked again on their own: a same-site Referer whose path is `//elders.example` or
    `/\\elders.example` (a link a browser reads as another host's) gives the fallback. A link
    never leads to another host."""
    request = context.get("request")
    if request is None:
        return reverse(fallback)

    def on_this_site(url: str) -> bool:
        return url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )

    referer = request.META.get("HTTP_REFERER", "")
    if referer and on_this_site(referer):
        parts = urlsplit(referer)
        back = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path.startswith("/") and parts.path != request.path and on_this_site(back):
            return back
    return reverse(fallback)

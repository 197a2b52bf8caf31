"""The group's navigation in `base_group.html`, shown on every page of a group.

`{% group_nav_items %}` writes the links' `<li>` items, in the order shown, the coordinators'
three last, the current page's marked `aria-current="page"`. Their addresses and labels depend
only on the group's slug, the role, the language, the script prefix and the URL conf, so each
process reverses and translates them once per combination instead of ten `{% url %}` and
`{% translate %}` tags on every page, and writes the items' markup once per combination and
current page instead of a template loop over the links on every page. The caches hold
addresses, menu labels and their markup, nothing of a family, and are keyed by the group's slug:
one group's links never appear for another (`tests/groups/test_group_nav.py`).
"""

from functools import lru_cache

from django import template
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from groups.templatetags.welzijn_site import current_urlconf

register = template.Library()

# (URL name, label, whether the link is current only on its own page or also on the pages under it)
LINKS = [
    ("reports:home", _("Start"), "exact"),
    ("households:list", _("Gezinnen"), "within"),
    ("visits:list", _("Contacten"), "within"),
    ("visits:follow_up_mine", _("Mijn actiepunten"), "exact"),
    ("visits:signal_list", _("Signalen"), "within"),
    ("activities:list", _("Activiteiten"), "within"),
]
CURRENT = ' aria-current="page"'
MANAGE_LINKS = [
    ("groups:members", _("Leden"), "within"),
    ("visits:follow_up_list", _("Actiepunten"), "exact"),
    ("households:access_log", _("Toegangslog"), "exact"),
]


@lru_cache(maxsize=2048)
def _links(
    slug: str, can_manage: bool, language: str | None, script_prefix: str, urlconf: str
) -> tuple[tuple[str, str, bool], ...]:
    """(URL, label, exact) of each link; `language`, `script_prefix` and `urlconf` are part of the
    key only: reverse() and the labels read them themselves."""
    chosen = LINKS + MANAGE_LINKS if can_manage else LINKS
    return tuple(
        (reverse(name, kwargs={"slug": slug}), str(label), match == "exact") for name, label, match in chosen
    )


@lru_cache(maxsize=4096)
def _items(links: tuple[tuple[str, str, bool], ...], current: tuple[bool, ...]) -> SafeString:
    """The `<li>` items of `links`, the ones flagged in `current` marked as the page shown, laid
    out as base_group.html's loop over them laid them out."""
    return mark_safe(  # noqa: S308 - the addresses and labels are escaped here
        "".join(
            f'\n      <li><a href="{conditional_escape(url)}"{CURRENT if marked else ""}>'
            f"{conditional_escape(label)}</a></li>\n      "
            for (url, label, _exact), marked in zip(links, current, strict=True)
        )
    )


@register.simple_tag(takes_context=True)
def group_nav_items(context: template.Context) -> SafeString:
    request: HttpRequest = context["request"]
    group, membership = request.group, request.membership  # type: ignore[attr-defined]
    path = request.path
    links = _links(group.slug, membership.can_manage, get_language(), get_script_prefix(), current_urlconf())
    return _items(links, tuple(path == url if exact else url in path for url, _label, exact in links))

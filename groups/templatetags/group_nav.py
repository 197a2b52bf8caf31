"""The group's navigation in `base_group.html`, shown on every page of a group.

`{% group_nav as links %}` gives the links as dicts `{"url", "label", "current"}`, in the order
shown, the coordinators' three last. Their addresses and labels depend only on the group's slug,
the role, the language, the script prefix and the URL conf, so each process reverses and
translates them once per combination instead of ten `{% url %}` and `{% translate %}` tags on
every page. The cache holds addresses and menu labels, nothing of a family, and is keyed by the
group's slug: one group's links never appear for another (`tests/groups/test_group_nav.py`).
"""

from functools import lru_cache

from django import template
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
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


@register.simple_tag(takes_context=True)
def group_nav(context: template.Context) -> list[dict]:
    request: HttpRequest = context["request"]
    group, membership = request.group, request.membership  # type: ignore[attr-defined]
    path = request.path
    return [
        {"url": url, "label": label, "current": path == url if exact else url in path}
        for url, label, exact in _links(
            group.slug, membership.can_manage, get_language(), get_script_prefix(), current_urlconf()
        )
    ]

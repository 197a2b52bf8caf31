"""What `base.html` shows on every page and is the same for every request of a process: the
site's own addresses and the languages to choose from, worked out once per script prefix or set
of languages instead of by `{% url %}`, `{% get_available_languages %}` and
`{% get_language_info %}` on every page, and the language menu's options written once per
current language instead of by a template loop. Nothing here depends on the user or a group.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language_info

register = template.Library()

# The name base.html uses for each address, and its URL name.
SITE_URLS = {
    "home": "home",
    "admin": "admin:index",
    "staff": "staff:national",
    "security": "accounts:security",
    "logout": "account_logout",
    "set_language": "set_language",
}


def current_urlconf() -> str:
    """The URL conf reverse() uses now: the request's own, else settings.ROOT_URLCONF."""
    return str(get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=16)
def _site_urls(script_prefix: str, urlconf: str) -> dict[str, str]:
    """`script_prefix` and `urlconf` are part of the key only: reverse() reads them itself."""
    return {key: reverse(name) for key, name in SITE_URLS.items()}


@register.simple_tag
def site_urls() -> dict[str, str]:
    """`{% site_urls as urls %}`: `urls.home`, `urls.security`, … (see SITE_URLS)."""
    return _site_urls(get_script_prefix(), current_urlconf())


@lru_cache(maxsize=16)
def _language_choices(codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(code, the language's name in itself) for each of `codes`: "Nederlands", "English"."""
    return tuple((code, capfirst(get_language_info(code)["name_local"])) for code in codes)


@lru_cache(maxsize=16)
def _language_options(codes: tuple[str, ...], current: str) -> SafeString:
    return mark_safe(  # noqa: S308 - the codes and names are escaped here
        "".join(
            f'\n          <option value="{conditional_escape(code)}" lang="{conditional_escape(code)}"'
            f"{' selected' if code == current else ''}>{conditional_escape(name)}</option>\n        "
            for code, name in _language_choices(codes)
        )
    )


@register.simple_tag
def language_options(current: str) -> SafeString:
    """`{% language_options LANGUAGE_CODE %}`: an `<option>` for each of settings.LANGUAGES, in
    that order, named in itself, the language `current` selected, laid out as base.html's loop
    over them laid them out."""
    return _language_options(tuple(code for code, _name in settings.LANGUAGES), current)

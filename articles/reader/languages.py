"""The same page in each language of the interface, for the switcher and hreflang."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix
from django.utils import translation


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool
    right_to_left: bool


def language_links(request) -> list[LanguageLink]:
    """This page's address in every language: its own, with the language's prefix in
    place of the current one (none for English) and the query it was served with (the
    page cache has already kept only the parameters the page reads). Plain links, so
    the switcher works without JavaScript and each language's page can be cached."""
    path = request.path_info
    current = translation.get_language_from_path(path)
    if current:
        path = path[len(current) + 1 :]
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    base = get_script_prefix().rstrip("/")
    active = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        links.append(
            LanguageLink(
                code=code,
                name=name,
                url=f"{base}{prefix}{path}{query}",
                current=code == active,
                right_to_left=code.split("-")[0] in settings.LANGUAGES_BIDI,
            )
        )
    return links

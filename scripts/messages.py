"""The interface's catalogues: `make messages` extracts every marked string, updates each
language's catalogue (locale/<locale>/LC_MESSAGES/django.po) and compiles it (django.mo).

Babel extracts rather than Django's makemessages, which reads templates as Django's own
and misses Jinja2's {% trans %} blocks; it compiles too, in Python, so no GNU gettext is
needed. The compiled catalogues are committed beside their sources: a clone serves every
language as it is, production included, without a build step or a dev dependency, and
tests/project/test_catalogues.py fails when one is out of step with its source."""

import copy
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
# The source language (its catalogue repeats each message) and the translations.
SOURCE = "en_GB"
LOCALES = (SOURCE, "ps", "fa_AF", "ur")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
# Where the marked strings are: the public templates, and the Python that writes what they
# show (the admin's own strings stay English and are not marked).
SOURCES = (
    (ROOT / "templates", [("**.html", "jinja2.ext:babel_extract")], {"trimmed": "true"}),
    (ROOT / "articles", [("migrations/**", "ignore"), ("**.py", "python")], {}),
    (ROOT / "newsarchive", [("**.py", "python")], {}),
)


def extracted() -> Catalog:
    """Every message marked in the sources, with where it is."""
    template = Catalog(project="newsarchive", charset="utf-8")
    for folder, method_map, options in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            folder,
            method_map,
            options_map={pattern: options for pattern, _method in method_map},
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        ):
            location = (str((folder / filename).relative_to(ROOT)), lineno)
            template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def po_path(locale: str) -> Path:
    return LOCALE / locale / "LC_MESSAGES" / "django.po"


def read(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, project="newsarchive", charset="utf-8")
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def update() -> None:
    template = extracted()
    for locale in LOCALES:
        catalog = read(locale)
        created = catalog.creation_date
        # A copy each: the update adopts the template's messages themselves, and the
        # source's catalogue writes its words into them.
        catalog.update(copy.deepcopy(template), update_header_comment=False)
        # Reruns change nothing but the messages: the header keeps its date, unflagged.
        catalog.creation_date, catalog.fuzzy = created, False
        catalog.obsolete.clear()
        if locale == SOURCE:
            for message in catalog:
                if message.id:
                    message.string = message.id
                    message.flags.discard("fuzzy")
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            write_po(file, catalog, width=100)
        with path.with_suffix(".mo").open("wb") as file:
            write_mo(file, catalog)


if __name__ == "__main__":
    update()

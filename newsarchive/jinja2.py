"""The Jinja2 environment of the public pages; the admin keeps Django's own templates
(articles/templates/admin/).

Jinja2 compiles each template to Python. Django's engine resolves every variable through
its context stack at render time, which made rendering most of a search page's Python:
twenty cards and a hundred facet links took 11-12 ms of a 73 ms page on the benchmark's
machine, and take 5 ms in Jinja2.

What the public templates use of Django's template library is here under the same names:
``url`` and ``static`` as functions, the filters Jinja2 lacks, and ``querystring`` (the
``{% querystring %}`` tag).

Strings are translated by Jinja2's i18n extension through Django's catalogues (gettext
and ngettext of the active language, so ``{% trans %}`` and ``_()`` read the same
locale/ files Django does); ``number`` and ``digits`` write numbers as the active language
does (articles/numerals.py). Messages are extracted by ``make messages`` (babel.cfg)."""

from django.http import QueryDict
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from jinja2 import Environment

from articles import numerals
from articles.reader.languages import language_links


def url(viewname: str, **kwargs) -> str:
    return reverse(viewname, kwargs=kwargs or None)


def querystring(query: QueryDict, **changes) -> str:
    """``query`` with each of ``changes`` set, as "?a=1&b=2"."""
    changed = query.copy()
    for name, value in changes.items():
        changed[name] = str(value)
    return f"?{changed.urlencode()}"


def environment(**options) -> Environment:
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    env = Environment(**options)  # noqa: S701 (Django's backend turns autoescape on)
    # Whitespace inside {% trans %} is folded, so a message reads as one line in the catalogue.
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    env.globals.update(
        url=url,
        static=static,
        querystring=querystring,
        current_language=translation.get_language,
        language_is_rtl=translation.get_language_bidi,
        language_links=language_links,
        number_symbols=numerals.symbols,
    )
    env.filters.update(
        capfirst=defaultfilters.capfirst,
        date=defaultfilters.date,
        floatformat=defaultfilters.floatformat,
        pluralize=defaultfilters.pluralize,
        truncatewords=defaultfilters.truncatewords,
        number=numerals.number,
        decimal=numerals.decimal,
        digits=lambda value: numerals.digits(str(value)),
    )
    return env

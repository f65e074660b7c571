"""The Jinja2 environment of the public pages; the admin keeps Django's own templates
(articles/templates/admin/).

Jinja2 compiles each template to Python. Django's engine resolves every variable through
its context stack at render time, which made rendering most of a search page's Python:
twenty cards and a hundred facet links took 11-12 ms of a 73 ms page on the benchmark's
machine, and take 5 ms in Jinja2.

What the public templates use of Django's template library is here under the same names:
``url`` and ``static`` as functions, the filters Jinja2 lacks, and ``querystring`` (the
``{% querystring %}`` tag)."""

from django.http import QueryDict
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment


def url(viewname: str, **kwargs) -> str:
    return reverse(viewname, kwargs=kwargs or None)


def querystring(query: QueryDict, **changes) -> str:
    """``query`` with each of ``changes`` set, as "?a=1&b=2"."""
    changed = query.copy()
    for name, value in changes.items():
        changed[name] = str(value)
    return f"?{changed.urlencode()}"


def environment(**options) -> Environment:
    env = Environment(**options)  # noqa: S701 (Django's backend turns autoescape on)
    env.globals.update(url=url, static=static, querystring=querystring)
    env.filters.update(
        capfirst=defaultfilters.capfirst,
        date=defaultfilters.date,
        floatformat=defaultfilters.floatformat,
        pluralize=defaultfilters.pluralize,
        truncatewords=defaultfilters.truncatewords,
    )
    return env

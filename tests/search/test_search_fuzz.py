"""Property tests: no input makes search fail, and search links say what they mean."""

import pytest
from django.http import QueryDict
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.search.criteria import Criteria
from articles.search.forms import SearchForm

SEARCH_URL = reverse("articles:search")
SUGGEST_URL = reverse("articles:search_suggest")

# Any text a URL can carry: every Unicode character but lone surrogates (which cannot be
# encoded), biased towards the characters search treats specially.
SPECIAL = st.sampled_from(
    ['"', "-", " OR ", "or", "'", "\\", "%", "_", "&", "|", "!", ":", "*", "(", ")", "<", ">",
     "\x00", "\n", "\u200c", "\u200f", "\u064a", "ـ", "\u0651", "ﷺ", "😀", "̈", "\ue000",
     "Hamid", "خوست", "Tehreek-e-Taliban", " ", "--", "'; DROP TABLE articles_article; --"]
)  # fmt: skip
TEXT = st.lists(st.one_of(st.text(st.characters(exclude_categories=["Cs"])), SPECIAL)).map("".join)
SLUG_OR_JUNK = st.one_of(st.from_regex(r"\A[a-z0-9-]{1,30}\Z"), TEXT)
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def client_with_seeds(client, seeded):
    return client


def expected_status(*values) -> int:
    """A NUL byte is refused before any view sees it (newsarchive/middleware.py), the same
    on every page; any other text is searched."""
    texts = [v for value in values for v in (value if isinstance(value, list) else [value])]
    return 400 if any("\x00" in text for text in texts if text) else 200


@FUZZ
@given(q=TEXT)
@example(q="x" * 5000)
@example(q="refug:* & !(x | y) <-> z")
@example(q="ـ")  # a word that the search's normalisation empties (a tatweel)
def test_the_admin_article_search_never_fails(seeded, editor_client, q):
    response = editor_client.get("/admin/articles/article/", {"q": q})
    assert response.status_code == expected_status(q)


@FUZZ
@given(
    q=TEXT,
    person=st.lists(SLUG_OR_JUNK, max_size=3),
    place=st.lists(SLUG_OR_JUNK, max_size=3),
    year=st.one_of(st.none(), st.integers(-10, 10**6).map(str), TEXT),
    source=st.one_of(st.none(), st.sampled_from(["DW", "Dawn"]), TEXT),
    page=st.one_of(st.none(), st.integers(-5, 10**20).map(str), TEXT),
)
@example(q="x" * 5000, person=[], place=[], year=None, source=None, page=None)
@example(
    q='"unbalanced', person=["faiz-hameed"], place=["khost"], year="2025", source="DW", page="2"
)
@example(q='- OR -- "" \'a', person=[], place=[], year="0x7e9", source="\x00", page="1e3")
def test_search_page_never_fails(client_with_seeds, q, person, place, year, source, page):
    params = QueryDict(mutable=True)
    params.setlist("q", [q])
    params.setlist("person", person)
    params.setlist("place", place)
    for name, value in (("year", year), ("source", source), ("page", page)):
        if value is not None:
            params[name] = value
    response = client_with_seeds.get(f"{SEARCH_URL}?{params.urlencode()}")
    assert response.status_code == expected_status(q, person, place, year, source, page)


@FUZZ
@given(q=TEXT)
@example(q="")
@example(q="x" * 5000)
@example(q="%_\\")
def test_suggest_never_fails(client_with_seeds, q):
    response = client_with_seeds.get(SUGGEST_URL, {"q": q})
    assert response.status_code == expected_status(q)
    if response.status_code == 400:
        return
    data = response.json()
    assert len(data["results"]) <= 8
    assert set(data) == {"query", "results"}


@settings(max_examples=200, deadline=None)
@given(
    text=TEXT,
    entities=st.lists(
        st.tuples(
            st.sampled_from(["person", "place", "event", "organisation"]),
            st.from_regex(r"\A[a-z0-9-]{1,20}\Z"),
        ),
        max_size=3,
        unique=True,
    ),
    year=st.one_of(st.none(), st.integers(1800, 2200)),
    source=st.one_of(st.just(""), TEXT),
)
def test_a_search_link_reads_back_as_the_same_search(text, entities, year, source):
    """Links built for facets, filters and pages parse back to what they were built from."""
    clean = SearchForm({"q": text, "source": source})
    clean.is_valid()
    criteria = Criteria(
        text=clean.cleaned_data["q"],
        entities=tuple(entities),
        year=year,
        source=clean.cleaned_data["source"],
    )
    query = criteria.url().partition("?")[2]
    assert SearchForm(QueryDict(query)).criteria() == criteria

"""The archive in the region's languages (issue 21): articles in Urdu, Pashto and Dari,
written for these tests with their English original (tests/support/languages/), are
tagged, found by their own words and by the names in them in any script, filtered and
faceted by language, shown once with their other languages beside them, and read right to
left."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, Entity
from articles.search.criteria import Criteria
from articles.search.results import search
from tests.conftest import SEEDS
from tests.support.factories import make_article

LANGUAGES = Path(__file__).resolve().parents[1] / "support" / "languages"
TRANSLATIONS = {
    "torkham-reopens-ur": "ur",
    "torkham-reopens-ps": "ps",
    "torkham-reopens-prs": "fa-AF",
}


@pytest.fixture
def story(db):
    """The gazetteer, the English original and its three translations, imported."""
    call_command("import_articles", str(SEEDS / "gazetteer"), str(LANGUAGES), verbosity=0)
    return Article.objects.get(slug="torkham-reopens")


def slugs(results) -> list[str]:
    return [article.slug for article in results.page.object_list]


def test_the_translations_are_imported_in_their_language_and_linked_to_their_original(story):
    for slug, language in TRANSLATIONS.items():
        article = Article.objects.get(slug=slug)
        assert (article.language, article.translation_of) == (language, story)
        assert article.is_right_to_left


@pytest.mark.parametrize("slug", [*TRANSLATIONS, "torkham-reopens"])
def test_each_version_is_tagged_with_the_people_and_places_it_names(story, slug):
    """The Urdu version spells Zabihullah Mujahid ذبیح اللہ مجاہد, with heh goal, where the
    gazetteer spells ذبیح الله مجاهد."""
    tags = set(Article.objects.get(slug=slug).mentions.values_list("entity__slug", flat=True))
    assert {"zabihullah-mujahid", "torkham", "kabul", "jalalabad"} <= tags


@pytest.mark.parametrize(
    ("words", "slug"),
    [
        ("تاجروں", "torkham-reopens-ur"),  # traders, in Urdu
        ("سوداګرو", "torkham-reopens-ps"),  # traders, in Pashto
        ("بازرگانان", "torkham-reopens-prs"),  # traders, in Dari
        # The Dari text's تصمیم typed with the Arabic yeh, and its ZWNJ typed as a space.
        ("تصميم", "torkham-reopens-prs"),
        ('"می شود"', "torkham-reopens-prs"),
        # The Urdu text's گزرگاہ (heh goal) typed with the Arabic heh.
        ("گزرگاه", "torkham-reopens-ur"),
    ],
)
def test_an_article_is_found_by_its_own_words_in_any_spelling_of_its_script(story, words, slug):
    assert slugs(search(Criteria(text=words))) == [slug]


@pytest.mark.parametrize(
    "name",
    ["Zabihullah Mujahid", "Zabihullah", "ذبیح الله مجاهد", "ذبیح اللہ مجاہد", "Torkham", "طورخم"],
)
@pytest.mark.parametrize("slug", TRANSLATIONS)
def test_a_translation_is_found_by_the_names_in_it_in_latin_or_arabic_script(story, name, slug):
    language = TRANSLATIONS[slug]
    assert slugs(search(Criteria(text=name, language=language))) == [slug]


def test_a_story_is_shown_once_with_its_other_languages_beside_it(story):
    results = search(Criteria(text="Zabihullah Mujahid"))
    assert slugs(results) == ["torkham-reopens"]
    (original,) = results.page.object_list
    assert [(v.slug, v.language, v.language_name) for v in original.versions] == [
        ("torkham-reopens-prs", "fa-AF", "دری"),
        ("torkham-reopens-ps", "ps", "پښتو"),
        ("torkham-reopens-ur", "ur", "اردو"),
    ]
    assert results.count == 1


def test_a_translation_is_shown_when_its_original_does_not_match(story):
    """Only the Urdu version says تاجروں: it is the result, with English beside it."""
    (article,) = search(Criteria(text="تاجروں")).page.object_list
    assert [v.language for v in article.versions] == ["en", "fa-AF", "ps"]


def test_the_language_facet_names_each_language_in_its_own_script(story):
    results = search(Criteria(text="طورخم"))
    # The Urdu and Dari-spelled Torkham is in the translations; the original is English.
    facet = next(facet for facet in results.facets if facet.name == "language")
    labels = {(value.label, value.lang, value.gloss) for value in facet.values}
    assert ("English", "en", "") in labels
    narrowed = search(Criteria(text="طورخم", language="ps"))
    assert slugs(narrowed) == ["torkham-reopens-ps"]
    assert [f.label for f in narrowed.active_filters] == ["Language: پښتو"]


def test_the_search_page_filters_by_language_read_in_any_case(client, story):
    page = client.get("/search/", {"q": "Torkham", "language": "FA-af"}).content.decode()
    titles = re.findall(r'<h2 class="card-title"><a href="([^"]+)"', page)
    assert titles == ["/articles/torkham-reopens-prs/"]
    assert 'lang="fa-AF" dir="rtl"' in page
    page = client.get("/search/", {"q": "Torkham", "language": "not a language"})
    assert "Ignored the language" in page.content.decode()


def test_the_api_filters_lists_and_searches_by_language(client, story):
    listed = client.get("/api/v1/articles", {"language": "prs"}).json()
    assert [item["slug"] for item in listed["items"]] == ["torkham-reopens-prs"]
    found = client.get("/api/v1/search", {"q": "Zabihullah", "language": "ur"}).json()
    assert [hit["slug"] for hit in found["results"]] == ["torkham-reopens-ur"]
    facet = next(facet for facet in found["facets"] if facet["name"] == "language")
    assert [value["label"] for value in facet["values"]] == ["اردو"]


def test_an_urdu_page_is_read_right_to_left_and_lists_its_other_languages(
    client, story, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        page = client.get("/articles/torkham-reopens-ur/").content.decode()
    assert re.search(r'<article class="article" lang="ur" dir="rtl">', page)
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/articles/torkham-reopens/">'
        in page
    )
    assert (
        '<link rel="alternate" hreflang="ur" href="http://testserver/articles/torkham-reopens-ur/">'
        in page
    )
    also = re.search(r'<p class="versions"[^>]*>Also in: (.*?)</p>', page).group(1)
    assert re.findall(r'hreflang="([^"]+)" lang="[^"]+"(?: dir="rtl")?[^>]*>([^<]+)<', also) == [
        ("en", "English"),
        ("fa-AF", "دری"),
        ("ps", "پښتو"),
    ]


def test_the_original_lists_its_translations_and_unpublished_ones_are_left_out(client, story):
    Article.objects.filter(slug="torkham-reopens-ps").update(status=Article.Status.DRAFT)
    page = client.get("/articles/torkham-reopens/").content.decode()
    assert "torkham-reopens-ur" in page and "torkham-reopens-prs" in page
    assert "torkham-reopens-ps" not in page


# How each language is indexed.


def vector_matches(slug: str, query: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector @@ %s::tsquery FROM articles_article WHERE slug = %s",
            [query, slug],
        )
        return cursor.fetchone()[0]


def test_english_is_indexed_by_stems_and_other_languages_word_for_word(db):
    make_article(slug="english", body="Refugees waited.", language="en")
    make_article(slug="urdu", body="Refugees پناہ گزین", language="ur")
    assert vector_matches("english", "refuge") and not vector_matches("english", "refugees")
    assert vector_matches("urdu", "refugees") and not vector_matches("urdu", "refuge")
    # Arabic script is folded before it is indexed: the Urdu heh goal is indexed as heh.
    assert vector_matches("urdu", "'پناه'")


def test_a_query_matches_each_article_as_it_was_indexed(db):
    make_article(slug="english", title="Refugees return", language="en")
    make_article(slug="urdu", title="Refugees پناہ گزین", language="ur")
    make_article(slug="dari", title="Refugee camps", language="fa-AF")
    assert sorted(slugs(search(Criteria(text="refugees")))) == ["english", "urdu"]
    # An exclusion excludes the word from every language's articles.
    assert slugs(search(Criteria(text="return -refugees"))) == []
    assert slugs(search(Criteria(text="camps -refugees"))) == ["dari"]


def test_a_changed_language_or_text_is_indexed_again_by_the_database(db):
    article = make_article(slug="moved", body="Refugees waited.", language="en")
    Article.objects.filter(pk=article.pk).update(language="ps")
    assert vector_matches("moved", "refugees")
    Article.objects.filter(pk=article.pk).update(search_vector=None)
    assert vector_matches("moved", "refugees")


def test_reindex_search_rewrites_only_the_vectors_indexed_otherwise(db):
    """As after migration 0024: the Urdu article still has the vector English indexing
    gave it, with unfolded letters; reindex_search rewrites it, and nothing else."""
    urdu = make_article(slug="urdu", body="ذبیح اللہ مجاہد refugees", language="ur")
    make_article(slug="english", body="Refugees", language="en")
    with connection.cursor() as cursor:
        # As a replica applies rows: no trigger fires.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE articles_article SET search_vector = to_tsvector('newsarchive', body)"
            " WHERE id = %s",
            [urdu.pk],
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    assert not vector_matches("urdu", "'مجاهد' & 'refugees'")
    output = call_command_output("reindex_search", "--batch-size", "1")
    assert "Read 2 articles: rewrote the search vectors of 1." in output
    assert vector_matches("urdu", "'مجاهد' & 'refugees'")
    assert "rewrote the search vectors of 0" in call_command_output("reindex_search")


def call_command_output(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# Importing translations.


def test_a_file_naming_no_article_or_a_translation_as_its_original_is_refused(
    story, tmp_path, capsys
):
    for name, original in [("lost.md", "no-such-article"), ("chain.md", "torkham-reopens-ur")]:
        (tmp_path / name).write_text(
            f"---\ntitle: T\nlanguage: ur\ntranslation_of: {original}\n---\nمتن\n",
            encoding="utf-8",
        )
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path), verbosity=0)
    reasons = capsys.readouterr().err
    assert "lost.md: translation_of names no article: no-such-article" in reasons
    assert "chain.md: translation_of names a translation: torkham-reopens-ur" in reasons
    assert not Article.objects.filter(title="T").exists()


def test_a_file_that_does_not_say_its_language_is_read_by_its_script(db, tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ntitle: طورخم\n---\nجلال آباد کے تاجروں نے فیصلے کا خیر مقدم کیا۔\n", encoding="utf-8"
    )
    (tmp_path / "b.md").write_text("---\ntitle: Torkham\n---\nTraders.\n", encoding="utf-8")
    call_command("import_articles", str(tmp_path), verbosity=0)
    urdu, english = Article.objects.get(title="طورخم"), Article.objects.get(title="Torkham")
    assert (urdu.language, urdu.inferred_fields) == ("ur", ["language"])
    assert (english.language, english.inferred_fields) == ("en", [])


def test_an_entity_named_in_every_script_finds_every_version(story):
    zabihullah = Entity.objects.get(slug="zabihullah-mujahid")
    assert zabihullah.mentions.filter(article__slug__startswith="torkham-reopens").count() == 4


def test_the_language_facet_offers_the_translations_listed_beside_their_original(story):
    """The original stands for its story in the results; the facet still counts each
    language the words are found in, and choosing one shows that version."""
    results = search(Criteria(text="Torkham"))
    assert slugs(results) == ["torkham-reopens"]
    facet = next(facet for facet in results.facets if facet.name == "language")
    assert {(value.lang, value.count) for value in facet.values} == {
        ("en", 1),
        ("ur", 1),
        ("ps", 1),
        ("fa-AF", 1),
    }
    assert slugs(search(Criteria(text="Torkham", language="ur"))) == ["torkham-reopens-ur"]


def test_a_passage_is_marked_in_the_articles_own_letters(story):
    """The index folds the Urdu heh goal (گزرگاہ is indexed گزرگاه); a word typed as the
    article spells it is marked in the passage as written."""
    (article,) = search(Criteria(text="گزرگاہ")).page.object_list
    assert "<mark>گزرگاہ</mark>" in article.snippet

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import kinds
from articles.models import Article, Entity, Mention
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db


def card_titles(page: str) -> list[str]:
    """The titles of a page's article cards, in order."""
    return re.findall(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>', page)


def test_home_lists_the_seed_with_its_metadata_and_main_tags(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert seeded.title.replace("'", "&#39;") in html
    assert seeded.get_absolute_url() in html
    assert "late November 2025" in html
    assert ">DW<" in html
    assert "Afghans cheered the Taliban" in html
    assert 'href="/places/pakistan/"' in html
    assert 'href="/people/' in html


def test_home_lists_newest_first_twenty_a_page(client):
    for days_ago in range(25):
        make_article(title=f"Story {days_ago} days old", days_ago=days_ago)
    first = card_titles(client.get("/").text)
    assert first[:2] == ["Story 0 days old", "Story 1 days old"]
    assert len(first) == 20
    second = card_titles(client.get("/?page=2").text)
    assert second[-1] == "Story 24 days old"
    assert len(second) == 5
    assert client.get("/?page=99").status_code == 404
    assert client.get("/?page=abc").status_code == 404


def test_article_page_shows_the_whole_article(client, seeded):
    response = client.get(seeded.get_absolute_url())
    assert response.status_code == 200
    html = response.text
    assert "<h1>Border clashes with Pakistan" in html
    assert "By <bdi>dzc/rr</bdi>" in html
    assert '<time datetime="2025-11-30">late November 2025</time>' in html
    assert "min read" in html
    assert ">Change in perception?</h2>" in html
    assert "The archive inferred this article" in html
    assert f"{seeded.reading_minutes} min read" in html


def test_article_page_links_its_entities_grouped_by_kind(client, seeded):
    html = client.get(seeded.get_absolute_url()).text
    aside = html[html.index('id="mentions-heading"') :]
    for heading in ("People", "Places", "Events", "Organisations"):
        assert f"<h3>{heading}</h3>" in aside
    assert 'href="/people/faiz-hameed/">Faiz Hameed</a>' in aside
    assert 'href="/events/doha-ceasefire-2025/"' in aside
    assert 'href="/organisations/tehrik-i-taliban-pakistan/"' in aside
    assert aside.index("<h3>People</h3>") < aside.index("<h3>Places</h3>")


def test_person_page_shows_facts_and_articles(client, seeded):
    html = client.get("/people/faiz-hameed/").text
    assert "<h1>Faiz Hameed</h1>" in html
    assert "Faiz Hamid" in html
    assert "Inter-Services Intelligence" in html
    assert seeded.get_absolute_url() in html
    assert "Often mentioned alongside" in html


def test_place_page_shows_coordinates_and_country(client, seeded):
    khost = Entity.objects.get(kind="place", slug="khost")
    html = client.get("/places/khost/").text
    assert f"{khost.latitude:.4f}, {khost.longitude:.4f}" in html
    assert "<dd>Afghanistan</dd>" in html
    assert "خوست" in html


def test_event_page_shows_date_places_and_participants(client, seeded):
    html = client.get("/events/doha-ceasefire-2025/").text
    assert '<time datetime="2025-10-19">19 October 2025</time>' in html
    assert 'href="/places/doha/">Doha</a>' in html
    assert "<dt>Participants</dt>" in html
    assert seeded.get_absolute_url() in html


def test_entity_page_lists_articles_newest_first_and_co_mentions(client):
    khost = make_entity(Entity.Kind.PLACE, "Khost")
    ttp = make_entity(Entity.Kind.ORGANISATION, "TTP")
    sadat = make_entity(Entity.Kind.PERSON, "Sadat")
    make_article(title="Older", days_ago=5, tags=[khost, ttp])
    make_article(title="Newer", days_ago=1, tags=[khost, ttp, sadat])
    make_article(title="Unrelated", tags=[sadat])
    page = client.get(khost.get_absolute_url()).text
    assert card_titles(page) == ["Newer", "Older"]
    alongside = page.partition('id="alongside-heading"')[2]
    shared = re.findall(r'href="([^"]+)">[^<]+</a> <span class="count">(\d+)<', alongside)
    assert shared == [(ttp.get_absolute_url(), "2"), (sadat.get_absolute_url(), "1")]


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/people/", Entity.Kind.PERSON),
        ("/places/", Entity.Kind.PLACE),
        ("/events/", Entity.Kind.EVENT),
        ("/organisations/", Entity.Kind.ORGANISATION),
    ],
)
def test_entity_lists_show_every_entity_of_the_kind_with_counts(client, seeded, url, kind):
    response = client.get(url)
    assert f"<h1>{kinds.BY_VALUE[kind].plural}</h1>" in response.text
    listed = response.text.partition('<ul class="entity-list">')[2].partition("</ul>")[0]
    assert listed.count("<li>") == Entity.objects.filter(kind=kind).count()


def test_entity_list_counts_published_articles_only(client):
    kabul = make_entity(Entity.Kind.PLACE, "Kabul")
    make_article(tags=[kabul])
    make_article(tags=[kabul], status=Article.Status.DRAFT)
    assert re.findall(r'<span class="count">([^<]+)</span>', client.get("/places/").text) == [
        "1 article"
    ]


def test_entity_urls_respect_the_kind(client, seeded):
    assert client.get("/places/faiz-hameed/").status_code == 404
    assert client.get("/people/no-such-person/").status_code == 404


def test_drafts_are_hidden_everywhere(client):
    place = make_entity(Entity.Kind.PLACE, "Torkham")
    draft = make_article(title="Secret draft", status=Article.Status.DRAFT, tags=[place])
    draft.published_at = None
    draft.save()
    assert "Secret draft" not in client.get("/").text
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Secret draft" not in client.get(place.get_absolute_url()).text
    assert "0 articles" in client.get("/places/").text


def test_scheduled_articles_appear_only_from_their_date(client):
    future = make_article(
        title="Scheduled story", published_at=timezone.now() + datetime.timedelta(hours=2)
    )
    assert "Scheduled story" not in client.get("/").text
    assert client.get(future.get_absolute_url()).status_code == 404
    future.published_at = timezone.now() - datetime.timedelta(minutes=1)
    future.save()
    assert "Scheduled story" in client.get("/").text


def test_editor_html_in_titles_and_bodies_is_escaped_or_sanitised(client):
    person = make_entity(name="<img src=x onerror=alert(1)>")
    article = make_article(
        title="<script>alert('t')</script>",
        standfirst="<b>bold?</b>",
        body='Hello <script>alert(1)</script> [x](javascript:alert(2)) <a onclick="y()">a</a>',
        tags=[person],
    )
    for url in ("/", article.get_absolute_url(), person.get_absolute_url(), "/people/"):
        html = client.get(url).text
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "javascript:alert" not in html
        assert "onclick" not in html


def test_pages_send_a_strict_content_security_policy(client, seeded):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert client.get("/").headers["X-Content-Type-Options"] == "nosniff"


def tagged_corpus(articles, tags_each):
    people = [make_entity(Entity.Kind.PERSON) for _ in range(tags_each)]
    places = [make_entity(Entity.Kind.PLACE) for _ in range(tags_each)]
    events = [make_entity(Entity.Kind.EVENT, start_date=datetime.date(2025, 10, 19))]
    events[0].places.set(places)
    events[0].participants.set(people)
    for _ in range(articles):
        make_article(tags=people + places + events)
    return people[0], places[0], events[0]


PAGES = [
    lambda person, place, event: "/",
    lambda person, place, event: Article.objects.first().get_absolute_url(),
    lambda person, place, event: person.get_absolute_url(),
    lambda person, place, event: place.get_absolute_url(),
    lambda person, place, event: event.get_absolute_url(),
    lambda person, place, event: "/people/",
    lambda person, place, event: "/places/",
]


@pytest.mark.parametrize("page", range(len(PAGES)))
@pytest.mark.parametrize(("articles", "tags_each"), [(2, 1), (30, 6)])
def test_pages_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, page, articles, tags_each
):
    entities = tagged_corpus(articles, tags_each)
    url = PAGES[page](*entities)
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_reverse_names_for_every_page():
    assert reverse("articles:article_list") == "/"
    assert reverse("articles:organisation_detail", kwargs={"slug": "dw"}) == "/organisations/dw/"


def test_a_card_names_its_three_most_mentioned_people_and_places(client, db):
    people = [make_entity(name=f"Person {n}") for n in range(5)]
    places = [make_entity(kind=Entity.Kind.PLACE, name=f"Place {n}") for n in range(2)]
    article = make_article(title="Talks")
    Mention.objects.bulk_create(
        Mention(article=article, entity=entity, count=count)
        for entity, count in [
            *zip(people, [1, 5, 2, 9, 0], strict=True),
            *zip(places, [3, 4], strict=True),
        ]
    )
    card = client.get("/").content.decode().split('class="tags"')[1].split("</ul>")[0]
    assert re.findall(r'class="tag tag-person"[^>]*>([^<]+)<', card) == [
        "Person 3",
        "Person 1",
        "Person 2",
    ]
    assert re.findall(r'class="tag tag-place"[^>]*>([^<]+)<', card) == ["Place 1", "Place 0"]

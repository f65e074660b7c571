"""The conflict at a glance: the timeline, the map and who said what, on the seed and on
made-up data; their SQL query counts, and their cache."""

import datetime
import re

import pytest

from articles.models import Article, Entity, Quotation
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db

BASIR = "By harboring the TTP"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_navigation_links_the_timeline_and_the_map(client, db):
    html = client.get("/").text
    assert 'href="/timeline/">Timeline</a>' in html
    assert 'href="/map/">Map</a>' in html


def test_the_timeline_lists_the_seeds_events_in_order_with_their_precision(client, seeded):
    html = client.get("/timeline/").text
    names = re.findall(r'<p class="timeline-name"><a href="/events/[^"]+/">([^<]+)</a>', html)
    assert len(names) == Entity.objects.filter(kind="event").count() == 12
    assert names[0] == "2014 Peshawar school massacre"
    assert names[-1] == "Late November 2025 Afghanistan–Pakistan border clashes"
    text = text_of(html)
    assert "late November 2025 (day unknown)" in text
    assert "25 October – November 2025" in text
    assert "11–12 October 2025" in text
    assert '<time datetime="2025-11">late November 2025</time>' in html
    assert re.search(r"<h2[^>]*>2025</h2>.*<h3[^>]*>October 2025</h3>", html, re.S)
    # Each event with its places, participants and articles.
    assert re.search(r"Fall of Kabul</a>.*?In <a href=\"/places/afghanistan/\"", html, re.S)
    assert "1 article<" in html


def test_events_without_an_exact_day_sort_where_their_precision_puts_them(client, db):
    for name, day, precision in [
        ("Exact 25th", datetime.date(2025, 11, 25), "day"),
        ("Late in the month", datetime.date(2025, 11, 30), "late_month"),
        ("Some time that month", datetime.date(2025, 11, 1), "month"),
        ("Exact 5th", datetime.date(2025, 11, 5), "day"),
        ("Exact 1st", datetime.date(2025, 11, 1), "day"),
        ("Mid-month", datetime.date(2025, 11, 15), "mid_month"),
        ("That year", datetime.date(2025, 1, 1), "year"),
        ("No date at all", None, "day"),
    ]:
        make_entity(Entity.Kind.EVENT, name, start_date=day, start_precision=precision)
    html = client.get("/timeline/").text
    names = re.findall(r'<p class="timeline-name"><a [^>]+>([^<]+)</a>', html)
    assert names == [
        "That year",
        "Exact 1st",
        "Some time that month",
        "Exact 5th",
        "Mid-month",
        "Late in the month",
        "Exact 25th",
        "No date at all",
    ]
    text = text_of(html)
    assert "2025, month unknown" in text and "2025 (month unknown)" in text
    assert "mid-November 2025 (day unknown)" in text
    assert "Date unknown" in text


def test_the_timeline_filters_by_place_participant_and_year_as_links(client, seeded):
    html = client.get("/timeline/?place=kabul").text
    names = re.findall(r'<p class="timeline-name"><a [^>]+>([^<]+)</a>', html)
    assert names == ["Fall of Kabul", "October 2025 Pakistani strikes on Kabul"]
    assert "Places: Kabul" in html and 'href="/timeline/"' in html  # removable
    html = client.get("/timeline/?organisation=taliban&year=2025").text
    names = re.findall(r'<p class="timeline-name"><a [^>]+>([^<]+)</a>', html)
    assert "Fall of Kabul" not in names and len(names) == 5
    assert 'href="/timeline/?organisation=taliban&amp;year=2021"' in html  # other years
    html = client.get("/timeline/?person=ashraf-ghani").text
    assert re.findall(r'<p class="timeline-name"><a [^>]+>([^<]+)</a>', html) == ["Fall of Kabul"]


@pytest.mark.parametrize(
    ("query", "notice"),
    [("year=abc", "is not a year"), ("place=%3Cb%3E", "names no place"), ("year=99999", "year")],
)
def test_a_bad_timeline_filter_is_left_out_with_a_notice(client, seeded, query, notice):
    response = client.get(f"/timeline/?{query}")
    assert response.status_code == 200
    assert notice in response.text
    assert "12 events" in response.text


def test_entity_pages_show_their_events(client, seeded):
    html = client.get("/places/kabul/").text
    assert 'id="events-heading">Events <span class="count">(2)</span>' in html
    assert 'href="/timeline/?place=kabul"' in html
    html = client.get("/organisations/taliban/").text
    assert "Late November 2025 Afghanistan–Pakistan border clashes" in html
    assert "All 8 events on the timeline" in html
    assert "events-heading" not in client.get("/people/abbas-basir/").text


def test_a_persons_page_shows_their_words_linked_to_the_passage(client, seeded):
    html = client.get("/people/abbas-basir/").text
    assert "In their words" in html
    quotation = Quotation.objects.get(person__slug="abbas-basir")
    assert BASIR in html
    link = (
        f"{seeded.get_absolute_url()}#quotation-{quotation.pk}:~:text=By%20harboring%20the%20TTP%2C"
    )
    assert link in html
    assert "In their words" not in client.get("/people/faiz-hameed/").text


def test_the_article_page_shows_who_said_what_beside_the_text(client, seeded):
    html = client.get(seeded.get_absolute_url()).text
    aside = html.split('class="quotations"')[1].split("</aside>")[0]
    quotations = Quotation.objects.filter(article=seeded).order_by("position")
    assert re.findall(r'id="quotation-(\d+)"', aside) == [str(q.pk) for q in quotations]
    assert re.findall(r'href="/people/([^"]+)/"', aside) == [
        "bismillah-taban",
        "mujib-rahman-rahimi",
        "abbas-basir",
    ]


def test_drafts_lend_no_quotations_or_counts(client, db):
    person = make_entity(name="Ada Speaker")
    place = make_entity(Entity.Kind.PLACE, "Draftville", latitude=33.0, longitude=69.0)
    draft = make_article(status=Article.Status.DRAFT, published_at=None, tags=[person, place])
    Quotation.objects.create(article=draft, person=person, passage="Words from a draft text")
    assert "Words from a draft" not in client.get(person.get_absolute_url()).text
    html = client.get("/map/").text
    assert 'aria-label="Draftville: 0 articles"' in html


def test_the_map_marks_every_place_sized_by_its_articles(client, seeded):
    html = client.get("/map/").text
    svg = html.split("<svg")[1].split("</svg>")[0]
    assert '<path class="durand-line"' in svg and ">Durand Line</text>" in svg
    assert 'class="country country-focus"' in svg  # Afghanistan and Pakistan
    markers = re.findall(r'<a href="/places/([^"]+)/" aria-label="([^"]+)">', svg)
    places = Entity.objects.filter(kind="place", latitude__isnull=False)
    beyond = {"doha", "qatar", "istanbul", "turkiye", "saudi-arabia", "riyadh"}
    assert {slug for slug, _ in markers} == {p.slug for p in places} - beyond
    assert ("kabul", "Kabul: 1 article") in markers
    radius = dict(re.findall(r'href="/places/([^"]+)/".*?<circle[^>]* r="([\d.]+)"', svg, re.S))
    assert float(radius["kabul"]) > float(radius["kandahar"])  # 1 article against none
    # The accessible alternative: every place in a table, with its count and coordinates.
    table = html.split('<table class="places-table">')[1]
    assert len(re.findall(r'<th scope="row">', table)) == places.count()
    assert "34.5553" in table and "69.2075" in table
    assert "Beyond this map" in html and 'href="/places/doha/"' in html
    # Nothing is fetched from elsewhere.
    assert not re.search(r'src="(?:https?:)?//', html)
    assert "//" not in svg


def test_the_map_page_is_light(client, seeded):
    response = client.get("/map/")
    assert len(response.content) < 60_000


def test_a_place_page_has_a_small_map_of_its_surroundings(client, seeded):
    html = client.get("/places/khost/").text
    assert 'class="map map-small"' in html
    assert re.search(r'<a href="/places/khost/" aria-label="Khost: 1 article">', html)
    assert '<path class="durand-line"' in html
    unplaced = make_entity(Entity.Kind.PLACE, "Nowhere")
    assert "map-small" not in client.get(unplaced.get_absolute_url()).text


def glance_corpus(articles: int, each: int):
    people = [make_entity(name=f"Speaker {n}") for n in range(each)]
    places = [
        make_entity(Entity.Kind.PLACE, latitude=30 + n / 10, longitude=66 + n / 10)
        for n in range(each)
    ]
    for n in range(each * 2):
        event = make_entity(
            Entity.Kind.EVENT,
            start_date=datetime.date(2024 + n % 2, 1 + n % 12, 1 + n),
            start_precision=["day", "late_month", "month"][n % 3],
        )
        event.places.set(places)
        event.participants.set(people)
    for n in range(articles):
        article = make_article(tags=people + places)
        Quotation.objects.bulk_create(
            Quotation(article=article, person=person, passage=f"Words {n} of {person.pk}")
            for person in people
        )
    return people[0], places[0], Article.objects.first()


PAGES = [
    lambda person, place, article: "/timeline/",
    lambda person, place, article: f"/timeline/?place={place.slug}&year=2024",
    lambda person, place, article: "/map/",
    lambda person, place, article: person.get_absolute_url(),
    lambda person, place, article: place.get_absolute_url(),
    lambda person, place, article: article.get_absolute_url(),
]


@pytest.mark.parametrize("page", range(len(PAGES)))
@pytest.mark.parametrize(("articles", "each"), [(2, 1), (25, 6)])
def test_the_glance_pages_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, page, articles, each
):
    url = PAGES[page](*glance_corpus(articles, each))
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("path", ["/timeline/", "/map/", "/people/abbas-basir/"])
def test_the_glance_pages_are_cached(client, seeded, django_assert_num_queries, path):
    client.get(path)
    with django_assert_num_queries(1):  # the archive's state, read again: nothing else
        assert client.get(path).status_code == 200


def test_a_corrected_quotation_shows_at_once(client, seeded, settings):
    settings.ARCHIVE_STATE_SECONDS = 0
    assert BASIR in client.get("/people/abbas-basir/").text
    Quotation.objects.filter(person__slug="abbas-basir").update(passage="A corrected passage")
    html = client.get("/people/abbas-basir/").text
    assert "A corrected passage" in html and BASIR not in html

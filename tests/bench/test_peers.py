"""The search engines the bench measures ours against (bench/peers.py), each built over a
handful of articles: which articles they find, in which order, and how many."""

import pytest

from articles.models import Entity
from bench.peers import Fts5, PeerQuery, Tantivy, published_sources
from tests.support.factories import make_article

FILLER = "Officials met in the capital to discuss trade, transit and the border crossings. "


@pytest.fixture
def corpus(db):
    khost = Entity.objects.create(kind=Entity.Kind.PLACE, name="Khost", slug="khost")
    waziristan = Entity.objects.create(
        kind=Entity.Kind.PLACE, name="North Waziristan", slug="north-waziristan"
    )
    articles = {
        "old headline": make_article(
            title="Refugees return across the Torkham crossing",
            body=FILLER * 3,
            days_ago=3_000,
        ),
        "phrase": make_article(
            title="Aid agencies warn",
            body=f"{FILLER}The humanitarian situation in the camps is grave. {FILLER}",
            days_ago=20,
        ),
        "scattered": make_article(
            title="A report",
            body=f"The situation at the border. {FILLER * 2} A humanitarian convoy waited.",
            days_ago=10,
        ),
        "attack in Khost": make_article(
            title="Overnight raid", body=f"An attack on a checkpoint. {FILLER}", tags=[khost]
        ),
        "attack elsewhere": make_article(title="Another raid", body=f"An attack. {FILLER}"),
        "attack in Waziristan": make_article(
            title="Convoy hit", body=f"The attack came at dawn. {FILLER}", tags=[waziristan]
        ),
        "diacritics": make_article(title="Türkiye offers talks", body=FILLER),
    }
    for number in range(3):
        articles[f"body {number}"] = make_article(
            title=f"Trade talks, round {number}",
            body=f"{FILLER * 2}Some refugees were seen there. {FILLER}",
            days_ago=number + 1,
        )
    make_article(title="Refugees: a draft", body="refugees", status="draft")
    make_article(title="Refugees: scheduled", body="refugees", days_ago=-5)
    return articles


@pytest.fixture(params=[Fts5, Tantivy], ids=["fts5", "tantivy"])
def peer(request, tmp_path, corpus):
    peer = request.param(tmp_path)
    peer.build(published_sources())
    yield peer
    peer.close()


def search(peer, **params):
    return peer.search(PeerQuery.from_params(params))


def test_builds_over_the_published_articles_only(peer, corpus):
    built = peer.built
    assert built.articles == len(corpus)
    assert built.seconds > 0
    assert 0 < built.stored_bytes < built.total_bytes
    assert built.index_bytes > 0
    assert built.detail


def test_ranks_an_old_headline_above_newer_mentions_in_the_body(peer, corpus):
    answer = search(peer, q="refugees")
    assert answer.count == 4  # not the draft, not the scheduled article
    assert answer.hits[0].id == corpus["old headline"].id
    assert {hit.id for hit in answer.hits} == {
        corpus[name].id for name in ("old headline", "body 0", "body 1", "body 2")
    }
    body_hit = next(hit for hit in answer.hits if hit.id == corpus["body 0"].id)
    assert "<b>refugees</b>" in body_hit.passage
    assert body_hit.title == "Trade talks, round 0"


def test_a_phrase_needs_its_words_together_and_in_order(peer, corpus):
    answer = search(peer, q='"humanitarian situation"')
    assert [hit.id for hit in answer.hits] == [corpus["phrase"].id]
    assert answer.count == 1
    assert search(peer, q="humanitarian situation").count == 2


def test_the_place_filter_keeps_the_articles_tagged_with_it(peer, corpus):
    assert search(peer, q="attack").count == 3
    answer = search(peer, q="attack", place="khost")
    assert (answer.count, [hit.id for hit in answer.hits]) == (1, [corpus["attack in Khost"].id])
    answer = search(peer, q="attack", place="north-waziristan")
    assert [hit.id for hit in answer.hits] == [corpus["attack in Waziristan"].id]
    # The place names a filter, not words of the text.
    assert search(peer, q="Khost").count == 0


def test_words_are_stemmed_and_diacritics_folded(peer, corpus):
    assert search(peer, q="refugee").count == 4
    assert [hit.id for hit in search(peer, q="Turkiye").hits] == [corpus["diacritics"].id]


@pytest.mark.parametrize(
    ("word", "count"),
    [("AND", 4), ("NEAR", 0), ("title:x", 0), ("places:khost", 0), ("(", 4), ("*", 4)],
)
def test_operators_of_the_peers_query_languages_are_words(peer, word, count):
    """Words of their query languages are words to search for (FILLER has "and"), and
    punctuation is nothing to search for."""
    assert search(peer, q=f'"{word}" refugees').count == count


def test_a_query_is_words_and_phrases():
    assert PeerQuery.from_params({"q": 'attack "humanitarian  situation" now'}) == PeerQuery(
        ("attack", "humanitarian situation", "now")
    )
    assert PeerQuery.from_params({"q": "attack", "place": "khost"}).place == "khost"


@pytest.mark.parametrize(
    "params",
    [{"q": "a OR b"}, {"q": "a -b"}, {"q": " "}, {"q": '""'}, {"q": "a", "year": "2024"}],
)
def test_what_the_peers_cannot_ask_is_refused(params):
    with pytest.raises(ValueError, match="peer"):
        PeerQuery.from_params(params)


def test_only_the_search_pages_rows_are_asked_of_the_peers():
    """The API's search rows take search targets but parameters the peers do not read."""
    from bench.figures import Page
    from bench.run import peer_calls

    api = Page("API: articles", "/api/v1/articles", search=True)
    search = Page("search: name", "/search/?q=Muttaqi", search=True, params={"q": "Muttaqi"})
    assert peer_calls(api, ["a peer"]) == []
    assert len(peer_calls(search, ["a peer", "another"])) == 2

"""Re-tagging: when the gazetteer changes, the articles that name the changed names are read
again by the tagger, and only those."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.db.state import write_state
from articles.editorial.merging import merge_entities
from articles.editorial.services import save_article
from articles.importing import retagging
from articles.importing.retagging import articles_spelling, retag_pending
from articles.models import (
    Alias,
    Article,
    Entity,
    EntityTally,
    GazetteerChange,
    Mention,
    RemovedTag,
)
from tests.support.admin_forms import user_in
from tests.support.gazetteer_growth import (
    NAMING_RAWALPINDI,
    URDU_NAMING_RAWALPINDI,
    import_articles,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(seeded, tmp_path):
    imported = import_articles(tmp_path / "articles")
    GazetteerChange.objects.all().delete()  # the seed gazetteer's names, already read
    return imported


def add_rawalpindi(**fields) -> Entity:
    return Entity.objects.create(kind="place", name="Rawalpindi", slug="rawalpindi", **fields)


def tagged_with(entity) -> set[str]:
    return set(
        Article.objects.filter(mentions__entity=entity).values_list("source_file", flat=True)
    )


def counts_of(entity) -> dict[str, int]:
    return dict(Mention.objects.filter(entity=entity).values_list("article__source_file", "count"))


def recounted_tallies() -> dict[int, int]:
    """Each entity's published articles, counted one by one."""
    counts = {}
    for entity_id in Entity.objects.values_list("pk", flat=True):
        counts[entity_id] = Mention.objects.filter(
            entity_id=entity_id, article__status="published"
        ).count()
    return counts


def kept_tallies() -> dict[int, int]:
    kept = dict(EntityTally.objects.values_list("entity_id", "published"))
    return {pk: kept.get(pk, 0) for pk in Entity.objects.values_list("pk", flat=True)}


def test_adding_rawalpindi_as_a_place_tags_the_articles_naming_it_and_only_reads_those(
    articles,
):
    rawalpindi = add_rawalpindi()
    assert articles_spelling(["Rawalpindi"]) == sorted(
        articles[name].pk for name in NAMING_RAWALPINDI
    )
    report = retag_pending()
    assert tagged_with(rawalpindi) == set(NAMING_RAWALPINDI)
    assert counts_of(rawalpindi) == {"garrison.md": 3, "protest.md": 1, "traders.md": 1}
    assert Mention.objects.filter(entity=rawalpindi).exclude(origin="text").count() == 0
    assert (report.read, report.changed, report.articles_tagged) == (3, 3, 3)
    assert "3 tags added (Rawalpindi 3)" in str(report)
    assert not GazetteerChange.objects.exists()
    # The tally counts the two published articles, the draft not.
    assert EntityTally.objects.get(entity=rawalpindi).published == 2
    assert kept_tallies() == recounted_tallies()


def test_each_retagged_article_gets_a_revision_and_a_new_version(articles):
    garrison = articles["garrison.md"]
    version = garrison.version
    add_rawalpindi()
    retag_pending(author=user_in("Editors"))
    garrison.refresh_from_db()
    revision = garrison.revisions.get(number=garrison.version)
    assert garrison.version == version + 1
    assert revision.comment == "Re-tagged for Rawalpindi"
    assert revision.author.username == "editors"
    assert revision.changed_fields == ["tags"]
    rawalpindi = Entity.objects.get(slug="rawalpindi")
    assert [rawalpindi.pk, 3, "text"] in revision.snapshot["tags"]
    # Untouched articles keep their version.
    khost = articles["khost.md"]
    assert Article.objects.get(pk=khost.pk).version == khost.version


def test_an_alias_in_urdu_script_tags_the_urdu_articles_that_spell_it_so(articles):
    rawalpindi = add_rawalpindi()
    retag_pending()
    Alias.objects.create(entity=rawalpindi, name="راولپنڈی")
    report = retag_pending()
    assert tagged_with(rawalpindi) == set(NAMING_RAWALPINDI + URDU_NAMING_RAWALPINDI)
    assert report.read == 2 and report.articles_tagged == 2


def test_a_name_typed_without_its_hamza_finds_the_texts_that_write_it(articles):
    # The Urdu article writes کوئٹہ (a hamza on its yeh); the search index keeps the hamza,
    # the tagger does not.
    quetta = Entity.objects.get(slug="quetta")
    Alias.objects.filter(entity=quetta).delete()
    retag_pending()
    assert "urdu-quetta.md" not in tagged_with(quetta)
    Alias.objects.create(entity=quetta, name="کویٹہ")
    retag_pending()
    assert "urdu-quetta.md" in tagged_with(quetta)


def test_a_tag_an_editor_removed_stays_removed_after_retagging(articles):
    rawalpindi = add_rawalpindi()
    retag_pending()
    garrison = Article.objects.get(pk=articles["garrison.md"].pk)
    save_article(
        garrison,
        author=user_in("Editors"),
        opened_version=garrison.version,
        comment="Not about the city",
        write_related=lambda article: article.mentions.filter(entity=rawalpindi).delete(),
    )
    assert RemovedTag.objects.filter(article=garrison, entity=rawalpindi).exists()
    Alias.objects.create(entity=rawalpindi, name="Pindi")
    retag_pending()
    call_command("retag_articles", "--entity", "rawalpindi", verbosity=0)
    call_command("retag_articles", "--all", verbosity=0)
    assert tagged_with(rawalpindi) == {"protest.md", "traders.md"}


def test_tags_an_editor_added_stay_and_declared_tags_keep_their_origin(articles):
    khost = Article.objects.get(pk=articles["khost.md"].pk)
    doha = Entity.objects.get(slug="doha")
    Mention.objects.create(article=khost, entity=doha, count=0, origin="editor")
    torkham = Entity.objects.get(slug="torkham")
    Mention.objects.create(article=khost, entity=torkham, count=0, origin="declared")
    Alias.objects.create(entity=torkham, name="Khowst district")  # a long name wins
    retag_pending()
    mentions = {m.entity.slug: (m.count, m.origin) for m in khost.mentions.select_related("entity")}
    assert mentions["doha"] == (0, "editor")
    assert mentions["torkham"] == (1, "declared")
    assert mentions["khost"] == (2, "text")  # "Khowst district" is Torkham's now


def test_removing_an_alias_removes_only_the_tags_it_alone_produced(articles, tmp_path):
    khost = Entity.objects.get(slug="khost")
    assert counts_of(khost)["khost.md"] == 3  # "Khost" twice and "Khowst"
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "khowst.md").write_text(
        '---\ntitle: "Rain in Khowst"\ndate: "2025-11-20"\nstatus: published\n---\n\n'
        "It rained in Khowst.\n",
        encoding="utf-8",
    )
    call_command("import_articles", str(tmp_path / "more"), verbosity=0)
    GazetteerChange.objects.all().delete()
    assert "khowst.md" in tagged_with(khost)
    Alias.objects.filter(entity=khost, name="Khowst").delete()
    report = retag_pending()
    assert "khowst.md" not in tagged_with(khost)
    assert counts_of(khost)["khost.md"] == 2
    assert report.articles_untagged == 1 and report.recounted >= 1
    assert kept_tallies() == recounted_tallies()


def test_renaming_an_entity_retags_by_its_old_and_new_names(articles):
    khost = Entity.objects.get(slug="khost")
    Alias.objects.filter(entity=khost).delete()
    khost.name = "Rawalpindi"  # a mistake, say
    khost.save()
    retag_pending()
    assert tagged_with(khost) >= set(NAMING_RAWALPINDI)
    assert "khost.md" not in tagged_with(khost)


def test_merging_entities_retags_with_the_survivor(articles):
    rawalpindi = add_rawalpindi()
    pindi = Entity.objects.create(kind="place", name="Sher Zaman Market", slug="sher-zaman")
    retag_pending()
    assert tagged_with(pindi) == {"garrison.md", "traders.md"}
    merge_entities(rawalpindi, [pindi])
    retag_pending()
    assert counts_of(rawalpindi) == {"garrison.md": 4, "protest.md": 1, "traders.md": 2}


def test_retagging_changes_the_archive_state_that_keys_the_page_cache(articles):
    add_rawalpindi()
    before = write_state()
    retag_pending()
    assert write_state() != before  # and the token is renewed as the transaction commits


def test_names_with_digits_or_stop_words_are_found_by_their_other_words(articles):
    lexemes = retagging.search_lexemes(["bank", "khyber", "tehrik", "taliban"])
    query = retagging.name_query("Bank of the 2025 Khyber", lexemes)
    assert query.every == "'bank' & 'khyber'"
    assert query.near is None  # the year's room is unknown
    query = retagging.name_query("Tehrik i Taliban", lexemes)
    assert (
        query.near == "('tehrik' <2> 'taliban' | 'tehrik' <3> 'taliban' | 'tehrik' <4> 'taliban')"
    )
    assert retagging.name_query("The", {}) is None
    assert articles_spelling(["The"]) is None  # every article may spell it


def test_hyphenated_and_possessive_spellings_are_found(articles, tmp_path):
    (tmp_path / "more").mkdir()
    for number, text in enumerate(
        ["Rawalpindi-based traders left.", "The pro-Rawalpindi Cricket club won.",
         "Rawalpindi Cricket-Stadium filled.", "The Rawalpindi’s stadium."], 1
    ):  # fmt: skip
        (tmp_path / "more" / f"cricket-{number}.md").write_text(
            f'---\ntitle: "Cricket {number}"\ndate: "2025-11-2{number}"\n---\n\n{text}\n',
            encoding="utf-8",
        )
    call_command("import_articles", str(tmp_path / "more"), verbosity=0)
    stadium = Entity.objects.create(kind="place", name="Rawalpindi Cricket", slug="rc")
    retag_pending()
    assert tagged_with(stadium) == {"cricket-2.md", "cricket-3.md"}
    assert len(articles_spelling(["Rawalpindi Cricket"])) == 2


def test_the_command_retags_what_is_pending_and_says_what_changed(articles):
    out = StringIO()
    call_command("retag_articles", stdout=out)
    assert "No changes to the gazetteer wait" in out.getvalue()
    add_rawalpindi()
    out = StringIO()
    call_command("retag_articles", stdout=out)
    assert "Re-tagged 3 articles: 3 changed; 3 tags added (Rawalpindi 3), 0 removed." in (
        out.getvalue()
    )


def test_the_command_retags_an_entity_or_everything_with_progress(articles, monkeypatch):
    rawalpindi = add_rawalpindi()
    GazetteerChange.objects.all().delete()  # as if noted by no trigger
    out = StringIO()
    call_command("retag_articles", "--entity", "place:rawalpindi", stdout=out)
    assert tagged_with(rawalpindi) == set(NAMING_RAWALPINDI)
    assert "Re-tagged 3 articles" in out.getvalue()
    monkeypatch.setattr("articles.management.commands.retag_articles.PROGRESS_EVERY", 2)
    out, err = StringIO(), StringIO()
    call_command("retag_articles", "--all", stdout=out, stderr=err)
    total = Article.objects.count()
    assert f"Re-tagged {total} articles: 0 changed" in out.getvalue()
    assert f"read {total}/{total} (100%)" in err.getvalue()


def test_the_command_refuses_an_unknown_or_ambiguous_entity(articles):
    with pytest.raises(CommandError, match="No entity 'nowhere'"):
        call_command("retag_articles", "--entity", "nowhere", verbosity=0)
    Entity.objects.create(kind="person", name="Khost Khan", slug="khost")
    with pytest.raises(CommandError, match="names several entities"):
        call_command("retag_articles", "--entity", "khost", verbosity=0)


def test_a_retag_that_would_read_too_many_articles_waits_for_the_command(articles):
    add_rawalpindi()
    with pytest.raises(retagging.RetagRefused, match="may be named in 3 articles"):
        retag_pending(max_articles=2)
    assert GazetteerChange.objects.filter(name="Rawalpindi").exists()
    assert retag_pending(max_articles=3).articles_tagged == 3


@pytest.mark.django_db(transaction=True)  # the re-tag runs once the import commits
def test_an_import_that_changes_the_gazetteer_retags_once_committed_and_says_so(articles, tmp_path):
    folder = tmp_path / "gazetteer"
    folder.mkdir()
    (folder / "punjab.yaml").write_text(
        "kind: place\nentities:\n  - name: Rawalpindi\n    slug: rawalpindi\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("import_articles", str(folder), stdout=out)
    assert "Entities: 1 created" in out.getvalue()
    assert (
        "Re-tagged 3 articles: 3 changed; 3 tags added (Rawalpindi 3), 0 removed. "
        "1 name left the names-to-add queue." in out.getvalue()
    )
    assert tagged_with(Entity.objects.get(slug="rawalpindi")) == set(NAMING_RAWALPINDI)
    assert not GazetteerChange.objects.exists()

import hashlib
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Alias, Article, Entity, Mention
from tests.conftest import SEED_FILE, SEEDS
from tests.support.factories import database_snapshot, make_article
from tests.support.plans import queryset_plan

SHARED_SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / SEED_FILE.name
SEED_SHA256 = "fd78ae0f8290e1a1503c558593ebfcbc7d09834d14758ac902f9e1ddd4e851cf"

REQUIRED_SEED_TAGS = {
    ("person", "khushal-sadat"),
    ("person", "bismillah-taban"),
    ("person", "mujib-rahman-rahimi"),
    ("person", "abbas-basir"),
    ("person", "faiz-hameed"),
    ("place", "afghanistan"),
    ("place", "pakistan"),
    ("place", "durand-line"),
    ("place", "khost"),
    ("place", "jalalabad"),
    ("place", "kabul"),
    ("place", "islamabad"),
    ("place", "doha"),
    ("organisation", "taliban"),
    ("organisation", "tehrik-i-taliban-pakistan"),
    ("organisation", "pakistani-armed-forces"),
    ("organisation", "dw"),
    ("event", "late-november-2025-border-clashes"),
    ("event", "october-2025-pakistani-strikes-on-kabul"),
    ("event", "doha-ceasefire-2025"),
    ("event", "fall-of-kabul-2021"),
}
# Also really in the text: "Doha, the capital of Qatar", "Pakistani military intelligence".
OTHER_TRUE_SEED_TAGS = {("place", "qatar"), ("organisation", "inter-services-intelligence")}


def import_paths(*paths, **options):
    call_command("import_articles", *map(str, paths), verbosity=0, **options)


def tags_of(article):
    return set(article.mentions.values_list("entity__kind", "entity__slug"))


@pytest.fixture
def seed_folder(tmp_path):
    """A writable copy of seeds/."""
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def test_seed_is_shipped_unchanged():
    assert hashlib.sha256(SEED_FILE.read_bytes()).hexdigest() == SEED_SHA256
    if SHARED_SEED.exists():
        assert SEED_FILE.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_imports_with_its_sidecar(seeded):
    assert seeded.checksum == SEED_SHA256
    assert seeded.title.startswith("Border clashes with Pakistan")
    assert seeded.source_name == "DW"
    assert seeded.byline == "dzc/rr"
    assert seeded.status == Article.Status.PUBLISHED
    assert seeded.display_date == "late November 2025"
    assert {"title", "date", "source", "tags"} <= set(seeded.inferred_fields)


def test_seed_text_is_kept_verbatim(seeded):
    lines = [line for line in SEED_FILE.read_text().splitlines() if line.strip()]
    for line in lines[:-1]:
        assert line in seeded.body
    assert "## Change in perception?" in seeded.body
    assert "## How did the old allies fall out?" in seeded.body
    assert "(dzc/rr)" not in seeded.body


def test_seed_subheads_render_as_headings(seeded):
    html = seeded.body_html
    assert html.count("<h2") == 4
    assert ">The Taliban as Pakistani puppets</h2>" in html
    assert "<p>In late November, the Taliban accused" in html


def test_seed_is_tagged_with_what_it_mentions_and_nothing_else(seeded):
    assert tags_of(seeded) == REQUIRED_SEED_TAGS | OTHER_TRUE_SEED_TAGS


def test_seed_tags_count_mentions_in_the_text(seeded):
    counts = dict(seeded.mentions.values_list("entity__slug", "count"))
    assert counts["taliban"] > counts["pakistani-armed-forces"] >= 1
    assert counts["tehrik-i-taliban-pakistan"] == 5
    assert counts["khost"] == 1


def test_gazetteer_gives_places_coordinates_and_events_dates(seeded):
    khost = Entity.objects.get(kind="place", slug="khost")
    assert 33 < khost.latitude < 34 and 69 < khost.longitude < 71
    assert khost.country == "Afghanistan"
    assert {"Khowst", "خوست"} <= set(khost.aliases.values_list("name", flat=True))
    ceasefire = Entity.objects.get(kind="event", slug="doha-ceasefire-2025")
    assert ceasefire.display_start == "19 October 2025"
    assert ceasefire.places.filter(slug="doha").exists()
    clashes = Entity.objects.get(kind="event", slug="late-november-2025-border-clashes")
    assert clashes.display_start == "late November 2025"


def test_importing_the_seeds_again_changes_nothing(seeded):
    before = database_snapshot()
    out = call_command_output(SEEDS)
    assert "Articles: 0 created, 0 updated, 1 unchanged" in out
    assert "Entities: 0 created, 0 updated" in out
    assert database_snapshot() == before


def call_command_output(*paths, **options):
    from io import StringIO

    out = StringIO()
    call_command("import_articles", *map(str, paths), stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_an_edited_file_updates_its_article(db, seed_folder):
    import_paths(seed_folder)
    article = Article.objects.get()
    seed = seed_folder / SEED_FILE.name
    seed.write_text(seed.read_text().replace("Khost and Jalalabad", "Khowst and Kandahar"))
    out = call_command_output(seed_folder)
    assert "Articles: 0 created, 1 updated, 0 unchanged" in out
    updated = Article.objects.get()
    assert updated.pk == article.pk and updated.slug == article.slug
    assert "Khowst and Kandahar" in updated.body
    assert ("place", "kandahar") in tags_of(updated)
    assert ("place", "jalalabad") not in tags_of(updated)
    assert ("place", "khost") in tags_of(updated)


def test_an_editors_changes_to_an_entity_survive_a_reimport(seeded):
    khost = Entity.objects.get(kind="place", slug="khost")
    khost.description = "Edited by an editor."
    khost.save()
    Alias.objects.create(entity=khost, name="Khost City")
    import_paths(SEEDS)
    khost.refresh_from_db()
    assert khost.description == "Edited by an editor."
    assert khost.aliases.filter(name="Khost City").exists()


def test_dry_run_reports_and_writes_nothing(db):
    out = call_command_output(SEEDS, dry_run=True)
    assert "Dry run" in out and "Articles: 1 created" in out
    assert not Article.objects.exists() and not Entity.objects.exists()


def test_markdown_with_front_matter_is_imported_and_tagged(seeded, tmp_path):
    (tmp_path / "torkham.md").write_text(
        "---\ntitle: Torkham crossing reopens\ndate: 2025-12-02\nsource: Dawn\n"
        "tags: [Faiz Hamid, 'place:torkham']\n---\n"
        "Trucks crossed at **Torkham** again, traders in Jelalabad said.\n",
        encoding="utf-8",
    )
    import_paths(tmp_path)
    article = Article.objects.get(source_file="torkham.md")
    assert article.status == Article.Status.PUBLISHED
    assert article.display_date == "2 December 2025"
    assert "<strong>Torkham</strong>" in article.body_html
    assert {("person", "faiz-hameed"), ("place", "torkham"), ("place", "jalalabad")} <= tags_of(
        article
    )
    declared = article.mentions.get(entity__slug="faiz-hameed")
    assert declared.origin == Mention.Origin.DECLARED and declared.count == 0


def test_a_text_file_without_sidecar_becomes_a_draft_titled_by_its_first_sentence(db, tmp_path):
    (tmp_path / "note.txt").write_text("Shops in Chaman closed. Traders waited.\n")
    import_paths(tmp_path)
    article = Article.objects.get()
    assert article.title == "Shops in Chaman closed."
    assert article.status == Article.Status.DRAFT
    assert article.inferred_fields == ["title"]


def test_plain_text_that_looks_like_markdown_renders_as_written(db, tmp_path):
    (tmp_path / "odd.txt").write_text(
        "A first paragraph with *stars* and <b>tags</b> and [brackets](x).\n"
        "# not a heading, a hash line that is long enough to be a paragraph of the text.\n"
    )
    import_paths(tmp_path)
    html = Article.objects.get().body_html
    assert "*stars*" in html and "&lt;b&gt;tags&lt;/b&gt;" in html and "[brackets](x)" in html
    assert "<h1" not in html and "<h2" not in html


def test_large_imports_show_progress(db, tmp_path):
    from io import StringIO

    for number in range(501):
        (tmp_path / f"{number:04}.txt").write_text(f"Article number {number} from Khost.\n")
    err = StringIO()
    call_command("import_articles", str(tmp_path), stdout=StringIO(), stderr=err)
    assert "read 500/501" in err.getvalue() and "check 501/501 (100%)" in err.getvalue()
    assert Article.objects.count() == 501


BAD_FILES = {
    "not-utf8.txt": (b"Caf\xe9 in Kabul\n", "is not UTF-8 text"),
    "empty.txt": (b"  \n\n", "is empty"),
    "binary.txt": (b"\x89PNG\x00\x00binary", "is a binary file"),
    "bad-front-matter.md": (b"---\ntitle: [unclosed\n---\nBody text.\n", "malformed front matter"),
    "no-front-matter.md": (b"Just a body.\n", "has no front matter"),
    "unknown-tag.md": (
        b"---\ntitle: T\ndate: 2025-12-01\ntags: [Nobody Atall]\n---\nBody.\n",
        "unknown tag 'Nobody Atall'",
    ),
    "unknown-field.md": (b"---\ntitle: T\nauthr: me\n---\nBody.\n", "unknown field(s): authr"),
    "bad-date.md": (b"---\ntitle: T\ndate: yesterday\n---\nBody.\n", "is not an ISO date"),
    "bad-gazetteer.yaml": (
        b"kind: place\nentities:\n  - name: Nowhere\n    latitude: 123\n    longitude: 1\n",
        "latitude must be a number within",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_named_and_nothing_is_written(seeded, seed_folder, name, capsys):
    content, reason = BAD_FILES[name]
    (seed_folder / name).write_bytes(content)
    seed = seed_folder / SEED_FILE.name
    seed.write_text(seed.read_text() + "\nAn added paragraph that must not be imported.")
    before = database_snapshot()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_articles", str(seed_folder), verbosity=0)
    err = capsys.readouterr().err
    assert f"{seed_folder / name}: " in err and reason in err
    assert database_snapshot() == before


def test_an_unreadable_file_is_refused(db, tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path / "missing.txt"), verbosity=0)
    assert "missing.txt: does not exist" in capsys.readouterr().err
    assert not Article.objects.exists()


def test_every_bad_file_is_reported_not_just_the_first(db, tmp_path, capsys):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe")
    with pytest.raises(CommandError, match="2 bad file"):
        call_command("import_articles", str(tmp_path), verbosity=0)
    err = capsys.readouterr().err
    assert "a.txt: is empty" in err and "b.txt: is not UTF-8" in err


def test_a_link_leading_outside_the_folder_is_refused(db, tmp_path, capsys):
    outside = tmp_path / "outside.txt"
    outside.write_text("A secret text outside the import folder.\n")
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "good.txt").write_text("A good text from Khost.\n")
    (folder / "sneaky.txt").symlink_to(outside)
    with pytest.raises(CommandError):
        call_command("import_articles", str(folder), verbosity=0)
    assert "sneaky.txt: is a link leading outside" in capsys.readouterr().err
    assert not Article.objects.exists()


def test_an_oversize_file_is_refused(db, tmp_path, capsys):
    (tmp_path / "huge.txt").write_text("word " * 500_000)
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path), verbosity=0)
    assert "huge.txt: larger than 2048 KiB" in capsys.readouterr().err


def test_articles_with_one_title_get_the_next_free_numbers(tmp_path, db):
    for name, title in [("a", "Talks resume"), ("b", "Talks resume"), ("c", "Talks")]:
        (tmp_path / f"{name}.md").write_text(f"---\ntitle: {title}\n---\n\nText.\n")
    import_paths(tmp_path)
    Article.objects.filter(slug="talks-resume-2").update(slug="talks-resume-7")
    later = tmp_path / "later"
    later.mkdir()
    for name in ("d", "e"):
        (later / f"{name}.md").write_text("---\ntitle: Talks resume\n---\n\nMore.\n")
    import_paths(later)
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "talks",
        "talks-resume",
        "talks-resume-7",
        "talks-resume-8",
        "talks-resume-9",
    ]


def test_the_next_number_is_the_highest_numeric_suffix_of_that_title_alone(tmp_path, db):
    (tmp_path / "a.md").write_text("---\ntitle: Talks\n---\n\nText.\n")
    import_paths(tmp_path)
    for slug in ("talks-9", "talks-10", "talks-resume-40", "talks-2b"):
        make_article(slug=slug)
    later = tmp_path / "later"
    later.mkdir()
    (later / "b.md").write_text("---\ntitle: Talks\n---\n\nMore.\n")
    import_paths(later)
    assert Article.objects.get(source_file="b.md").slug == "talks-11"


def test_a_large_import_finds_its_articles_by_the_file_name_index(db):
    """PostgreSQL proves a partial index's condition from an IN list of at most 100 values;
    past that, only a query that states the condition can use the index."""
    make_article(source_file="known.md")
    names = ["known.md", *(f"file-{n}.md" for n in range(1000))]
    assert "article_unique_source_file" in queryset_plan(Article.objects.from_files(names))
    assert list(Article.objects.from_files(names).values_list("source_file", flat=True)) == [
        "known.md"
    ]


def test_a_reimport_that_publishes_a_draft_reaches_search_lists_and_counts(
    seeded, client, tmp_path
):
    (tmp_path / "talks.md").write_text(
        "---\ntitle: Talks planned\nstatus: draft\n---\n\nDelegates may meet in Doha.\n"
    )
    (tmp_path / "other.md").write_text(
        "---\ntitle: Other news\ndate: 2025-12-01\n---\n\nNothing about Doha.\n"
    )
    import_paths(tmp_path)
    other = Article.objects.values().get(source_file="other.md")
    doha = Entity.objects.get(slug="doha")
    (tmp_path / "talks.md").write_text(
        "---\ntitle: Ceasefire talks resume\ndate: 2025-12-02\nstatus: published\n---\n\n"
        "Delegates met in Doha.\n"
    )
    import_paths(tmp_path)
    article = Article.objects.get(source_file="talks.md")
    assert (article.title, article.status, article.version) == (
        "Ceasefire talks resume",
        "published",
        2,
    )
    assert list(article.revisions.values_list("number", flat=True)) == [2, 1]
    assert Article.objects.values().get(source_file="other.md") == other
    assert "Ceasefire talks resume" in client.get("/search/", {"q": "ceasefire"}).text
    assert "Ceasefire talks resume" in client.get("/").text
    assert client.get(doha.get_absolute_url()).text.count('class="card-title"') == 3


@pytest.mark.parametrize(
    ("owner", "claimant", "reason"),
    [
        ("an admin article", "new.md", "already belongs to an article written in the admin"),
        ("first.md", "new.md", "already belongs to the article from first.md"),
        ("first.md", "second.md", "already belongs to the article from first.md"),
    ],
)
def test_a_file_naming_a_slug_another_article_has_is_refused(
    db, tmp_path, capsys, owner, claimant, reason
):
    """A new file, or a changed one (second.md), may not take another article's slug."""
    if owner == "an admin article":
        make_article(slug="talks-resume")
    (tmp_path / "first.md").write_text("---\ntitle: Talks resume\n---\n\nFirst.\n")
    (tmp_path / "second.md").write_text("---\ntitle: Second\n---\n\nSecond.\n")
    import_paths(tmp_path)
    (tmp_path / claimant).write_text("---\ntitle: Later\nslug: talks-resume\n---\n\nLater.\n")
    before = database_snapshot()
    with pytest.raises(CommandError, match="nothing was written"):
        import_paths(tmp_path)
    assert f"{tmp_path / claimant}: slug 'talks-resume' {reason}" in capsys.readouterr().err
    assert database_snapshot() == before


def test_two_files_naming_one_slug_are_refused(db, tmp_path, capsys):
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(f"---\ntitle: {name}\nslug: talks\n---\n\nText.\n")
    with pytest.raises(CommandError, match="nothing was written"):
        import_paths(tmp_path)
    assert f"{tmp_path / 'b.md'}: slug 'talks' is named by {tmp_path / 'a.md'} too" in (
        capsys.readouterr().err
    )
    assert not Article.objects.exists()


def test_a_title_whose_slug_another_file_names_gets_the_next_number(db, tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: Other\nslug: talks\n---\n\nText.\n")
    (tmp_path / "b.md").write_text("---\ntitle: Other\nslug: talks-2\n---\n\nText.\n")
    (tmp_path / "c.md").write_text("---\ntitle: Talks\n---\n\nText.\n")
    import_paths(tmp_path)
    assert Article.objects.get(source_file="c.md").slug == "talks-3"

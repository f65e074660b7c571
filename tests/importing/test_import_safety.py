"""Import safety: whatever arrives — through `manage.py import_articles` or as an upload in
the admin — path traversal, links leaving the import folder, oversize, binary and
mis-encoded files, malformed or hostile front matter and YAML are refused with a message
naming the file and the reason, the command fails, and nothing is written: not a row, not
a file outside the upload's own temporary folder."""

import io
import stat
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importing.parsing import ImportFileError, parse_file
from articles.models import Article, Entity
from tests.conftest import SEEDS
from tests.support.admin_forms import user_in
from tests.support.factories import database_snapshot, make_article, make_entity

GOOD_ARTICLE = b"---\ntitle: Torkham reopens\ndate: 2025-12-01\n---\nTrucks crossed again.\n"
# YAML aliases nested nine deep: a few hundred bytes that stand for 9^8 values.
ALIAS_BOMB = "\n".join(
    ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 8)]
)
# The same, as the items of one list.
INLINE_BOMB = "\n".join(
    ["  - &b0 [x, x, x, x, x, x, x, x, x]"]
    + [f"  - &b{n} [{', '.join([f'*b{n - 1}'] * 9)}]" for n in range(1, 8)]
)
LONG = "x" * 400
EXPANDS = "stands for more than"

BAD_FILES = {
    # encodings and content
    "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "is a binary file"),
    "utf16.md": ("---\ntitle: T\n---\nBody\n".encode("utf-16"), "is a binary file"),
    "latin1.md": ("---\ntitle: Café\n---\nBody\n".encode("latin-1"), "is not UTF-8"),
    "overlong.md": (b"---\ntitle: \xc0\xaf\n---\nBody\n", "is not UTF-8"),
    "surrogate.md": (b"---\ntitle: \xed\xa0\x80\n---\nBody\n", "is not UTF-8"),
    "truncated.md": (b"---\ntitle: \xe2\x82\n---\nBody\n", "is not UTF-8"),
    "empty.md": (b"", "is empty"),
    "blank.txt": (b" \n\t\n", "is empty"),
    # front matter
    "unclosed.md": (b"---\ntitle: [Torkham\n---\nBody\n", "malformed front matter"),
    "tabs.md": (b"---\ntitle: T\n\tdate: 2025-01-01\n---\nBody\n", "malformed front matter"),
    "list.md": (b"---\n- title\n- date\n---\nBody\n", "has no front matter"),
    "none.md": (b"Just a body, no front matter.\n", "has no front matter"),
    "python.md": (
        b"---\ntitle: !!python/object/apply:os.system ['touch /tmp/pwned']\n---\nBody\n",
        "malformed front matter",
    ),
    "no-body.md": (b"---\ntitle: T\n---\n", "has front matter but no body"),
    "unknown.md": (b"---\ntitle: T\nauthor: me\n---\nBody\n", "unknown field(s): author"),
    "bomb.md": (f"---\n{ALIAS_BOMB}\ntitle: T\n---\nBody\n".encode(), EXPANDS),
    "bomb-inferred.md": (f"---\ntitle: T\ninferred:\n{INLINE_BOMB}\n---\nBody\n".encode(), EXPANDS),
    "self-alias.md": (
        b"---\ntitle: &t [*t]\n---\nBody\n",
        "has an alias inside the value it names",
    ),
    "deep.md": (f"---\ntitle: {'[' * 60}{']' * 60}\n---\nB\n".encode(), "nested more than 50"),
    "no-closing.md": (b"---\ntitle: T\n\nBody\n", "has no --- closing its front matter"),
    "json.md": (b'{\n"title": "T",\n}\nBody\n', "has no front matter"),
    "number-keys.md": (b"---\ntitle: T\n1: x\nnull: y\n---\nBody\n", "unknown field(s): 1, None"),
    # values PyYAML takes for a date or a number but cannot make one of
    "month-13.md": (b"---\ntitle: T\ndate: 2025-13-45\n---\nB\n", "'2025-13-45' is not a valid"),
    "february-30.md": (b"---\ntitle: T\ndate: 2025-02-30\n---\nB\n", "day is out of range"),
    "hour-25.md": (b"---\ntitle: T\ndate: 2025-01-01 25:00:00\n---\nB\n", "hour must be in"),
    "tagged-date.md": (b"---\ntitle: T\ndate: !!timestamp x\n---\nB\n", "is not a valid timestamp"),
    "tagged-number.md": (b"---\ntitle: T\nbyline: !!float x\n---\nB\n", "is not a valid float"),
    "5000-digits.md": (f"---\ntitle: T\nbyline: {'9' * 5000}\n---\nB\n".encode(), "valid int"),
    "year-one.md": (
        b"---\ntitle: T\ndate: 0001-01-01T00:00:00+01:00\n---\nB\n",
        "date 0001-01-01T00:00:00+01:00 is out of range",
    ),
    "long-title.md": (f"---\ntitle: {LONG}\n---\nBody\n".encode(), "title is longer than 300"),
    "long-source.md": (f"---\ntitle: T\nsource: {LONG}\n---\nB\n".encode(), "longer than 120"),
    "long-language.md": (b"---\ntitle: T\nlanguage: en-GB-oxendict-x\n---\nB\n", "longer than 12"),
    "script-url.md": (
        b"---\ntitle: T\nsource_url: 'javascript:alert(1)'\n---\nBody\n",
        "is not a web address",
    ),
    "status.md": (b"---\ntitle: T\nstatus: [published]\n---\nBody\n", "is not draft or published"),
    "far-date.md": (b"---\ntitle: T\ndate: 20251201\n---\nBody\n", "must be a date"),
    # sidecars and gazetteers
    "orphan.meta.yaml": (b"title: T\n", "is a sidecar without its .txt file"),
    "kind.yaml": (b"kind: [person]\nentities: []\n", "needs 'kind'"),
    "bomb.yaml": (f"{ALIAS_BOMB}\nkind: person\nentities: [*a7]\n".encode(), EXPANDS),
    "description-repeated.yaml": (
        (
            f"d: &d {'x' * 100_000}\nkind: person\nentities:\n"
            + "".join(f"  - {{name: P{n}, description: *d}}\n" for n in range(1_000))
        ).encode(),
        EXPANDS,
    ),
    "deep.yaml": (f"kind: person\nentities: {'[' * 3000}{']' * 3000}\n".encode(), "nest"),
    "indented.yaml": (
        b"kind: person\nentities:\n" + b"".join(b" " * n + b"- \n" for n in range(1, 80)),
        "nested more than 50",
    ),
    "merged.yaml": (
        (
            "m0: &m0 {name: A}\n"
            + "".join(f"m{n}: &m{n} {{<<: *m{n - 1}}}\n" for n in range(1, 200))
            + "kind: person\nentities: [*m199]\n"
        ).encode(),
        "nested more than 50",
    ),
    "month-13.yaml": (
        b"kind: event\nentities:\n  - name: E\n    start: 2025-13-01\n",
        "'2025-13-01' is not a valid timestamp",
    ),
    "long-name.yaml": (f"kind: person\nentities:\n  - name: {LONG}\n".encode(), "longer than 200"),
    "long-alias.yaml": (
        f"kind: place\nentities:\n  - name: Kabul\n    aliases: [{LONG}]\n".encode(),
        "alias is longer than 200",
    ),
    "role.yaml": (b"kind: person\nentities:\n  - name: A\n    role: [x]\n", "role must be text"),
    "nan.yaml": (
        b"kind: place\nentities:\n  - name: A\n    latitude: .nan\n    longitude: 1\n",
        "latitude must be a number",
    ),
    "places.yaml": (
        b"kind: event\nentities:\n  - name: E\n    start: 2025-01-01\n    places: [{a: 1}]\n",
        "places must be a list of slugs",
    ),
    "not-yaml.yaml": (b"kind: person\nentities: [\n", "malformed YAML"),
}


@pytest.fixture
def seeded_snapshot(db):
    """Some rows of every kind the importer writes, to prove that none changes."""
    place = make_entity(Entity.Kind.PLACE, "Torkham", aliases=["Torkhum"], slug="torkham")
    make_article(title="Torkham reopens after talks", tags=[place])
    return database_snapshot()


def refuse(paths, capsys) -> str:
    """Runs the import, which must fail; what it printed."""
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_articles", *map(str, paths), verbosity=0)
    return capsys.readouterr().err


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_refused_by_name_with_its_reason_and_nothing_is_written(
    seeded_snapshot, tmp_path, capsys, name
):
    content, reason = BAD_FILES[name]
    (tmp_path / "good.md").write_bytes(GOOD_ARTICLE)
    (tmp_path / name).write_bytes(content)
    started = time.monotonic()
    err = refuse([tmp_path], capsys)
    assert f"{tmp_path / name}: " in err and reason in err, err
    assert len(err) < 2_000, "the message must stay short whatever the file holds"
    assert time.monotonic() - started < 5
    assert database_snapshot() == seeded_snapshot


def test_an_oversize_file_or_sidecar_is_refused(seeded_snapshot, tmp_path, capsys):
    (tmp_path / "huge.md").write_bytes(b"---\ntitle: T\n---\n" + b"word " * 500_000)
    (tmp_path / "story.txt").write_text("A story from Khost.\n")
    (tmp_path / "story.meta.yaml").write_bytes(b"title: T\nstandfirst: " + b"x" * 2_200_000)
    err = refuse([tmp_path], capsys)
    assert "huge.md: larger than 2048 KiB" in err
    assert "story.meta.yaml: larger than 2048 KiB" in err
    assert database_snapshot() == seeded_snapshot


@pytest.mark.parametrize(
    "sidecar, reason",
    [
        (b"title: T\ndate: 2025-02-30\n", "day is out of range for month"),
        (b"title: T\ndate: 2025-13-45\n", "'2025-13-45' is not a valid timestamp"),
        (f"title: {'[' * 60}{']' * 60}\n".encode(), "its YAML is nested more than 50"),
        (f"t: &t {'x' * 50_000}\ntitle: [{', '.join(['*t'] * 100)}]\n".encode(), EXPANDS),
    ],
    ids=["february-30", "month-13", "nested", "aliases"],
)
def test_a_bad_sidecar_is_refused_by_name(seeded_snapshot, tmp_path, capsys, sidecar, reason):
    (tmp_path / "story.txt").write_text("A story from Khost.\n")
    (tmp_path / "story.meta.yaml").write_bytes(sidecar)
    err = refuse([tmp_path], capsys)
    assert f"{tmp_path / 'story.meta.yaml'}: " in err and reason in err, err
    assert database_snapshot() == seeded_snapshot


YAML_KEYS = [
    "title", "date", "tags", "inferred", "status", "slug", "byline", "source_url", "kind",
    "entities", "name", "aliases", "start", "end", "places", "latitude", "1", "null", "<<",
]  # fmt: skip
YAML_VALUES = [
    "T", "2025-13-45", "2025-02-30", "2025-01-01 25:00:00", "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-12:00", "!!timestamp x", "!!float x", "!!int x", "!!binary '!'",
    "!!set {a}", "!!omap [1]", "!!python/object:os.system x", "&a [*a]", "&b x", "*b", "*c",
    "[", "]", "{", "}", "9" * 5000, ".nan", "-.inf", "~", "yes", "1e999", "0o99", "0x1G",
    "'", '"', "|", ">-", "- x", "? x", "<<: *b", "\t", "---", "...", "@", "`", "%", "é",
    "[a, [b, [c]]]", "{a: {b: {c: d}}}", "[place:khost]", "2025-12-01",
]  # fmt: skip
yaml_lines = st.lists(
    st.tuples(
        st.sampled_from(["", "  ", "    ", "- ", "  - "]),
        st.sampled_from(YAML_KEYS),
        st.lists(st.sampled_from(YAML_VALUES), min_size=0, max_size=3).map(" ".join),
    ).map(lambda line: f"{line[0]}{line[1]}: {line[2]}"),
    max_size=8,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(["front matter", "sidecar", "gazetteer"]),
    yaml_text=yaml_lines,
    body=st.sampled_from(["Body.", "", "a\n: b\n" * 30, "[" * 200, "word " * 50]),
)
def test_any_yaml_is_read_or_refused_by_name(tmp_path_factory, kind, yaml_text, body):
    """Whatever the front matter, sidecar or gazetteer holds, reading it gives records or
    an ImportFileError naming the file, never another exception."""
    folder = tmp_path_factory.mktemp("yaml")
    if kind == "front matter":
        path = folder / "a.md"
        path.write_text(f"---\n{yaml_text}\n---\n{body}\n")
    elif kind == "sidecar":
        path = folder / "a.txt"
        path.write_text(f"{body or 'Text.'}\n")
        (folder / "a.meta.yaml").write_text(f"{yaml_text}\n")
    else:
        path = folder / "a.yaml"
        path.write_text(f"kind: place\nentities:\n  - {yaml_text}\n")
    try:
        parse_file(path)
    except ImportFileError as error:
        assert error.path.parent == folder and error.reason


def test_a_path_that_does_not_exist_is_named_as_such(seeded_snapshot, tmp_path, capsys):
    err = refuse([tmp_path / "missing", tmp_path / "missing.md"], capsys)
    assert f"{tmp_path / 'missing'}: does not exist" in err
    assert f"{tmp_path / 'missing.md'}: does not exist" in err
    assert database_snapshot() == seeded_snapshot


def test_a_database_error_during_the_write_refuses_the_import_without_a_traceback(
    seeded_snapshot, tmp_path, capsys
):
    """Here a statement timeout (the command's own, made tiny): the write's statements
    cannot all finish within a millisecond, the 1.5 MB body's search vector among them."""
    (tmp_path / "long.md").write_text(f"---\ntitle: Long\n---\n{'word ' * 300_000}\n")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_articles", str(tmp_path), verbosity=0, statement_timeout=0.001)
    err = capsys.readouterr().err
    assert f"{tmp_path}: the database stopped the import (" in err
    assert "statement timeout" in err and "Traceback" not in err
    assert database_snapshot() == seeded_snapshot


def test_links_leading_out_of_the_import_folder_are_refused(seeded_snapshot, tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_bytes(GOOD_ARTICLE)
    folder = tmp_path / "import"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.md").write_bytes(GOOD_ARTICLE.replace(b"Torkham", b"Chaman"))
    (folder / "file-link.md").symlink_to(outside / "secret.md")
    (folder / "folder-link").symlink_to(outside, target_is_directory=True)
    (folder / "sub" / "relative.md").symlink_to(Path("../../outside/secret.md"))
    (folder / "chain.md").symlink_to(folder / "sub" / "relative.md")
    (folder / "etc.md").symlink_to("/etc/passwd")
    err = refuse([folder], capsys)
    for link in ["file-link.md", "folder-link", "sub/relative.md", "chain.md", "etc.md"]:
        assert f"{folder / link}: is a link leading outside" in err, link
    assert database_snapshot() == seeded_snapshot


def test_a_link_within_the_import_folder_is_followed(db, tmp_path):
    (tmp_path / "real.md").write_bytes(GOOD_ARTICLE)
    (tmp_path / "alias.md").symlink_to(tmp_path / "real.md")
    call_command("import_articles", str(tmp_path), verbosity=0)
    assert Article.objects.filter(title="Torkham reopens").count() == 2


def test_files_outside_the_importable_kinds_are_refused(seeded_snapshot, capsys):
    err = refuse([Path("/etc/passwd"), SEEDS / ".." / "manage.py"], capsys)
    assert "/etc/passwd: is not a .txt, .md or gazetteer .yaml file" in err
    assert "manage.py: is not a .txt, .md or gazetteer .yaml file" in err
    assert database_snapshot() == seeded_snapshot


def test_hidden_files_and_folders_are_skipped(db, tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "evil.md").write_bytes(b"\x00binary")
    (tmp_path / ".swap.md").write_bytes(b"\xff\xfe")
    (tmp_path / "good.md").write_bytes(GOOD_ARTICLE)
    call_command("import_articles", str(tmp_path), verbosity=0)
    assert list(Article.objects.values_list("title", flat=True)) == ["Torkham reopens"]


# Uploads in the admin


def zip_of(
    members: dict[str, bytes],
    *,
    links=(),
    declared_sizes=None,
    declared_methods=None,
    flags=None,
    replace=(b"", b""),
    name="upload.zip",
) -> SimpleUploadedFile:
    """A zip of ``members`` (stored, not compressed); ``links`` are stored as symbolic
    links; ``declared_sizes``, ``declared_methods`` (compression) and ``flags`` override
    what its directory claims, and ``replace`` changes its bytes, as a crafted or damaged
    zip may."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in members.items():
            info = zipfile.ZipInfo(member)
            if member in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
        for info in archive.filelist:
            info.file_size = (declared_sizes or {}).get(info.filename, info.file_size)
            info.compress_type = (declared_methods or {}).get(info.filename, info.compress_type)
            info.flag_bits |= (flags or {}).get(info.filename, 0)
    data = buffer.getvalue().replace(*replace) if replace[0] else buffer.getvalue()
    return SimpleUploadedFile(name, data, content_type="application/zip")


@pytest.fixture
def editor_client(client, seeded_snapshot):
    client.force_login(user_in("Editors"))
    return client


def upload(client, *files, dry_run=False):
    data = {"files": list(files)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("admin:articles_import"), data)


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Uploads are unpacked under here (not the shared /tmp), so that what they leave
    behind can be seen: the folder must end empty, with nothing written beside it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


ESCAPE = f"escaped-{uuid.uuid4().hex}.md"
BAD_UPLOADS = {
    "parent": (lambda: zip_of({"good.md": GOOD_ARTICLE, f"../{ESCAPE}": GOOD_ARTICLE}),
               "has a path leading outside the zip"),
    "deep parent": (lambda: zip_of({f"a/../../../{ESCAPE}": GOOD_ARTICLE}),
                    "has a path leading outside the zip"),
    "absolute": (lambda: zip_of({f"{tempfile.gettempdir()}/{ESCAPE}": GOOD_ARTICLE}),
                 "has a path leading outside the zip"),
    "backslashes": (lambda: zip_of({f"..\\..\\{ESCAPE}": GOOD_ARTICLE}),
                    "has a path leading outside the zip"),
    "link": (lambda: zip_of({"passwd.md": b"/etc/passwd"}, links={"passwd.md"}),
             "is a link, not a file"),
    "oversize member": (lambda: zip_of({"big.md": GOOD_ARTICLE},
                                       declared_sizes={"big.md": 3 * 1024 * 1024}),
                        "larger than 2048 KiB"),
    "bomb": (lambda: zip_of({f"{n}.md": GOOD_ARTICLE for n in range(110)},
                            declared_sizes={f"{n}.md": 2_000_000 for n in range(110)}),
             "takes the upload past 20 MiB"),
    "more than the admin imports": (
        lambda: zip_of({f"{n}.md": GOOD_ARTICLE for n in range(11)},
                       declared_sizes={f"{n}.md": 2_000_000 for n in range(11)}),
        "takes the upload past 20 MiB"),
    # damaged members
    "declared smaller than its data": (
        lambda: zip_of({"x.md": GOOD_ARTICLE}, declared_sizes={"x.md": 10}),
        "is damaged (Bad CRC-32 for file &#x27;x.md&#x27;)"),
    "bad crc": (lambda: zip_of({"x.md": GOOD_ARTICLE}, replace=(b"again", b"AGAIN")),
                "is damaged (Bad CRC-32 for file &#x27;x.md&#x27;)"),
    "not deflate data": (
        lambda: zip_of({"x.md": GOOD_ARTICLE}, declared_methods={"x.md": zipfile.ZIP_DEFLATED}),
        "<strong>upload.zip/x.md</strong>: is damaged"),
    "unknown compression": (lambda: zip_of({"x.md": GOOD_ARTICLE}, declared_methods={"x.md": 97}),
                            "<strong>upload.zip/x.md</strong>: is compressed by a method"),
    "encrypted": (lambda: zip_of({"x.md": GOOD_ARTICLE}, flags={"x.md": 0x1}),
                  "<strong>upload.zip/x.md</strong>: is encrypted"),
    # names the file system cannot take
    "file and folder": (lambda: zip_of({"x.md": GOOD_ARTICLE, "x.md/y.md": GOOD_ARTICLE}),
                        "<strong>upload.zip/x.md/y.md</strong>: has the name of a folder"),
    "folder and file": (lambda: zip_of({"x.md/y.md": GOOD_ARTICLE, "x.md": GOOD_ARTICLE}),
                        "<strong>upload.zip/x.md</strong>: has the name of a folder"),
    "long name": (lambda: zip_of({"a" * 300 + ".md": GOOD_ARTICLE}),
                  "has a name longer than 255 bytes"),
    "long path": (lambda: zip_of({"/".join(["d" * 200] * 25) + "/x.md": GOOD_ARTICLE}),
                  "has a path longer than 1,024 bytes"),
    "not a zip": (lambda: SimpleUploadedFile("broken.zip", b"PK\x03\x04 not really"),
                  "is not a valid zip file"),
    "other kind": (lambda: SimpleUploadedFile("page.html", b"<script>alert(1)</script>"),
                   "is not a .txt, .md, .yaml or .zip file"),
    "binary in zip": (lambda: zip_of({"good.md": GOOD_ARTICLE, "x.md": b"\x00\x01"}),
                      "is a binary file"),
    "aliases": (lambda: zip_of({"people.yaml": BAD_FILES["description-repeated.yaml"][0]}),
                "stands for more than"),
}  # fmt: skip


def test_uploads_together_may_not_unpack_more_than_the_admin_imports(editor_client, private_tmp):
    files = [
        zip_of(
            {f"{n}.md": GOOD_ARTICLE for n in range(6)},
            declared_sizes={f"{n}.md": 2_000_000 for n in range(6)},
            name=f"part-{part}.zip",
        )
        for part in (1, 2)
    ]
    before = database_snapshot()
    response = upload(editor_client, *files)
    assert "<strong>part-2.zip</strong>: takes the upload past 20 MiB" in response.text
    assert database_snapshot() == before
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_a_bad_upload_is_refused_with_its_reason_and_nothing_is_written(
    editor_client, private_tmp, case
):
    make, reason = BAD_UPLOADS[case]
    before = database_snapshot()
    response = upload(editor_client, make())
    assert response.status_code == 200
    assert "Nothing was imported" in response.text and reason in response.text
    assert database_snapshot() == before
    assert list(private_tmp.iterdir()) == [], "the upload's folder must be removed"
    assert [p.name for p in private_tmp.parent.iterdir()] == ["tmp"]
    assert not any((folder / ESCAPE).exists() for folder in [Path.cwd(), *private_tmp.parents])


GOOD_ZIP = zip_of(
    {
        "a.md": GOOD_ARTICLE,
        "b.txt": b"A story from Khost.\n",
        "b.meta.yaml": b"title: Khost\ndate: 2025-12-01\n",
        "places.yaml": b"kind: place\nentities:\n  - name: Khost\n",
    }
).read()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(
        st.tuples(st.integers(0, len(GOOD_ZIP) - 1), st.integers(0, 255)), min_size=1, max_size=4
    ),
    length=st.integers(22, len(GOOD_ZIP)),
)
def test_a_damaged_zip_is_refused_or_imported_never_a_server_error(
    editor_client, private_tmp, changes, length
):
    """Bytes of a good zip changed anywhere (headers, data, directory), or cut short."""
    data = bytearray(GOOD_ZIP[:length])
    for position, value in changes:
        if position < len(data):
            data[position] = value
    response = upload(editor_client, SimpleUploadedFile("damaged.zip", bytes(data)))
    assert response.status_code == 200
    assert list(private_tmp.iterdir()) == []


def test_an_uploaded_file_name_cannot_choose_where_it_is_written(editor_client, private_tmp):
    traversal = SimpleUploadedFile(f"../../{ESCAPE}", GOOD_ARTICLE, content_type="text/markdown")
    response = upload(editor_client, traversal, dry_run=True)
    assert response.status_code == 200 and "Dry run" in response.text
    assert f"<td>{ESCAPE}</td>" in response.text  # kept as its base name, in the folder
    assert not Article.objects.filter(title="Torkham reopens").exists()
    assert list(private_tmp.iterdir()) == []
    assert [p.name for p in private_tmp.parent.iterdir()] == ["tmp"]

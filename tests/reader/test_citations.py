"""Citing an article: the references on its page, BibTeX, RIS and CSL-JSON downloads read
by the libraries reference managers use, and Highwire tags."""

import datetime
import json
import re

import bibtexparser
import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from articles.models import Article
from articles.reader.citations import STYLES_FOLDER
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def download(client, article, suffix):
    response = client.get(f"{article.get_absolute_url()}cite.{suffix}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{article.slug}.{suffix}"'
    return response


def test_bibtex_parses_with_the_articles_metadata(client, seeded):
    response = download(client, seeded, "bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    [entry] = library.entries
    fields = {field.key: field.value for field in entry.fields}
    assert entry.entry_type == "article" and entry.key == seeded.slug
    assert fields["title"] == seeded.title
    assert fields["author"] == "{dzc/rr}"  # kept whole, not split into names
    assert fields["journal"] == "DW"
    assert (fields["year"], fields["month"]) == ("2025", "nov")  # no day: it is not known
    assert "day" not in fields
    assert fields["url"] == f"http://testserver{seeded.get_absolute_url()}"
    assert "Faiz Hameed" in fields["keywords"]


def test_bibtex_escapes_what_tex_would_read_as_commands(client):
    article = make_article(title="Costs: 50% {up} & $2 #1 a_b ~ ^ \\end", standfirst="}{")
    library = bibtexparser.parse_string(download(client, article, "bib").content.decode())
    assert not library.failed_blocks
    title = library.entries[0].fields_dict["title"].value
    assert title == (
        r"Costs: 50\% \{up\} \& \$2 \#1 a\_b "
        r"\textasciitilde{} \textasciicircum{} \textbackslash{}end"
    )


def test_csl_json_renders_with_citeproc_in_the_shipped_styles(client, seeded):
    response = download(client, seeded, "json")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    [item] = json.loads(response.content)
    assert item["type"] == "article-newspaper" and item["container-title"] == "DW"
    assert item["issued"] == {"date-parts": [[2025, 11]]}
    for style_file in sorted(STYLES_FOLDER.glob("*.csl")):
        style = CitationStylesStyle(str(style_file), validate=False)
        bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
        bibliography.register(Citation([CitationItem(item["id"])]))
        reference = str(bibliography.bibliography()[0])
        assert "dzc/rr" in reference and "2025" in reference, style_file.name
        assert "Border" in reference and "DW" in reference


def test_ris_is_a_news_record_with_the_date_as_precise_as_known(client, seeded):
    response = download(client, seeded, "ris")
    text = response.content.decode()
    assert text.startswith("TY  - NEWS\r\n") and text.endswith("ER  - \r\n")
    lines = dict(line.split("  - ", 1) for line in text.splitlines() if "  - " in line)
    assert lines["T2"] == "DW" and lines["AU"] == "dzc/rr" and lines["PY"] == "2025"
    assert lines["DA"] == "2025/11//late November 2025"
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in text.splitlines())


@pytest.mark.parametrize(
    ("precision", "issued", "highwire", "bibtex_day"),
    [
        ("day", [2025, 11, 3], "2025/11/03", "3"),
        ("mid_month", [2025, 11], "2025/11", None),
        ("month", [2025, 11], "2025/11", None),
        ("year", [2025], "2025", None),
    ],
)
def test_a_citation_is_never_more_precise_than_the_date(
    client, precision, issued, highwire, bibtex_day
):
    moment = datetime.datetime(2025, 11, 3, tzinfo=datetime.UTC)
    article = make_article(published_at=moment, date_precision=precision)
    [item] = json.loads(download(client, article, "json").content)
    assert item["issued"]["date-parts"] == [issued]
    entry = bibtexparser.parse_string(download(client, article, "bib").content.decode()).entries[0]
    day = entry.fields_dict.get("day")
    assert (day.value if day else None) == bibtex_day
    page = client.get(article.get_absolute_url()).text
    assert f'<meta name="citation_publication_date" content="{highwire}">' in page


def test_the_article_page_cites_itself_and_carries_highwire_tags(client, seeded):
    page = client.get(seeded.get_absolute_url()).text
    cite = page[page.index('id="cite-heading"') :]
    assert "<dt>APA</dt><dd>dzc/rr. (2025, November)." in cite
    assert "<dt>MLA</dt><dd>dzc/rr." in cite and "<i>DW</i>, Nov. 2025" in cite
    for suffix in ("bib", "ris", "json"):
        assert f'href="{seeded.get_absolute_url()}cite.{suffix}"' in cite
    head = page[: page.index("</head>")]
    title = seeded.title.replace("'", "&#39;")
    for tag in (
        f'<meta name="citation_title" content="{title}">',
        '<meta name="citation_author" content="dzc/rr">',
        '<meta name="citation_publisher" content="DW">',
        '<meta name="citation_language" content="en">',
        '<meta name="citation_keywords" content="Faiz Hameed">',
        f'<meta name="citation_public_url" content="http://testserver{seeded.get_absolute_url()}">',
    ):
        assert tag in head, tag
    # A news article, not a journal's: no journal title for Zotero to file it under.
    assert "citation_journal_title" not in head


def test_references_escape_the_articles_text(client):
    article = make_article(title="<script>alert(1)</script> & more", source_name="<b>DW</b>")
    page = client.get(article.get_absolute_url()).text
    cite = page[
        page.index('id="cite-heading"') : page.index("</section>", page.index("cite-heading"))
    ]
    assert "<script>" not in cite and "<b>" not in cite
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in cite


def test_a_draft_has_no_citation_to_download(client):
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(days_ago=-1)
    for article in (draft, scheduled):
        for suffix in ("bib", "ris", "json"):
            assert client.get(f"{article.get_absolute_url()}cite.{suffix}").status_code == 404

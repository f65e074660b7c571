"""Quotations as pages show them: on a person's page, each linked to the article at that
passage; on an article's page, beside its text."""

import datetime
from dataclasses import dataclass
from urllib.parse import quote

from articles.dates import format_with_precision
from articles.models import Entity
from articles.models.links import slug_url

# Words of a passage a link names to find it in the article (a text fragment).
FRAGMENT_WORDS = 5


@dataclass
class PersonQuotation:
    passage: str
    url: str
    title: str
    when: str
    iso_date: str


def anchor(quotation_id: int) -> str:
    """The id of a quotation on its article's page."""
    return f"quotation-{quotation_id}"


def passage_link(article_url: str, quotation_id: int, passage: str) -> str:
    """The article at the passage: its quotation beside the text, and where a browser
    reads text fragments, the passage itself in the text, highlighted."""
    words = passage.split()

    def encoded(part: list[str]) -> str:
        return quote(" ".join(part), safe="").replace("-", "%2D")

    text = encoded(words[:FRAGMENT_WORDS])
    if len(words) > 2 * FRAGMENT_WORDS:
        text += "," + encoded(words[-FRAGMENT_WORDS:])
    elif len(words) > FRAGMENT_WORDS:
        text = encoded(words)
    return f"{article_url}#{anchor(quotation_id)}:~:text={text}"


def person_quotations(entity: Entity) -> tuple[list[PersonQuotation], int]:
    """A person's quotations (``with_events_and_words``), newest first, and how many."""
    shown = []
    for data in getattr(entity, "quotation_entries", None) or []:
        published = datetime.datetime.fromisoformat(data["published_at"]).date()
        url = slug_url("articles:article_detail", data["slug"])
        shown.append(
            PersonQuotation(
                passage=data["passage"],
                url=passage_link(url, data["id"], data["passage"]),
                title=data["title"],
                when=format_with_precision(published, data["date_precision"]),
                iso_date=published.isoformat(),
            )
        )
    return shown, getattr(entity, "quotation_count", 0)

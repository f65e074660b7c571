"""What the archive is: entities, articles and their tags, revisions, the tallies the
database keeps, the names the gazetteer does not know yet and what editors' work leaves
for their desk. Django finds the models here; code imports them from here."""

from articles.models.activity import ImportRun, RefusedEdit
from articles.models.articles import Article, ArticleQuerySet, Mention, RemovedTag
from articles.models.entities import Alias, Entity, EntityQuerySet, EntityRedirect
from articles.models.links import EntityLink, slug_url
from articles.models.names import (
    GazetteerChange,
    NameCandidate,
    NameOccurrence,
    NameSource,
    NameTally,
)
from articles.models.publication import published_filter, scheduled_filter
from articles.models.quotations import Quotation, QuotationQuerySet, RemovedQuotation
from articles.models.rankings import HeadlineRank, HeadlineRanking
from articles.models.revisions import Revision
from articles.models.tallies import ArchiveTally, EntityTally

__all__ = [
    "Alias", "ArchiveTally", "Article", "ArticleQuerySet", "Entity", "EntityLink",
    "EntityQuerySet", "EntityRedirect", "EntityTally", "GazetteerChange", "HeadlineRank",
    "HeadlineRanking", "ImportRun", "Mention", "NameCandidate", "NameOccurrence",
    "NameSource", "NameTally", "Quotation", "QuotationQuerySet", "RefusedEdit",
    "RemovedQuotation", "RemovedTag", "Revision", "published_filter", "scheduled_filter",
    "slug_url",
]  # fmt: skip

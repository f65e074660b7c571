"""The names-to-add queue, kept current: which capitalised names the gazetteer does not know
each article uses (NameOccurrence), written wherever an article's text is read by the
tagger: the importer (a batch at a time), every save of an article (editorial/services.py
announces it) and re-tagging. The database keeps each name's tallies from these rows
(articles/db/sql/names.sql).

When the gazetteer learns a name, the queue's names that contain it are known: their
occurrences go (``forget_known_names``). Dismissed names stay dismissed, whatever their
counts become.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from articles.db.copying import PreparedRows
from articles.importing.tagging import Tagger, article_text, new_names
from articles.models import Article, NameCandidate, NameOccurrence, NameSource, NameTally
from articles.text.folding import name_key

# The sources the queue names for each name, the most frequent first.
SOURCES_SHOWN = 3

# A name's spelling, and how often an article uses it, by its key.
Names = dict[str, tuple[str, int]]


def names_of(text: str, tagger: Tagger) -> Names:
    """The new names of ``text`` by their folded key (spellings that differ in case or
    diacritics are one name), with the first spelling met and the occurrences of all."""
    grouped: Names = {}
    for phrase, count in new_names(text, tagger).items():
        key = name_key(phrase)
        if key:
            spelling, total = grouped.get(key, (phrase, 0))
            grouped[key] = (spelling, total + count)
    return grouped


@dataclass
class _ArticleNames:
    article: Article
    names: Names


class NameRows:
    """The names of many articles, written together: their old occurrences deleted, the
    names new to the queue added, and the occurrences COPY'd, in four statements."""

    def __init__(self):
        self.articles: list[_ArticleNames] = []

    def add(self, article: Article, names: Names) -> None:
        self.articles.append(_ArticleNames(article, names))

    def write(self, replacing: Iterable[int] = ()) -> None:
        """Writes the names added, after deleting the occurrences of the articles
        ``replacing`` (by id): those whose names were read before."""
        replacing = list(replacing)
        if replacing:
            NameOccurrence.objects.filter(article_id__in=replacing).delete()
        spellings = {key: spelling for a in self.articles for key, (spelling, _) in a.names.items()}
        if not spellings:
            return
        ids = candidate_ids(spellings)
        rows = PreparedRows(NameOccurrence)
        for item in self.articles:
            for key, (_, count) in item.names.items():
                rows.add(
                    NameOccurrence(
                        article_id=item.article.pk,
                        candidate_id=ids[key],
                        count=count,
                        source_name=item.article.source_name,
                        published_at=item.article.published_at,
                    )
                )
        rows.copy()


def candidate_ids(spellings: dict[str, str]) -> dict[str, int]:
    """The queue's id for each key of ``spellings``, adding the keys it lacks with their
    spelling. Added in key order, so that concurrent writers wait for each other in one
    order."""
    keys = sorted(spellings)
    NameCandidate.objects.bulk_create(
        [NameCandidate(key=key, name=spellings[key]) for key in keys], ignore_conflicts=True
    )
    return dict(NameCandidate.objects.filter(key__in=keys).values_list("key", "id"))


def stored_names(article_ids: Iterable[int]) -> dict[int, dict[str, tuple[int, str, object]]]:
    """The occurrences stored for ``article_ids``: by article, each key's count and the
    source and date they were written with."""
    stored: dict[int, dict[str, tuple[int, str, object]]] = {}
    for article_id, key, count, source, date in NameOccurrence.objects.filter(
        article_id__in=list(article_ids)
    ).values_list("article_id", "candidate__key", "count", "source_name", "published_at"):
        stored.setdefault(article_id, {})[key] = (count, source, date)
    return stored


def unchanged(article: Article, names: Names, stored: dict[str, tuple[int, str, object]]) -> bool:
    """Whether ``stored`` (``stored_names``) are ``names`` as ``article`` has them now."""
    return stored.keys() == names.keys() and all(
        stored[key] == (count, article.source_name, article.published_at)
        for key, (_, count) in names.items()
    )


def refresh_names(article: Article) -> None:
    """Reads ``article``'s names again (after a save), writing them only if they changed."""
    names = names_of(article_text(article), Tagger.from_database())
    if unchanged(article, names, stored_names([article.pk]).get(article.pk, {})):
        return
    rows = NameRows()
    rows.add(article, names)
    rows.write(replacing=[article.pk])


def refresh_saved_article_names(sender, *, article: Article, **kwargs) -> None:
    """Receives editorial.services.article_saved: every save of an article refreshes its
    names."""
    refresh_names(article)


def forget_known_names(tagger: Tagger, names: Iterable[str]) -> int:
    """Takes out of the queue the names ``tagger`` now knows among those that share a word
    with ``names`` (names just added to the gazetteer): their occurrences, and the names
    themselves unless dismissed. Returns how many names went."""
    words = {word for name in names for word in name_key(name).split()}
    if not words:
        return 0
    # A key holding one of the words as a whole word, found by the trigram index.
    rows = NameCandidate.objects.filter(key__regex=_any_word(sorted(words))).values_list(
        "id", "key"
    )
    known = [
        candidate_id
        for candidate_id, key in rows
        if (tagger.knows_word(key) if " " not in key else tagger.knows_phrase(key))
    ]
    if known:
        NameOccurrence.objects.filter(candidate_id__in=known).delete()
        NameCandidate.objects.filter(pk__in=known, dismissed_at__isnull=True).delete()
    return len(known)


def _any_word(words: list[str]) -> str:
    """A regular expression matching a key that holds one of ``words`` as a whole word
    (keys are folded words parted by single spaces, so only letters and digits occur)."""
    return rf"(^| )({'|'.join(words)})( |$)"


def queue(search: str = "") -> QuerySet:
    """The queue, most used first (off the tallies' index): the names not dismissed that
    articles use, or those holding the words of ``search``, with their tallies and most
    frequent sources (``top_sources``, and how many in all: ``source_count``) computed in
    the same query."""
    sources = NameSource.objects.filter(candidate=OuterRef("candidate"), articles__gt=0)
    rows = (
        NameTally.objects.filter(articles__gt=0, candidate__dismissed_at__isnull=True)
        .select_related("candidate")
        .annotate(
            top_sources=ArraySubquery(
                sources.order_by("-articles", "source_name").values("source_name")[:SOURCES_SHOWN]
            ),
            source_count=Coalesce(
                Subquery(
                    sources.order_by().values("candidate").annotate(n=Count("pk")).values("n")
                ),
                0,
            ),
        )
        .order_by("-articles", "candidate")
    )
    key = name_key(search)
    return rows.filter(candidate__key__contains=key) if key else rows

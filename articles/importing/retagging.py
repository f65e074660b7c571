"""Re-tagging: the archive follows the gazetteer. When names are added to it, changed or
removed (an entity's name or an alias, in the admin, a gazetteer import, a merge, the shell),
the articles whose text can spell them are read again by the one tagger (tagging.py), and
their tags and names-to-add are brought up to date.

Which names changed, triggers note whatever made the change (GazetteerChange); the admin,
the importer and the queue re-tag once their change has committed (``retag_after_commit``),
and ``manage.py retag_articles`` re-tags what is left, an entity's names, or everything.

The articles are found by the search index (``articles_spelling``), not read one by one:
those whose words include every word of a name, as the index reads it (stemmed, with the
Arabic-script letters the index keeps apart and the tagger does not), next to each other
where the index's positions can tell. Only the tags the text gave change: tags an editor
added stay, as do those a file declared (their count follows the text), and a tag an editor
removed is not put back (RemovedTag). A text-found tag that no name of its entity produces
any more goes. Every article whose tags change gets a revision, numbered as the article
form numbers them, written in a batch as the importer writes its own.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

from django.db import DatabaseError, connection, transaction
from django.db.models import F

from articles.db.copying import PreparedRows
from articles.editorial.permissions import may_retag
from articles.editorial.revisions import (
    latest_revisions,
    next_revision_number,
    revision_row,
    snapshot,
)
from articles.importing.names_queue import (
    NameRows,
    forget_known_names,
    names_of,
    stored_names,
    unchanged,
)
from articles.importing.tagging import Tagger, article_text
from articles.metrics import RETAGGED_ARTICLES
from articles.models import (
    Alias,
    Article,
    Entity,
    GazetteerChange,
    Mention,
    NameCandidate,
    Quotation,
    RemovedTag,
    Revision,
)
from articles.text.folding import name_key

BATCH_SIZE = 1_000
# The most articles re-tagged in a web request, after a change there (a few seconds); more
# are left to retag_articles.
WHILE_YOU_WAIT = 20_000
# Text shorter than this cannot reach the search index's last position (16,383), past
# which positions are all the same: next to each other, its words are where the index says.
PHRASE_TRUSTED_BYTES = 16_000
# Arabic-script letters the search index keeps as written (newsarchive_search_text) where
# the tagger drops their hamza or madda: alef is also written with a madda, a hamza above or
# below, waw and yeh with a hamza, and so on.
ARABIC_VARIANTS = {"ا": "آأإ", "و": "ؤ", "ی": "ئ", "ە": "ۀ", "ہ": "ۂ", "ے": "ۓ"}
# A word with more spellings than this is not looked up: the name's other words are.
MAX_SPELLINGS = 64
COMMENT_LENGTH = 200


# Finding the articles


def spellings(word: str) -> list[str] | None:
    """The ways a text may write the folded ``word`` that the search index keeps apart; None
    if there are more than MAX_SPELLINGS, or if the word holds a digit (the index may read
    it as part of a number, a date or a path)."""
    if any(character.isdecimal() for character in word):
        return None
    if math.prod(len(ARABIC_VARIANTS.get(c, "")) + 1 for c in word) > MAX_SPELLINGS:
        return None
    written = [""]
    for character in word:
        written = [w + c for w in written for c in character + ARABIC_VARIANTS.get(character, "")]
    return written


def search_lexemes(words: Iterable[str]) -> dict[str, list[str]]:
    """Each spelling as the search index reads it: its lexemes (none for a stop word)."""
    words = sorted(set(words))
    if not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT w, coalesce(array_agg(v.lexeme) FILTER (WHERE v.lexeme IS NOT NULL), '{}')
            FROM unnest(%s::text[]) AS w
            LEFT JOIN LATERAL unnest(to_tsvector('newsarchive', newsarchive_search_text(w))) AS v
                ON true
            GROUP BY w
            """,
            [words],
        )
        return dict(cursor.fetchall())


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass(frozen=True)
class NameQuery:
    """How the search index finds the articles that may spell a name: those holding all
    its words (``every``) and, where the text is short enough for the index's positions,
    holding them next to each other (``near``: each pair of words at the distance the name
    puts them, or up to one more a word between, where the text's word is the first part
    of a hyphenated one, which the index counts once whole before its parts)."""

    every: str
    near: str | None


def name_query(name: str, lexemes: dict[str, list[str]]) -> NameQuery | None:
    """The query for ``name``, with ``lexemes`` holding its words' spellings as
    ``search_lexemes`` reads them; None when none of its words can be looked up (every
    article may spell it)."""
    groups: list[str | None] = []  # per word: its lexemes as a tsquery, "" a stop word
    for word in name_key(name).split():
        written = spellings(word)
        found = [lexemes.get(spelling, []) for spelling in written or []]
        if written is None or any(len(each) > 1 for each in found):
            groups.append(None)  # not looked up, and takes unknown room
        elif not any(found):
            groups.append("")
        else:
            options = sorted({_quoted(each[0]) for each in found if each})
            groups.append(options[0] if len(options) == 1 else f"({' | '.join(options)})")
    looked_up = [group for group in groups if group]
    if not looked_up:
        return None
    pairs, previous = [], None  # previous: (index, group) of the last word looked up
    for index, group in enumerate(groups):
        if group is None:
            previous = None
        elif group:
            if previous is not None:
                distance = index - previous[0]
                steps = range(distance, 2 * distance + 1)
                options = [f"{previous[1]} <{step}> {group}" for step in steps]
                pairs.append(f"({' | '.join(options)})")
            previous = (index, group)
    return NameQuery(" & ".join(looked_up), " & ".join(pairs) or None)


def articles_spelling(names: Iterable[str]) -> list[int] | None:
    """The ids of the articles whose text may spell any of ``names``, in order; None when
    a name cannot be looked up, so that every article may."""
    names = sorted(set(names))
    if not names:
        return []
    words = {spelling for name in names for word in name_key(name).split()
             for spelling in spellings(word) or []}  # fmt: skip
    lexemes = search_lexemes(words)
    queries = [name_query(name, lexemes) for name in names]
    if any(query is None for query in queries):
        return None
    conditions, params = [], []
    for query in dict.fromkeys(queries):
        if query.near is None:
            conditions.append("search_vector @@ %s::tsquery")
            params.append(query.every)
        else:
            conditions.append(
                "(search_vector @@ %s::tsquery AND (search_vector @@ %s::tsquery OR "
                "octet_length(title) + octet_length(standfirst) + octet_length(body) > %s))"
            )
            params += [query.every, query.near, PHRASE_TRUSTED_BYTES]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM articles_article WHERE {' OR '.join(conditions)} ORDER BY id",  # noqa: S608 (fixed conditions; the queries are parameters)
            params,
        )
        return [row[0] for row in cursor.fetchall()]


# What changed


@dataclass
class RetagReport:
    """What re-tagging changed: the articles it read and changed, and for each entity how
    many articles it newly tags or no longer tags."""

    names: list[str] = field(default_factory=list)
    read: int = 0
    changed: int = 0
    tagged: Counter = field(default_factory=Counter)
    untagged: Counter = field(default_factory=Counter)
    recounted: int = 0
    names_forgotten: int = 0
    entity_names: dict[int, str] = field(default_factory=dict)

    @property
    def articles_tagged(self) -> int:
        return sum(self.tagged.values())

    @property
    def articles_untagged(self) -> int:
        return sum(self.untagged.values())

    def name_entities(self) -> None:
        """Reads the names of the entities tagged and untagged, for ``str()``."""
        wanted = set(self.tagged) | set(self.untagged)
        self.entity_names = dict(Entity.objects.filter(pk__in=wanted).values_list("pk", "name"))

    def _listed(self, counts: Counter) -> str:
        shown = [
            f"{self.entity_names.get(entity_id, f'#{entity_id}')} {count}"
            for entity_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        return ", ".join(shown[:10]) + (f" and {len(shown) - 10} more" if len(shown) > 10 else "")

    def __str__(self) -> str:
        text = (
            f"Re-tagged {self.read:,} article{'s' if self.read != 1 else ''}: "
            f"{self.changed:,} changed; {self.articles_tagged:,} tag"
            f"{'s' if self.articles_tagged != 1 else ''} added"
        )
        if self.tagged:
            text += f" ({self._listed(self.tagged)})"
        text += f", {self.articles_untagged:,} removed"
        if self.untagged:
            text += f" ({self._listed(self.untagged)})"
        if self.recounted:
            text += f", {self.recounted:,} recounted"
        text += "."
        if self.names_forgotten:
            plural = "s" if self.names_forgotten != 1 else ""
            text += f" {self.names_forgotten:,} name{plural} left the names-to-add queue."
        return text

    def as_json(self) -> dict:
        return {
            "read": self.read,
            "changed": self.changed,
            "tagged": self.articles_tagged,
            "untagged": self.articles_untagged,
            "summary": str(self),
        }


class Tag(NamedTuple):
    """An article's tag as re-tagging reads it (what revisions keep of it, and its id)."""

    pk: int | None
    entity_id: int
    count: int
    origin: str


@dataclass
class _Plan:
    """What re-tagging one article changes: tags it removes (``delete``) and adds, and
    counts it changes (``recount``: new tags for old)."""

    article: Article
    delete: list[Tag] = field(default_factory=list)
    recount: list[tuple[Tag, Tag]] = field(default_factory=list)
    add: list[Tag] = field(default_factory=list)
    kept: list[Tag] = field(default_factory=list)

    @property
    def changes_tags(self) -> bool:
        """Whether it adds or removes a tag: a revision of the article. A change of counts
        alone is none: counting again is not an edit, and an editor who has the article
        open can still save it."""
        return bool(self.delete or self.add)

    def tags(self) -> list[Tag]:
        """The article's tags once the plan is carried out."""
        return self.kept + [new for _, new in self.recount] + self.add


def plan(article: Article, found: Counter, tags: dict[int, Tag], removed: set[int]) -> _Plan:
    """How ``article``'s ``tags`` (by entity) follow what the tagger ``found``: text-found
    tags follow the text (and go when it no longer names them), declared tags keep their
    origin and follow the count, editors' tags stay as they are, and the entities editors
    removed (``removed``) are not tagged again."""
    result = _Plan(article)
    for entity_id, tag in tags.items():
        count = found.get(entity_id, 0)
        if tag.origin == Mention.Origin.EDITOR or tag.count == count:
            result.kept.append(tag)
        elif tag.origin == Mention.Origin.TEXT and not count:
            result.delete.append(tag)
        else:
            result.recount.append((tag, tag._replace(count=count)))
    for entity_id, count in found.items():
        if entity_id not in tags and entity_id not in removed:
            result.add.append(Tag(None, entity_id, count, Mention.Origin.TEXT))
    return result


class Retagger:
    """Re-tags articles a batch at a time; each batch locks its articles (in id order, as
    every writer locks an article before its tags), so that no save slips in between the
    reading and the writing. The caller decides the transactions: one for all the batches,
    or one each (``retag_all``)."""

    def __init__(self, *, author=None, comment: str, read_names: bool = True, progress=None):
        """``read_names``: whether the articles' names for the queue are read again too,
        which only a name the gazetteer no longer knows calls for (those it learnt leave
        the queue by forget_known_names)."""
        self.author = author if author is not None and author.is_authenticated else None
        self.comment = comment[:COMMENT_LENGTH]
        self.read_names = read_names
        self.progress = progress or (lambda done, total, report: None)
        self.report = RetagReport()

    def retag(self, ids: list[int]) -> None:
        """Re-tags the articles ``ids`` (any number, read BATCH_SIZE at a time)."""
        for start in range(0, len(ids), BATCH_SIZE):
            self.retag_batch(ids[start : start + BATCH_SIZE])
            self.progress(min(start + BATCH_SIZE, len(ids)), len(ids), self.report)

    def retag_batch(self, ids: list[int]) -> None:
        tagger = Tagger.from_database()
        articles = list(Article.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        tags: dict[int, dict[int, Tag]] = defaultdict(dict)
        for row in Mention.objects.filter(article_id__in=ids).values_list(
            "pk", "article_id", "entity_id", "count", "origin"
        ):
            tags[row[1]][row[2]] = Tag(row[0], *row[2:])
        removed: dict[int, set[int]] = defaultdict(set)
        for article_id, entity_id in RemovedTag.objects.filter(article_id__in=ids).values_list(
            "article_id", "entity_id"
        ):
            removed[article_id].add(entity_id)
        stored = stored_names(ids) if self.read_names else {}
        plans, names = [], NameRows()
        for article in articles:
            text = article_text(article)
            change = plan(article, tagger.count(text), tags[article.pk], removed[article.pk])
            if change.add or change.delete or change.recount:
                plans.append(change)
            if self.read_names:
                found_names = names_of(text, tagger)
                if not unchanged(article, found_names, stored.get(article.pk, {})):
                    names.add(article, found_names)
        self.report.read += len(articles)
        self._write(plans)
        names.write(replacing=[item.article.pk for item in names.articles])
        changed = sum(change.changes_tags for change in plans)
        transaction.on_commit(partial(count_retagged, len(articles), changed))

    def _write(self, plans: list[_Plan]) -> None:
        if not plans:
            return
        deleted = [tag.pk for change in plans for tag in change.delete]
        if deleted:
            Mention.objects.filter(pk__in=deleted).delete()
        recounts = [new for change in plans for _, new in change.recount]
        if recounts:
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE articles_mention m SET count = v.count "
                    "FROM unnest(%s::bigint[], %s::integer[]) AS v (id, count) WHERE m.id = v.id",
                    [[tag.pk for tag in recounts], [tag.count for tag in recounts]],
                )
        new_mentions = PreparedRows(Mention)
        for change in plans:
            for tag in change.add:
                new_mentions.add(
                    Mention(article=change.article, entity_id=tag.entity_id, count=tag.count,
                            origin=tag.origin)
                )  # fmt: skip
            self.report.tagged.update(tag.entity_id for tag in change.add)
            self.report.untagged.update(tag.entity_id for tag in change.delete)
        new_mentions.copy()
        self._record_revisions([change for change in plans if change.changes_tags])
        self.report.recounted += sum(not change.changes_tags for change in plans)

    def _record_revisions(self, plans: list[_Plan]) -> None:
        """A revision of each article whose tags changed, numbered after its version, which
        then becomes that number, as record_revision does."""
        if not plans:
            return
        revisions = PreparedRows(Revision)
        latest = latest_revisions([change.article for change in plans])
        # Revisions hold the articles' quotations too, read for all at once.
        quotations: dict[int, list[Quotation]] = {change.article.pk: [] for change in plans}
        for quotation in Quotation.objects.filter(article_id__in=list(quotations)):
            quotations[quotation.article_id].append(quotation)
        for change in plans:
            article = change.article
            revisions.add(
                revision_row(
                    article,
                    next_revision_number(article),
                    snapshot(article, change.tags(), quotations[article.pk]),
                    latest.get(article.pk),
                    author=self.author,
                    comment=self.comment,
                )
            )
        revisions.copy()
        Article.objects.filter(pk__in=[change.article.pk for change in plans]).update(
            version=F("version") + 1
        )
        self.report.changed += len(plans)


def count_retagged(read: int, changed: int) -> None:
    RETAGGED_ARTICLES.labels("read").inc(read)
    RETAGGED_ARTICLES.labels("changed").inc(changed)


class RetagRefused(Exception):
    """Re-tagging did not run: who caused it may not tag articles, the names would have it
    read more articles than it may, or the database stopped it. The gazetteer's changes
    stay noted for the next re-tag."""


def _comment(names: list[str]) -> str:
    listed = ", ".join(names)
    return f"Re-tagged for {listed}" if listed else "Re-tagged"


def retag_names(
    names: Iterable[str], *, author=None, progress=None, max_articles: int | None = None
) -> RetagReport:
    """Re-tags the articles that may spell any of ``names`` (changed names of the
    gazetteer), in the current transaction, and takes out of the names-to-add queue those
    the gazetteer now knows. RetagRefused, before anything is written, if that is more
    than ``max_articles``."""
    names = sorted(set(names))
    ids = articles_spelling(names)
    if ids is None:
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    if max_articles is not None and len(ids) > max_articles:
        raise RetagRefused(
            f"{', '.join(names)[:200]} may be named in {len(ids):,} articles, more than are "
            f"re-tagged while you wait ({max_articles:,})"
        )
    tagger = Tagger.from_database()
    retagger = Retagger(
        author=author,
        comment=_comment(names),
        read_names=not all(tagger.knows_name(name) for name in names),
        progress=progress,
    )
    retagger.report.names = names
    retagger.retag(ids)
    retagger.report.names_forgotten = forget_known_names(tagger, names)
    retagger.report.name_entities()
    return retagger.report


def retag_pending(
    *, author=None, progress=None, max_articles: int | None = None
) -> RetagReport | None:
    """Re-tags for the gazetteer's changes noted and not yet read (GazetteerChange), in one
    transaction that then forgets them; None if there were none. Changes another process
    is re-tagging for are left to it. RetagRefused, leaving them noted, if they may be
    named in more than ``max_articles``."""
    with transaction.atomic():
        changes = list(
            GazetteerChange.objects.select_for_update(skip_locked=True).values_list("pk", "name")
        )
        if not changes:
            return None
        report = retag_names(
            [name for _, name in changes],
            author=author,
            progress=progress,
            max_articles=max_articles,
        )
        GazetteerChange.objects.filter(pk__in=[pk for pk, _ in changes]).delete()
    return report


def entity_names(entities: Iterable[Entity]) -> list[str]:
    """The names and aliases of ``entities``."""
    entities = list(entities)
    return [entity.name for entity in entities] + list(
        Alias.objects.filter(entity__in=entities).values_list("name", flat=True)
    )


def retag_all(*, author=None, progress=None, batch_size: int = BATCH_SIZE) -> RetagReport:
    """Re-tags every article, each batch in a transaction of its own, and leaves the
    names-to-add queue as the archive now has it; the gazetteer's changes noted before it
    began are then read."""
    with transaction.atomic():
        noted = GazetteerChange.objects.order_by("-pk").values_list("pk", flat=True).first()
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    retagger = Retagger(author=author, comment="Re-tagged the whole archive", progress=None)
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            retagger.retag_batch(ids[start : start + batch_size])
        if progress:
            progress(min(start + batch_size, len(ids)), len(ids), retagger.report)
    with transaction.atomic():
        if noted is not None:
            GazetteerChange.objects.filter(pk__lte=noted).delete()
        # Names no article uses any more (the gazetteer knows them now), unless dismissed.
        NameCandidate.objects.filter(dismissed_at__isnull=True, occurrences__isnull=True).delete()
    retagger.report.name_entities()
    return retagger.report


def retag_after_commit(
    *,
    author=None,
    report: Callable[[RetagReport | None, RetagRefused | None], None],
    max_articles: int | None = None,
) -> None:
    """Re-tags for the gazetteer's pending changes once the current transaction commits
    (at once outside one), as ``author`` (None: no one in particular, as a command), who
    needs the permission to tag articles, if they may be named in at most
    ``max_articles`` (a web request's re-tag is bounded: WHILE_YOU_WAIT). ``report``
    receives what it changed (None if nothing was pending), or why it did not run."""

    def run() -> None:
        if not may_retag(author):
            report(None, RetagRefused("only users who may tag articles re-tag the archive"))
            return
        try:
            result = retag_pending(author=author, max_articles=max_articles)
        except RetagRefused as refused:
            report(None, refused)
        except DatabaseError as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            report(None, RetagRefused(f"the database stopped it ({reason})"))
        else:
            report(result, None)

    transaction.on_commit(run)

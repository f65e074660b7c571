"""The search engines the archive's search is measured against (bench/run.py): SQLite's
FTS5 (in Python's standard library) and tantivy (a Lucene-class engine in Rust, through
its Python bindings; installed by ``make bench``, the ``bench`` extra of pyproject.toml).

Each is built over the same published articles as the archive searches (title, standfirst
and body, and the slugs of the places each is tagged with), read once from PostgreSQL, and
answers what a results page needs: the top 20 by BM25 with a highlighted passage of each
body, and the exact number of matches. Both stem English words and fold Latin diacritics,
as the archive's text search configuration does, and weigh a match in the title 5 times
and in the standfirst twice one in the body: ``ts_rank``'s default weights (A 1.0, B 0.4,
C 0.2), which rank the archive's results.
"""

import json
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

TEXT_FIELDS = ("title", "standfirst", "body")
WEIGHTS = {"title": 5.0, "standfirst": 2.0, "body": 1.0}
PAGE_SIZE = 20
PASSAGE_WORDS = 30  # the archive's passages hold up to 30 words
PASSAGE_CHARS = 200
MARKS = ("<b>", "</b>")  # as tantivy marks them
READ_CHUNK = 2_000


@dataclass(frozen=True)
class Source:
    """One published article as the peers index it."""

    id: int
    title: str
    standfirst: str
    body: str
    places: tuple[str, ...]


def published_sources() -> Iterator[Source]:
    """Every public article with the slugs of the places it is tagged with, streamed from
    a server-side cursor, so that a million articles are never all in memory."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import OuterRef

    from articles.models import Article, Entity, Mention

    places = Mention.objects.filter(article=OuterRef("pk"), entity__kind=Entity.Kind.PLACE).values(
        "entity__slug"
    )
    rows = (
        Article.objects.published()
        .order_by()
        .annotate(places=ArraySubquery(places))
        .values_list("id", "title", "standfirst", "body", "places")
    )
    for id_, title, standfirst, body, slugs in rows.iterator(chunk_size=READ_CHUNK):
        yield Source(id_, title, standfirst, body, tuple(slugs))


@dataclass(frozen=True)
class PeerQuery:
    """What a search row asks, as the peers are asked it: every word and phrase must
    match (``terms``, each phrase as its words joined by spaces), in an article tagged
    with the place ``place`` when one is given."""

    terms: tuple[str, ...]
    place: str = ""

    # A quoted phrase, or a run of characters up to a space or a quote.
    _TERM = re.compile(r'"([^"]*)"|([^\s"]+)')

    @classmethod
    def from_params(cls, params: dict[str, str]) -> "PeerQuery":
        """The search URL's parameters (``q``, and ``place``) as a peer query. Only words
        and phrases: websearch's ``OR`` and ``-word`` have no counterpart here."""
        unknown = set(params) - {"q", "place"}
        if unknown:
            raise ValueError(f"the peers take q and place, not {', '.join(sorted(unknown))}")
        terms = []
        for phrase, word in cls._TERM.findall(params.get("q", "")):
            if word and (word == "OR" or word.startswith("-")):
                raise ValueError(f"the peers take words and phrases, not {word!r}")
            words = " ".join((phrase or word).split())
            if re.search(r"\w", words):  # punctuation alone is nothing to search for
                terms.append(words)
        if not terms:
            raise ValueError("a peer query needs a word")
        return cls(tuple(terms), params.get("place", ""))


@dataclass(frozen=True)
class Hit:
    id: int
    title: str
    passage: str  # HTML, the matches between MARKS


@dataclass(frozen=True)
class Answer:
    count: int
    hits: list[Hit]


@dataclass
class Built:
    """How a peer's index was built: its wall time (reading the articles from PostgreSQL
    as it went, ``reading_seconds`` of it), its size on disk and how much of that is the
    stored text that passages are cut from."""

    articles: int = 0
    seconds: float = 0.0
    reading_seconds: float = 0.0
    total_bytes: int = 0
    stored_bytes: int = 0
    detail: str = ""

    @property
    def index_bytes(self) -> int:
        return self.total_bytes - self.stored_bytes


class _Timed:
    """Iterates ``items``, adding up the time spent waiting for each."""

    def __init__(self, items: Iterable[Source]):
        self.items = iter(items)
        self.seconds = 0.0
        self.count = 0

    def __iter__(self) -> "_Timed":
        return self

    def __next__(self) -> Source:
        started = time.perf_counter()
        try:
            item = next(self.items)
        finally:
            self.seconds += time.perf_counter() - started
        self.count += 1
        return item


def place_token(slug: str) -> str:
    """A place's slug as one token of FTS5's tokenizer, which splits at hyphens."""
    return slug.replace("-", "")


@dataclass
class Fts5:
    """SQLite FTS5: one table holding the text, BM25 with column weights as its rank,
    ``snippet()`` for the passage and ``count(*)`` for the number of matches."""

    folder: Path
    name: str = "SQLite FTS5"
    built: Built = field(default_factory=Built)
    connection: sqlite3.Connection | None = None

    TOKENIZE = "porter unicode61 remove_diacritics 2"

    @property
    def path(self) -> Path:
        return self.folder / "fts5.sqlite3"

    def build(self, sources: Iterable[Source]) -> Built:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path.unlink(missing_ok=True)
        timed = _Timed(sources)
        started = time.perf_counter()
        connection = sqlite3.connect(self.path, isolation_level=None)
        # A bulk load into a new file: nothing to roll back to if it fails.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute(
            f"CREATE VIRTUAL TABLE articles USING fts5({', '.join(TEXT_FIELDS)}, places, "
            f"tokenize = '{self.TOKENIZE}')"
        )
        weights = ", ".join(str(WEIGHTS[name]) for name in TEXT_FIELDS)
        # The rank ORDER BY rank reads: bm25() with the columns' weights, places none.
        connection.execute(
            "INSERT INTO articles(articles, rank) VALUES ('rank', ?)", [f"bm25({weights}, 0.0)"]
        )
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO articles(rowid, title, standfirst, body, places) VALUES (?, ?, ?, ?, ?)",
            (
                (s.id, s.title, s.standfirst, s.body, " ".join(map(place_token, s.places)))
                for s in timed
            ),
        )
        connection.execute("COMMIT")
        connection.execute("INSERT INTO articles(articles) VALUES ('optimize')")
        connection.close()
        seconds = time.perf_counter() - started
        self.open()
        sizes = dict(self.connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
        self.built = Built(
            articles=timed.count,
            seconds=seconds,
            reading_seconds=timed.seconds,
            total_bytes=self.path.stat().st_size,
            stored_bytes=sizes.get("articles_content", 0),
            detail=f"SQLite {sqlite3.sqlite_version}, tokenize '{self.TOKENIZE}', bm25({weights})",
        )
        return self.built

    def open(self) -> None:
        self.connection = sqlite3.connect(self.path, isolation_level=None)
        # Read through the operating system's page cache, as tantivy and PostgreSQL do.
        self.connection.execute(f"PRAGMA mmap_size = {1 << 34}")

    @staticmethod
    def expression(query: PeerQuery) -> str:
        """The query in FTS5's syntax: each word and phrase quoted (so that nothing in it
        is read as an operator), all of them in the text columns."""
        quoted = " AND ".join('"' + term.replace('"', '""') + '"' for term in query.terms)
        expression = f"{{{' '.join(TEXT_FIELDS)}}} : ({quoted})"
        if query.place:
            expression += f' AND places : "{place_token(query.place)}"'
        return expression

    def search(self, query: PeerQuery) -> Answer:
        expression = self.expression(query)
        body = TEXT_FIELDS.index("body")
        rows = self.connection.execute(
            "SELECT rowid, title, snippet(articles, ?, ?, ?, '…', ?) FROM articles "
            "WHERE articles MATCH ? ORDER BY rank LIMIT ?",
            [body, *MARKS, PASSAGE_WORDS, expression, PAGE_SIZE],
        ).fetchall()
        (count,) = self.connection.execute(
            "SELECT count(*) FROM articles WHERE articles MATCH ?", [expression]
        ).fetchone()
        return Answer(count, [Hit(*row) for row in rows])

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class Tantivy:
    """tantivy: one document per article, the places as untokenized terms; BM25 with
    field boosts, block-max WAND for the top 20 beside a count of every match, and a
    ``SnippetGenerator`` for the passage."""

    folder: Path
    name: str = "tantivy"
    built: Built = field(default_factory=Built)
    index: object = None
    schema: object = None

    HEAP_BYTES = 256_000_000

    def _analyzer(self):
        import tantivy

        return (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stemmer("english"))
            .build()
        )

    def build(self, sources: Iterable[Source]) -> Built:
        import tantivy

        path = self.folder / "tantivy"
        path.mkdir(parents=True, exist_ok=False)
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True)
        builder.add_text_field("title", stored=True, tokenizer_name="archive")
        builder.add_text_field("standfirst", tokenizer_name="archive")
        builder.add_text_field("body", stored=True, tokenizer_name="archive")
        builder.add_text_field("places", tokenizer_name="raw", index_option="basic")
        self.schema = builder.build()
        timed = _Timed(sources)
        started = time.perf_counter()
        self.index = tantivy.Index(self.schema, path=str(path))
        self.index.register_tokenizer("archive", self._analyzer())
        writer = self.index.writer(heap_size=self.HEAP_BYTES)
        for source in timed:
            writer.add_document(
                tantivy.Document(
                    id=source.id,
                    title=source.title,
                    standfirst=source.standfirst,
                    body=source.body,
                    places=list(source.places),
                )
            )
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        seconds = time.perf_counter() - started
        searcher = self.index.searcher()
        # The files of the live segments: merged-away ones may linger until a clean-up.
        live = self._segment_ids(path)
        files = [f for f in path.iterdir() if f.name.split(".")[0] in live]
        self.built = Built(
            articles=timed.count,
            seconds=seconds,
            reading_seconds=timed.seconds,
            total_bytes=sum(f.stat().st_size for f in files),
            stored_bytes=sum(f.stat().st_size for f in files if f.suffix == ".store"),
            detail=f"{tantivy.__version__.split(',')[0]}, "
            f"{searcher.num_segments} segment(s), English stemmer and ASCII folding, boosts "
            + " / ".join(f"{WEIGHTS[name]:g}" for name in TEXT_FIELDS),
        )
        return self.built

    @staticmethod
    def _segment_ids(path: Path) -> set[str]:
        meta = json.loads((path / "meta.json").read_text())
        return {segment["segment_id"].replace("-", "") for segment in meta["segments"]}

    def compiled(self, query: PeerQuery):
        import tantivy

        quoted = " ".join('"' + term.replace('"', " ") + '"' for term in query.terms)
        text = self.index.parse_query(
            quoted, list(TEXT_FIELDS), field_boosts=WEIGHTS, conjunction_by_default=True
        )
        if not query.place:
            return text
        # A filter, not a term to score: every article tagged with it scores the same.
        place = tantivy.Query.const_score_query(
            tantivy.Query.term_query(self.schema, "places", query.place), 0.0
        )
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, text), (tantivy.Occur.Must, place)]
        )

    def search(self, query: PeerQuery) -> Answer:
        import tantivy

        compiled = self.compiled(query)
        searcher = self.index.searcher()
        result = searcher.search(compiled, limit=PAGE_SIZE, count=True)
        passages = tantivy.SnippetGenerator.create(searcher, compiled, self.schema, "body")
        passages.set_max_num_chars(PASSAGE_CHARS)
        hits = []
        for _score, address in result.hits:
            document = searcher.doc(address)
            passage = passages.snippet_from_doc(document).to_html()
            hits.append(Hit(document["id"][0], document["title"][0], passage))
        return Answer(result.count, hits)

    def close(self) -> None:
        self.index = None


def build_peers(folder: Path, sources=published_sources) -> list[Fts5 | Tantivy]:
    """Both peers built in ``folder``, each from its own reading of ``sources()``."""
    peers = [Fts5(folder), Tantivy(folder)]
    for peer in peers:
        peer.build(sources())
    return peers

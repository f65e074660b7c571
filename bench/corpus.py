"""A synthetic corpus for benchmarks: published articles of realistic length, sources,
languages and dates, tagged with the gazetteer's entities on a skewed (Zipf-like) spread.

The text is assembled from sentence templates of this beat, and every tagged entity's name
(sometimes an alias) really occurs in it, as often as its mention count says, so that the
tagger and full-text search find what the tags claim. The templates never name an entity
themselves, nor form a longer name with the one put into them (tests check this with the
tagger).

Article ``n`` comes from its own random stream seeded by ``(seed, n)``: the same seed gives
the same articles whatever the batch size or number of workers, and topping a corpus up
later gives the articles one larger run would have. Synthetic rows are marked by their
``source_file`` (``synthetic/<n>.md``) so they can be told apart and removed.
"""

import datetime
import math
import queue
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Alias, Article, Entity, Mention
from articles.text.folding import name_key
from bench import log
from bench.corpus_text import ENGLISH, FILLERS, NATIVE

SYNTHETIC_PREFIX = "synthetic/"
DEFAULT_BATCH_SIZE = 2_000
# From this many new articles on, the full-text indexes are dropped while the rows go in and
# built once afterwards: a RUM index updated row by row costs several times its build, and
# comes out larger than a packed one. The bench database alone is written so.
REBUILD_TEXT_INDEXES_AT = 20_000
TEXT_INDEXED_FIELDS = {"search_vector", "head_vector", "pair_vector"}

FIRST_DAY = datetime.datetime(2021, 8, 1, tzinfo=datetime.UTC)
LAST_DAY = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)  # exclusive
# Coverage thickens once the border war breaks out.
ESCALATION = datetime.datetime(2025, 10, 1, tzinfo=datetime.UTC)
ESCALATION_SHARE = 0.3
# Body length in words: 300 to 1,500, most stories 400 to 700 (a beta distribution, mean ~650).
MIN_WORDS, MAX_WORDS = 300, 1_460
LENGTH_SHAPE = (1.3, 3.2)

# Share of articles tagged with the three entities nearly every story of this beat names.
CORE_SHARES = {"afghanistan": 0.82, "pakistan": 0.78, "taliban": 0.62}
# The others, most often named first (by slug); unlisted entities follow by kind and slug.
PROMINENCE = (
    "tehrik-i-taliban-pakistan", "kabul", "islamabad", "durand-line", "torkham",
    "pakistani-armed-forces", "khyber-pakhtunkhwa", "zabihullah-mujahid",
    "pakistani-deportations-of-afghans", "shehbaz-sharif", "asim-munir", "balochistan",
    "amir-khan-muttaqi", "khawaja-asif", "kandahar", "peshawar", "chaman", "khost",
    "spin-boldak", "nangarhar", "october-2025-border-clashes", "unhcr", "kunar", "paktika",
    "inter-services-public-relations", "doha-ceasefire-2025", "doha", "qatar",
    "hibatullah-akhundzada", "islamic-state-khorasan-province", "baloch-liberation-army",
    "quetta", "north-waziristan", "kurram", "bajaur", "fall-of-kabul-2021", "ishaq-dar",
    "october-2025-pakistani-strikes-on-kabul", "istanbul-peace-talks-2025", "istanbul",
    "turkiye", "sirajuddin-haqqani", "haqqani-network", "unama", "imran-khan",
    "pakistan-tehreek-e-insaf", "inter-services-intelligence", "jalalabad",
    "south-waziristan", "border-crossings-closure-october-2025",
    "late-november-2025-border-clashes", "doha-agreement-2020", "saudi-arabia", "riyadh",
    "ashraf-ghani", "hamid-karzai", "jaffar-express-hijacking", "faiz-hameed",
    "islamic-republic-of-afghanistan", "khyber-pass",
)  # fmt: skip
# Zipf-Mandelbrot shares for the others: the most prominent is in HEAD_SHARE of the
# articles, the least in TAIL_SHARE (a handful in 100,000); the offset flattens the head.
HEAD_SHARE, TAIL_SHARE, ZIPF_OFFSET = 0.4, 0.0002, 5
ALIAS_SHARE = 0.15

SOURCES = {
    "en": {
        "Dawn": 16, "TOLOnews": 13, "The Express Tribune": 11, "Reuters": 10, "Pajhwok": 9,
        "Al Jazeera": 8, "DW": 7, "Geo News": 7, "AP": 5, "BBC": 5, "Khaama Press": 4,
        "Amu TV": 3,
    },
    "fa-AF": {"TOLOnews": 4, "Amu TV": 3, "BBC": 2, "DW": 2, "Pajhwok": 2},
    "ps": {"Pajhwok": 4, "TOLOnews": 3, "BBC": 2, "DW": 2, "Amu TV": 1},
    "ur": {"Geo News": 4, "BBC": 3, "DW": 2, "The Express Tribune": 1},
}  # fmt: skip
# 15% of the corpus in the region's languages (Dari coded as Afghan outlets tag it), the
# rest English.
LANGUAGE_SHARES = {"fa-AF": 0.06, "ps": 0.05, "ur": 0.04}
BYLINES = ("Staff Reporter", "News Desk", "Web Desk", "Our Correspondent", "Monitoring Desk")

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")

# How often each topic is an article's main (or second) topic.
TOPIC_WEIGHTS = {
    "clashes": 30, "militancy": 20, "trade": 15, "returnees": 15, "diplomacy": 12,
    "humanitarian": 8, "politics": 8,
}  # fmt: skip
# Shares of an article's other sentences: main topic, second topic, general voices.
TOPIC_MIX = (0.55, 0.88, 1.0)
WORDS_PER_SENTENCE = {"en": 16, "fa-AF": 8, "ur": 10, "ps": 8}


@dataclass(frozen=True)
class CorpusEntity:
    """A gazetteer entity as the generator uses it."""

    id: int
    kind: str
    slug: str
    name: str
    aliases: tuple[str, ...]  # in Latin script
    native_names: tuple[str, ...]  # in Arabic script


@dataclass
class GeneratedArticle:
    fields: dict
    mentions: Counter  # entity id → times named in the text the tagger reads (article_text)


@dataclass
class GenerationReport:
    created: int = 0
    deleted: int = 0
    mentions: int = 0
    first_number: int = 0
    workers: int = 1
    seconds: float = 0.0
    indexes_rebuilt_seconds: float = 0.0

    @property
    def last_number(self) -> int:
        return self.first_number + self.created - 1


class NoGazetteer(Exception):
    """The database has no entities to tag the corpus with."""


def zipf_shares(count: int) -> list[float]:
    """Zipf-Mandelbrot shares for ``count`` ranks, from HEAD_SHARE down to TAIL_SHARE."""
    if count < 2:
        return [HEAD_SHARE] * count
    exponent = math.log(HEAD_SHARE / TAIL_SHARE) / math.log(
        (count + ZIPF_OFFSET) / (1 + ZIPF_OFFSET)
    )
    scale = HEAD_SHARE * (1 + ZIPF_OFFSET) ** exponent
    return [scale / (rank + ZIPF_OFFSET) ** exponent for rank in range(1, count + 1)]


def english_form(kind: str, name: str) -> str:
    """The name as a sentence uses it: "the Taliban", "the Durand Line", "Kabul"."""
    if kind == Entity.Kind.ORGANISATION:
        is_acronym = not any(c.islower() for c in name)
        if is_acronym or name.startswith(("Tehr", "Pakistan Tehr", "Deutsche", "Fitna")):
            return name
        return f"the {name}"
    if kind == Entity.Kind.PLACE and (
        name.split()[-1] in {"Line", "Pass", "crossing", "district", "Agency", "Province"}
        or name.startswith(("Islamic Republic", "Kingdom", "State of", "Republic of"))
    ):
        return f"the {name}"
    return name


def taggable(name: str) -> bool:
    """Whether the tagger can find ``name`` in a text. It looks a match up by folding the
    already folded text again, so a name whose folded form folds differently a second time
    (Arabic-script names with a hamza on yeh, "ئ": "کوئٹہ") is never found; the generator
    leaves such spellings out."""
    key = name_key(name)
    return bool(key) and name_key(key) == key


class _Filler(dict):
    """Fills a template: ``{e}`` with the name given, other slots at random from FILLERS.
    The sentence starts with a capital even when the name does not ("the Taliban")."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __call__(self, template: str, name: str = "") -> str:
        if "{" not in template:  # most sentences: nothing to fill, already capitalised
            return template
        self["e"] = name
        text = template.format_map(self)
        return text[0].upper() + text[1:]

    def __missing__(self, key: str) -> str:
        value = self.rng.choice(FILLERS[key.lower()])
        return value[0].upper() + value[1:] if key[0].isupper() else value


class _Deck:
    """Draws templates without repeats until all have been used, then reshuffles."""

    def __init__(self, rng: random.Random, cards: Sequence[str]):
        self.rng, self.cards, self.left = rng, cards, []

    def draw(self) -> str:
        if not self.left:
            self.left = list(self.cards)
            self.rng.shuffle(self.left)
        return self.left.pop()


class CorpusGenerator:
    """Generates article ``n`` of the corpus for a seed; touches no database."""

    def __init__(self, entities: Sequence[CorpusEntity], seed: int = 0, now=None):
        if not entities:
            raise NoGazetteer("No entities to tag with: import the gazetteer first.")
        self.seed = seed
        by_slug = {e.slug: e for e in entities}
        self.core = [(by_slug[s], share) for s, share in CORE_SHARES.items() if s in by_slug]
        self.core_ids = {e.id for e, _ in self.core}
        prominence = {slug: rank for rank, slug in enumerate(PROMINENCE)}
        others = sorted(
            (e for e in entities if e.id not in self.core_ids),
            key=lambda e: (prominence.get(e.slug, len(prominence)), e.kind, e.slug),
        )
        self.ranked = list(zip(others, zipf_shares(len(others)), strict=True))
        self.rank_weights = [share for _, share in self.ranked]
        # Nothing dated after today, so every article is public at once (and the same
        # seed gives the same dates all day).
        today = (now or timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
        self.last_day = min(LAST_DAY, today)
        self.sources = {
            language: (list(weights), list(weights.values()))
            for language, weights in SOURCES.items()
        }

    @classmethod
    def from_database(cls, seed: int = 0) -> "CorpusGenerator":
        aliases: dict[int, list[str]] = {}
        for entity_id, name in Alias.objects.order_by("id").values_list("entity_id", "name"):
            aliases.setdefault(entity_id, []).append(name)
        entities = []
        for entity_id, kind, slug, name in Entity.objects.order_by("id").values_list(
            "id", "kind", "slug", "name"
        ):
            names = [a for a in aliases.get(entity_id, []) if taggable(a)]
            latin = tuple(a for a in names if not _ARABIC_SCRIPT.search(a))
            native = tuple(a for a in names if _ARABIC_SCRIPT.search(a))
            entities.append(CorpusEntity(entity_id, kind, slug, name, latin, native))
        return cls(entities, seed)

    def article(self, number: int) -> GeneratedArticle:
        rng = random.Random(f"{self.seed}/{number}")  # noqa: S311 (sample data, not secrets)
        language = self._language(rng)
        tagged = self._tags(rng, language)
        mentions: Counter = Counter()
        name = self._namer(rng, language, mentions)
        fill = _Filler(rng)
        vocabulary = ENGLISH if language == "en" else NATIVE[language]
        # The subject is the least prominent entity named: the story's own topic.
        subject = tagged[-1]
        if language == "en":
            title = fill(rng.choice(vocabulary["title"][subject.kind]), name(subject))
            other = rng.choice(tagged)
            standfirst = fill(rng.choice(vocabulary["standfirst"][other.kind]), name(other))
        else:
            title = fill(rng.choice(vocabulary["title"]), name(subject))
            other = rng.choice(tagged)
            standfirst = fill(rng.choice(self._templates(vocabulary, other.kind)), name(other))
        # Each entity is named 1 to 8 times in all (the core ones more); the body names it
        # as often as the title and standfirst have not.
        pending = []
        for entity in tagged:
            rate = 0.6 if entity.id in self.core_ids else 1.4
            wanted = 1 + min(7, int(rng.expovariate(rate)))
            pending += [entity] * max(0, wanted - mentions[entity.id])
        rng.shuffle(pending)
        body = self._body(rng, fill, vocabulary, language, pending, name)
        source_names, source_weights = self.sources[language]
        source = rng.choices(source_names, source_weights)[0]
        return GeneratedArticle(
            fields={
                "title": title,
                "slug": f"{slugify(title)[:150].strip('-') or 'article'}-{number}",
                "standfirst": standfirst,
                "body": body,
                "source_name": source,
                "byline": self._byline(rng, source),
                "language": language,
                "published_at": self._date(rng),
                "status": Article.Status.PUBLISHED,
                "source_file": f"{SYNTHETIC_PREFIX}{number}.md",
            },
            mentions=mentions,
        )

    @staticmethod
    def _language(rng: random.Random) -> str:
        roll = rng.random()
        for language, share in LANGUAGE_SHARES.items():
            roll -= share
            if roll < 0:
                return language
        return "en"

    def _tags(self, rng: random.Random, language: str) -> list[CorpusEntity]:
        """The core entities each by its share, the others each by its Zipf share, and
        always one besides the core: the story's own subject. Prominent ones first."""

        def usable(entity):  # other languages name only entities they have a name for
            return language == "en" or bool(entity.native_names)

        tagged = [e for e, share in self.core if usable(e) and rng.random() < share]
        others = [e for e, share in self.ranked if usable(e) and rng.random() < share]
        for _ in range(50 if self.ranked and not others else 0):
            candidate = rng.choices(self.ranked, self.rank_weights)[0][0]
            if usable(candidate):
                others.append(candidate)
                break
        if not tagged and not others:
            tagged = [self.core[0][0] if self.core else self.ranked[0][0]]
        return tagged + others

    @staticmethod
    def _namer(rng, language: str, mentions: Counter) -> Callable[[CorpusEntity], str]:
        """Names an entity as a text would (mostly by its name, sometimes by an alias) and
        counts the mention."""

        def name(entity: CorpusEntity) -> str:
            mentions[entity.id] += 1
            if language != "en":
                return rng.choice(entity.native_names)
            if entity.aliases and rng.random() < ALIAS_SHARE:
                return english_form(entity.kind, rng.choice(entity.aliases))
            return english_form(entity.kind, entity.name)

        return name

    @staticmethod
    def _templates(vocabulary: dict, kind: str) -> Sequence[str]:
        if vocabulary is ENGLISH:
            return vocabulary[kind]
        return vocabulary["place" if kind == Entity.Kind.PLACE else "actor"]

    def _body(self, rng, fill, vocabulary, language, pending, name) -> str:
        target = MIN_WORDS + int((MAX_WORDS - MIN_WORDS) * rng.betavariate(*LENGTH_SHAPE))
        per_sentence = WORDS_PER_SENTENCE[language]
        pools = self._pools(rng, vocabulary)
        paragraphs, paragraph, words = [], [], 0
        length = rng.randint(2, 5)
        while words < target or pending:
            # Spread the pending mentions over the sentences still to come.
            if pending and rng.random() * ((target - words) / per_sentence) < len(pending):
                entity = pending.pop()
                templates = self._templates(vocabulary, entity.kind)
                sentence = fill(rng.choice(templates), name(entity))
            else:
                roll = rng.random()
                deck = next(deck for share, deck in pools if roll < share)
                sentence = fill(deck.draw())
            paragraph.append(sentence)
            words += sentence.count(" ") + 1
            if len(paragraph) == length:
                paragraphs.append(" ".join(paragraph))
                paragraph, length = [], rng.randint(2, 5)
        if paragraph:
            paragraphs.append(" ".join(paragraph))
        # A few subheads, never first and never two in a row.
        slots = range(1, len(paragraphs))
        wanted = min(len(slots), rng.randint(1, 4), max(1, len(paragraphs) // 3))
        subheads = _Deck(rng, vocabulary["subheads"])
        for position in sorted(rng.sample(slots, wanted), reverse=True):
            paragraphs.insert(position, "## " + subheads.draw())
        return "\n\n".join(paragraphs)

    @staticmethod
    def _pools(rng, vocabulary) -> list[tuple[float, "_Deck"]]:
        """Where the article's other sentences come from: (cumulative share, deck)."""
        if "topics" not in vocabulary:
            return [(1.0, _Deck(rng, vocabulary["generic"]))]
        names, weights = list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values())
        main = rng.choices(names, weights)[0]
        others = [(n, w) for n, w in TOPIC_WEIGHTS.items() if n != main]
        second = rng.choices([n for n, _ in others], [w for _, w in others])[0]
        decks = [vocabulary["topics"][main], vocabulary["topics"][second], vocabulary["voices"]]
        return [(share, _Deck(rng, d)) for share, d in zip(TOPIC_MIX, decks, strict=True)]

    @staticmethod
    def _byline(rng, source: str) -> str:
        if source == "DW":  # DW signs with its desk's initials, as in the seed
            letters = "abcdefghijklmnoprstwz"
            return "/".join("".join(rng.choices(letters, k=rng.choice((2, 3)))) for _ in range(2))
        if source in {"Reuters", "AP", "Al Jazeera", "BBC"}:
            return f"{source} staff" if rng.random() < 0.5 else ""
        return rng.choice(BYLINES) if rng.random() < 0.6 else ""

    def _date(self, rng) -> datetime.datetime:
        start = ESCALATION if rng.random() < ESCALATION_SHARE else FIRST_DAY
        start = min(start, self.last_day - datetime.timedelta(days=1))
        day = start + (self.last_day - start) * rng.random()
        return day.replace(
            hour=rng.randint(4, 20), minute=rng.randrange(60), second=0, microsecond=0
        )


# Writing


def synthetic_articles():
    return Article.objects.filter(source_file__startswith=SYNTHETIC_PREFIX)


def synthetic_number(source_file: str) -> int | None:
    stem = source_file.removeprefix(SYNTHETIC_PREFIX).removesuffix(".md")
    return int(stem) if stem.isdigit() else None


def next_synthetic_number() -> int:
    existing = synthetic_articles().values_list("source_file", flat=True)
    return max(filter(None, map(synthetic_number, existing)), default=0) + 1


def delete_synthetic() -> int:
    """Deletes the synthetic articles and their tags; returns how many articles."""
    Mention.objects.filter(article__in=synthetic_articles()).delete()
    deleted, _ = synthetic_articles().only("pk").delete()
    return deleted


def write_batch(generator: CorpusGenerator, numbers: range) -> int:
    """Generates and inserts articles ``numbers`` with their tags; returns the tag count.
    Run in a transaction, which a batch may hold longer than a request's statement timeout
    allows (on a loaded machine, with the indexes of a million articles to update)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '10min'")
    generated = [generator.article(n) for n in numbers]
    articles = Article.objects.bulk_create([Article(**g.fields) for g in generated])
    mentions = [
        Mention(article_id=article.pk, entity_id=entity_id, count=times, origin="text")
        for article, g in zip(articles, generated, strict=True)
        for entity_id, times in g.mentions.items()
    ]
    Mention.objects.bulk_create(mentions, batch_size=10_000)
    return len(mentions)


def generate_corpus(
    count: int,
    *,
    seed: int = 0,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> GenerationReport:
    """Creates ``count`` synthetic articles numbered after the existing ones, or instead of
    them with ``replace``.

    With one worker everything (the deletion too) happens in one transaction on the
    current connection. With more, worker threads insert the batches on their own
    connections, so that the database computes the search vectors on several cores. Each
    batch is then its own transaction, so that no worker holds a lock another one waits
    for across batches (a trigger updating a shared row would otherwise deadlock them);
    if a batch fails, the articles this run committed are deleted again before the error
    is raised. The deletion of --replace is committed first too. Inside a caller's
    transaction (tests) other connections would not see its data: one worker there.
    From REBUILD_TEXT_INDEXES_AT articles on, the workers write with the full-text indexes
    dropped, and they are built again at the end.
    """
    started = time.perf_counter()
    generator = CorpusGenerator.from_database(seed)
    report = GenerationReport(workers=1 if connection.in_atomic_block else max(1, workers))
    lock = threading.Lock()

    def written(articles: int, mentions: int) -> None:
        with lock:
            report.created += articles
            report.mentions += mentions
            if progress:
                progress(report.created, count)

    with transaction.atomic():
        if replace:
            report.deleted = delete_synthetic()
        report.first_number = next_synthetic_number()
        batches = [
            range(start, min(start + batch_size, report.first_number + count))
            for start in range(report.first_number, report.first_number + count, batch_size)
        ]
        if report.workers == 1:
            for numbers in batches:
                written(len(numbers), write_batch(generator, numbers))
    if report.workers > 1:
        rebuild = count >= REBUILD_TEXT_INDEXES_AT
        with _text_indexes_built_after(report) if rebuild else nullcontext():
            _write_in_parallel(generator, batches, report.workers, written)
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _text_indexes_built_after(report: GenerationReport) -> Iterator[None]:
    """Drops the article table's full-text indexes, and builds them again when the block
    ends, however it ends. A process killed in between leaves them missing:
    build_missing_text_indexes() (which the benchmark runs every time) builds them then."""
    with connection.schema_editor() as editor:
        for index in _text_indexes():
            editor.execute(f"DROP INDEX IF EXISTS {editor.quote_name(index.name)}")
    try:
        yield
    finally:
        report.indexes_rebuilt_seconds = build_missing_text_indexes()


def _text_indexes() -> list:
    """The indexes of the article table's search vectors, by their columns or of an
    expression of them."""
    return [i for i in Article._meta.indexes if TEXT_INDEXED_FIELDS.intersection(_columns(i))]


def _columns(index) -> set[str]:
    expressions = [node for expression in index.expressions for node in expression.flatten()]
    return set(index.fields) | {node.name for node in expressions if isinstance(node, F)}


def build_missing_text_indexes() -> float:
    """Builds the full-text indexes the article table lacks; returns the seconds taken."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s",
            [Article._meta.db_table],
        )
        present = {name for (name,) in cursor.fetchall()}
    for index in _text_indexes():
        if index.name in present:
            continue
        log(f"building index {index.name} over the articles")
        with connection.schema_editor() as editor:
            editor.execute("SET LOCAL statement_timeout = 0")
            editor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            editor.add_index(Article, index)
    return time.perf_counter() - started


def _write_in_parallel(generator, batches, workers: int, written) -> None:
    jobs: queue.SimpleQueue[range] = queue.SimpleQueue()
    for numbers in batches:
        jobs.put(numbers)
    failed = threading.Event()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            while not failed.is_set():
                try:
                    numbers = jobs.get_nowait()
                except queue.Empty:
                    break
                with transaction.atomic():
                    mentions = write_batch(generator, numbers)
                written(len(numbers), mentions)
        except BaseException as error:
            errors.append(error)
            failed.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, name=f"corpus-{i}") for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        for numbers in batches:  # undo the batches that were committed
            files = [f"{SYNTHETIC_PREFIX}{n}.md" for n in numbers]
            with transaction.atomic():
                Mention.objects.filter(article__in=Article.objects.from_files(files)).delete()
                Article.objects.from_files(files).only("pk").delete()
        raise errors[0]

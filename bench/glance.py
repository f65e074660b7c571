"""What the timeline, the map and the quotation pages read, added to the synthetic corpus
(bench/corpus.py) so that at 100,000 articles they have the work they would have:

* events: EVENTS synthetic events over the corpus's years, at every date precision, each
  at one to three of the gazetteer's places and with one to three of its people and
  organisations, and declared by some synthetic articles (as a sidecar declares the seed's
  events: a declared tag needs no words in the text);
* quotations: a share of the synthetic English articles' tagged people, each given a
  sentence of the article's own text as their words (found in the text by no finder, but
  where a link to the passage finds it).

Idempotent and separate from the articles themselves, so that a corpus made before this
existed gets them too, and the corpus's own text and tags stay as the generator made them.
Deterministic for a seed.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import connection, transaction

from articles.dates import DatePrecision
from articles.models import Entity, Mention
from bench.corpus import FIRST_DAY, LAST_DAY, SYNTHETIC_PREFIX, synthetic_articles

EVENTS = 400
EVENT_PREFIX = "synthetic-event-"
# Synthetic articles declaring each event, at most.
ARTICLES_PER_EVENT = 120
# The share of (English article, tagged person) pairs that get a quotation.
QUOTED_SHARE = 0.8
PRECISIONS = [
    (DatePrecision.DAY, 60),
    (DatePrecision.EARLY_MONTH, 6),
    (DatePrecision.MID_MONTH, 6),
    (DatePrecision.LATE_MONTH, 10),
    (DatePrecision.MONTH, 14),
    (DatePrecision.YEAR, 4),
]
HAPPENINGS = (
    "Border clash", "Cross-border shelling", "Air strike", "Crossing closed", "Talks",
    "Prisoner exchange", "Refugee returns", "Drone strike", "Ceasefire breach",
    "Trade talks", "Protest", "Militant attack",
)  # fmt: skip


@dataclass
class GlanceReport:
    events: int = 0
    declared: int = 0
    quotations: int = 0


def synthetic_events():
    return Entity.objects.filter(kind=Entity.Kind.EVENT, slug__startswith=EVENT_PREFIX)


@transaction.atomic
def add_glance_data(seed: int = 0, events: int = EVENTS) -> GlanceReport:
    """Adds the events the corpus lacks (all or none), and quotations to the synthetic
    articles that have none."""
    report = GlanceReport()
    rng = random.Random(f"glance/{seed}")  # noqa: S311 (sample data, not secrets)
    if not synthetic_events().exists():
        report.events, report.declared = _add_events(rng, events)
    report.quotations = _add_quotations(seed)
    return report


def _add_events(rng: random.Random, count: int) -> tuple[int, int]:
    places = list(Entity.objects.filter(kind=Entity.Kind.PLACE).values_list("pk", "name"))
    actors = list(
        Entity.objects.filter(kind__in=[Entity.Kind.PERSON, Entity.Kind.ORGANISATION])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    articles = list(synthetic_articles().order_by("pk").values_list("pk", flat=True))
    if not places or not actors:
        return 0, 0
    precisions, weights = zip(*PRECISIONS, strict=True)
    span = (LAST_DAY - FIRST_DAY).days
    made = []
    for number in range(1, count + 1):
        day = (FIRST_DAY + datetime.timedelta(days=rng.randrange(span))).date()
        precision = rng.choices(precisions, weights)[0]
        where = rng.sample(places, rng.randint(1, min(3, len(places))))
        event = Entity(
            kind=Entity.Kind.EVENT,
            slug=f"{EVENT_PREFIX}{number}",
            name=f"{rng.choice(HAPPENINGS)} near {where[0][1]} ({number})",
            start_date=day,
            start_precision=precision,
        )
        if precision == DatePrecision.DAY and rng.random() < 0.2:
            event.end_date = day + datetime.timedelta(days=rng.randint(1, 20))
            event.end_precision = rng.choice([DatePrecision.DAY, DatePrecision.MONTH])
        made.append((event, [pk for pk, _ in where], rng.sample(actors, rng.randint(1, 3))))
    Entity.objects.bulk_create([event for event, _, _ in made])
    Entity.places.through.objects.bulk_create(
        Entity.places.through(from_entity=event, to_entity_id=place)
        for event, where, _ in made
        for place in where
    )
    Entity.participants.through.objects.bulk_create(
        Entity.participants.through(from_entity=event, to_entity_id=actor)
        for event, _, who in made
        for actor in who
    )
    declared = [
        Mention(article_id=article, entity=event, count=0, origin=Mention.Origin.DECLARED)
        for event, _, _ in made
        for article in rng.sample(articles, min(len(articles), rng.randint(0, ARTICLES_PER_EVENT)))
    ]
    Mention.objects.bulk_create(declared, batch_size=10_000)
    return len(made), len(declared)


# A sentence of the article's first paragraph after a subhead or the opening one: its own
# words, in PostgreSQL's regular expressions.
_SENTENCE = r"\n\n([A-Z][^#\n.!?]{30,250}[.!?])"


def _add_quotations(seed: int) -> int:
    """One statement: for a share of the synthetic English articles' tagged people (chosen
    by a hash of the pair and the seed), a sentence of the article as their words; one
    quotation an article, and none to an article that has any."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '10min'")
        cursor.execute(
            """
            WITH chosen AS (
                SELECT DISTINCT ON (m.article_id) m.article_id, m.entity_id
                FROM articles_mention m
                JOIN articles_entity e ON e.id = m.entity_id AND e.kind = 'person'
                WHERE abs(hashtext(m.article_id::text || '/' || m.entity_id::text || '/'
                                   || %(seed)s::text)) %% 1000 < %(share)s
                ORDER BY m.article_id, m.entity_id
            ), words AS (
                SELECT c.article_id, c.entity_id, substring(a.body from %(sentence)s) AS passage
                FROM chosen c
                JOIN articles_article a ON a.id = c.article_id
                WHERE a.source_file LIKE %(synthetic)s AND a.language = 'en'
                  AND NOT EXISTS (
                      SELECT 1 FROM articles_quotation q WHERE q.article_id = a.id
                  )
            )
            INSERT INTO articles_quotation (article_id, person_id, passage, position, origin)
            SELECT article_id, entity_id, passage, 1, 'text' FROM words
            WHERE passage IS NOT NULL
            ON CONFLICT DO NOTHING
            """,
            {
                "seed": seed,
                "share": round(QUOTED_SHARE * 1000),
                "sentence": _SENTENCE,
                "synthetic": f"{SYNTHETIC_PREFIX}%",
            },
        )
        return cursor.rowcount

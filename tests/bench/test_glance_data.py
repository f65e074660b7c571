"""Events and quotations for the synthetic corpus (bench/glance.py), so that the timeline,
the map and the quotation pages have work to do in the benchmark."""

from django.core.management import call_command

from articles.models import Entity, GazetteerChange, Mention, Quotation
from bench.archive import retag_noted_changes
from bench.corpus import synthetic_articles
from bench.glance import add_glance_data, synthetic_events
from tests.support.factories import make_article, make_entity


def test_adds_dated_linked_declared_events_and_quotations_once(seeded):
    call_command("generate_corpus", 300, seed=5, verbosity=0)
    report = add_glance_data(seed=1, events=25)
    assert report.events == 25 == synthetic_events().count()
    events = synthetic_events().prefetch_related("places", "participants")
    assert all(event.start_date and event.places.exists() for event in events)
    assert all(event.participants.exists() for event in events)
    assert len({event.start_precision for event in events}) >= 3
    declared = Mention.objects.filter(entity__in=events)
    assert declared.count() == report.declared > 0
    assert set(declared.values_list("origin", flat=True)) == {"declared"}
    quotations = Quotation.objects.filter(article__in=synthetic_articles())
    assert quotations.count() == report.quotations > 10
    for quotation in quotations.select_related("article", "person")[:50]:
        assert quotation.person.kind == Entity.Kind.PERSON
        assert quotation.article.mentions.filter(entity=quotation.person).exists()
        assert quotation.passage in quotation.article.body
    again = add_glance_data(seed=1, events=25)
    assert (again.events, again.declared, again.quotations) == (0, 0, 0)
    assert synthetic_events().count() == 25


def test_the_gazetteers_noted_changes_are_read_before_the_import_is_timed(db):
    """An event added to an archive whose names were read before is noted for re-tagging;
    the benchmark reads it, so the timed import does not."""
    article = make_article(title="Protest near Bajaur", body="Crowds gathered.")
    event = make_entity(kind=Entity.Kind.EVENT, name="Protest near Bajaur")
    assert GazetteerChange.objects.exists()
    assert retag_noted_changes() >= 1
    assert not GazetteerChange.objects.exists()
    assert Mention.objects.filter(article=article, entity=event).exists()
    assert retag_noted_changes() == 0

"""The kinds of entity the archive knows, in one table that everything reads: the model's
choices, the URLs, page titles, facets, the admin, the gazetteer files and the search.
Adding a kind is a row here and a migration for the model's check constraint."""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EntityKind:
    value: str
    label: str
    plural: str
    url_prefix: str
    # Its type in schema.org's vocabulary, which pages publish as JSON-LD.
    schema_type: str
    # The fields of the model only this kind has, beside the name, slug and description.
    fields: tuple[str, ...]
    # What the pages call one and many, in the reader's language (``label`` and ``plural``
    # stay English: the API's, the exports' and the admin's vocabulary).
    shown: Promise
    shown_plural: Promise
    # Whether events name entities of this kind as their participants.
    takes_part_in_events: bool = False

    @property
    def title(self) -> str:
        return self.label.capitalize()


KINDS = (
    EntityKind(
        "person", "person", "People", "people", "Person", ("role",),
        shown=_("Person"), shown_plural=_("People"), takes_part_in_events=True,
    ),
    EntityKind(
        "place", "place", "Places", "places", "Place", ("country", "latitude", "longitude"),
        shown=_("Place"), shown_plural=_("Places"),
    ),
    EntityKind(
        "event",
        "event",
        "Events",
        "events",
        "Event",
        ("start_date", "start_precision", "end_date", "end_precision", "places", "participants"),
        shown=_("Event"), shown_plural=_("Events"),
    ),
    EntityKind(
        "organisation", "organisation", "Organisations", "organisations", "Organization", (),
        shown=_("Organisation"), shown_plural=_("Organisations"), takes_part_in_events=True,
    ),
)  # fmt: skip
BY_VALUE = {kind.value: kind for kind in KINDS}
VALUES = tuple(BY_VALUE)
PARTICIPANT_KINDS = tuple(kind.value for kind in KINDS if kind.takes_part_in_events)

Kind = models.TextChoices("Kind", [(k.value.upper(), (k.value, k.label)) for k in KINDS])

"""The archive's places on maps drawn by the server (articles/geo/): the map of the region,
every place a marker sized by its published articles, and a small map on a place's page."""

import logging

from articles.geo.atlas import AtlasMissing
from articles.geo.drawing import REGION, Map, PlacePoint, draw_map
from articles.models import Entity, EntityLink

logger = logging.getLogger(__name__)

# A place page's map: this many degrees of longitude around the place, this wide.
PLACE_MAP_SPAN, PLACE_MAP_WIDTH = 12.0, 320


def _drawn(frame, points) -> Map | None:
    """The map, or None where its boundaries are not installed: the page goes on without
    it (the places' table stands in), and the log says why."""
    try:
        return draw_map(frame, points)
    except AtlasMissing as error:
        logger.error("%s", error)
        return None


def places_map() -> tuple[Map | None, list[PlacePoint]]:
    """Every place with coordinates, with its published articles (one query), drawn."""
    rows = (
        Entity.objects.of_kind(Entity.Kind.PLACE)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .with_article_counts()
        .order_by("name")
        .values_list("slug", "name", "latitude", "longitude", "article_count")
    )
    points = [
        PlacePoint(EntityLink(Entity.Kind.PLACE, slug, name), name, latitude, longitude, count)
        for slug, name, latitude, longitude, count in rows
    ]
    return _drawn(REGION, points), points


def place_map(place: Entity) -> Map | None:
    """The country around ``place`` (with ``with_article_counts()``), and its marker."""
    if not place.has_coordinates:
        return None
    frame = REGION.around(place.longitude, place.latitude, PLACE_MAP_SPAN, PLACE_MAP_WIDTH)
    point = PlacePoint(
        EntityLink(place.kind, place.slug, place.name),
        place.name,
        place.latitude,
        place.longitude,
        getattr(place, "article_count", 0),
    )
    return _drawn(frame, [point])

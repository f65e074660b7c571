"""The archive's places on maps drawn by the server (articles/geo/): the map of the region,
every place a marker sized by its published articles, and a small map on a place's page."""

from articles.geo.drawing import REGION, Map, PlacePoint, draw_map
from articles.models import Entity, EntityLink

# A place page's map: this many degrees of longitude around the place, this wide.
PLACE_MAP_SPAN, PLACE_MAP_WIDTH = 12.0, 320


def places_map() -> Map:
    """Every place with coordinates, with its published articles: one query."""
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
    return draw_map(REGION, points)


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
    return draw_map(frame, [point])

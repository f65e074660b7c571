"""Maps drawn as SVG by the server: countries clipped to a frame, the Afghanistan-Pakistan
border (the Durand Line) drawn as such, and places as markers sized by their articles,
labelled where a label fits.

A frame is a window of longitude and latitude drawn at a width in pixels, in an
equirectangular projection whose longitudes are shortened by the cosine of the frame's
middle latitude: at the scale of a region, as true to shape as the page needs. Outlines are
simplified to what shows at that width, clipped to the frame and written as relative path
steps of a tenth of a pixel, so a page carries tens of kilobytes of map, not the atlas.
"""

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from articles.geo.atlas import Atlas, load_atlas

AFGHANISTAN, PAKISTAN = "004", "586"
# Points closer than this (pixels) to the last one kept are left out of an outline.
TOLERANCE = 0.8
# A country is named on the map when it covers this share of the frame.
NAMED_COUNTRY_SHARE = 0.02
MARKER_RADIUS = (3.0, 22.0)  # the least and the most articles
LABEL_SIZE = 12  # pixels: what the stylesheet gives map labels
LABEL_CHAR_WIDTH = 0.6  # of LABEL_SIZE, a wide estimate of a character's width


@dataclass(frozen=True)
class Frame:
    west: float
    south: float
    east: float
    north: float
    width: int

    @functools.cached_property
    def scale(self) -> float:
        """Pixels per degree of latitude."""
        middle = math.radians((self.south + self.north) / 2)
        return self.width / ((self.east - self.west) * math.cos(middle))

    @functools.cached_property
    def height(self) -> int:
        return round((self.north - self.south) * self.scale)

    def project(self, longitude: float, latitude: float) -> tuple[float, float]:
        middle = math.radians((self.south + self.north) / 2)
        return (
            (longitude - self.west) * self.scale * math.cos(middle),
            (self.north - latitude) * self.scale,
        )

    def contains(self, longitude: float, latitude: float) -> bool:
        return self.west <= longitude <= self.east and self.south <= latitude <= self.north

    def around(self, longitude: float, latitude: float, span: float, width: int) -> "Frame":
        """A frame of ``span`` degrees of longitude centred on a point."""
        half_height = span * math.cos(math.radians(latitude)) * 0.35
        return Frame(
            round(longitude - span / 2, 2),
            round(latitude - half_height, 2),
            round(longitude + span / 2, 2),
            round(latitude + half_height, 2),
            width,
        )


# Afghanistan, Pakistan and their neighbours.
REGION = Frame(west=59.5, south=24.0, east=76.5, north=38.8, width=960)


@dataclass(frozen=True)
class CountryShape:
    code: str
    name: str
    path: str
    label: tuple[float, float] | None  # where its name goes, if it is named


@dataclass(frozen=True)
class Border:
    name: str
    path: str
    label: tuple[float, float]


@dataclass(frozen=True)
class BaseLayer:
    frame: Frame
    countries: tuple[CountryShape, ...]
    border: Border | None  # the Durand Line, where the frame shows it


@dataclass(frozen=True)
class PlacePoint:
    """A place to mark: ``link`` is whatever the template links it with."""

    link: object
    name: str
    latitude: float
    longitude: float
    articles: int


@dataclass(frozen=True)
class Marker:
    place: PlacePoint
    x: float
    y: float
    radius: float
    label: tuple[float, float, str] | None  # x, y and text-anchor, where a label fits


@dataclass(frozen=True)
class Map:
    base: BaseLayer
    markers: tuple[Marker, ...]
    beyond: tuple[PlacePoint, ...]  # the places outside the frame
    named_countries: tuple[CountryShape, ...]  # those whose names fit

    @property
    def view_box(self) -> str:
        return f"0 0 {self.base.frame.width} {self.base.frame.height}"


def draw_map(frame: Frame, places: Sequence[PlacePoint], *, atlas: Atlas | None = None) -> Map:
    """The frame's countries and border, and a marker for each place inside it, the
    largest first underneath (so small markers stay clickable), labelled greedily."""
    base = base_layer(frame, atlas or load_atlas())
    inside = [p for p in places if frame.contains(p.longitude, p.latitude)]
    most = max((p.articles for p in inside), default=0)
    low, high = MARKER_RADIUS
    taken: list[tuple[float, float, float, float]] = []
    if base.border:
        taken.append(_label_box(*base.border.label, "middle", base.border.name))
    markers = []
    for place in sorted(inside, key=lambda p: (-p.articles, p.name)):
        x, y = frame.project(place.longitude, place.latitude)
        radius = low + (high - low) * math.sqrt(place.articles / most) if most else low
        markers.append((place, round(x, 1), round(y, 1), round(radius, 1)))
    taken += [(x - r, y - r, x + r, y + r) for _, x, y, r in markers]
    placed = []
    for place, x, y, radius in markers:
        label = _fit_label(x, y, radius, place.name, frame, taken)
        if label:
            taken.append(_label_box(*label, place.name))
        placed.append(Marker(place, x, y, radius, label))
    beyond = tuple(p for p in places if not frame.contains(p.longitude, p.latitude))
    # Countries are named where no place or its label is.
    names = tuple(
        country
        for country in base.countries
        if country.label
        and not any(
            _overlap(_label_box(*country.label, "middle", country.name), box) for box in taken
        )
    )
    return Map(base, tuple(placed), beyond, names)


def _label_box(x: float, y: float, anchor: str, text: str) -> tuple[float, float, float, float]:
    width = len(text) * LABEL_SIZE * LABEL_CHAR_WIDTH
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return (left, y - LABEL_SIZE, left + width, y + 3)


def _fit_label(x, y, radius, text, frame: Frame, taken) -> tuple[float, float, str] | None:
    """The first of right, left, above and below where the label overlaps nothing drawn
    and stays inside the frame; None if none does (the marker keeps its title)."""
    gap = radius + 3
    for spot in (
        (x + gap, y + 4, "start"),
        (x - gap, y + 4, "end"),
        (x, y - gap - 1, "middle"),
        (x, y + gap + LABEL_SIZE - 1, "middle"),
    ):
        box = _label_box(*spot, text)
        inside = box[0] >= 0 and box[1] >= 0 and box[2] <= frame.width and box[3] <= frame.height
        if inside and not any(_overlap(box, other) for other in taken):
            return (round(spot[0], 1), round(spot[1], 1), spot[2])
    return None


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@functools.lru_cache(maxsize=64)
def base_layer(frame: Frame, atlas: Atlas) -> BaseLayer:
    """The countries the frame shows and the Durand Line: the same for every request of
    a frame, so computed once per process."""
    margin = 4.0
    box = (-margin, -margin, frame.width + margin, frame.height + margin)
    countries = []
    for country in atlas.countries:
        if (
            country.east < frame.west
            or country.west > frame.east
            or country.north < frame.south
            or country.south > frame.north
        ):
            continue
        rings = []
        for polygon in country.polygons:
            for ring in polygon:
                clipped = _clip([frame.project(*point) for point in ring], box)
                if len(clipped) >= 3:
                    rings.append(clipped)
        path = "".join(_path(ring, closed=True) for ring in rings)
        if path:
            countries.append(
                CountryShape(country.code, country.name, path, _name_spot(rings, frame))
            )
    border = None
    if AFGHANISTAN in atlas.by_code and PAKISTAN in atlas.by_code:
        lines = [
            [frame.project(*point) for point in line]
            for line in atlas.shared_border(AFGHANISTAN, PAKISTAN)
        ]
        path = "".join(_path(line, closed=False) for line in lines if line)
        points = [point for line in lines for point in line]
        inside = [(x, y) for x, y in points if 0 <= x <= frame.width and 0 <= y < frame.height]
        if path and inside:
            # Named below its southernmost point, away from the crowded north.
            x, y = max(inside, key=lambda point: point[1])
            border = Border("Durand Line", path, (round(x, 1), round(y + 16, 1)))
    return BaseLayer(frame, tuple(countries), border)


def _clip(ring: list[tuple[float, float]], box) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: the part of a ring inside ``box`` (left, top, right, bottom)."""
    left, top, right, bottom = box
    edges = (
        (lambda p: p[0] >= left, lambda a, b: _cross_x(a, b, left)),
        (lambda p: p[0] <= right, lambda a, b: _cross_x(a, b, right)),
        (lambda p: p[1] >= top, lambda a, b: _cross_y(a, b, top)),
        (lambda p: p[1] <= bottom, lambda a, b: _cross_y(a, b, bottom)),
    )
    points = ring
    for inside, cross in edges:
        if not points:
            break
        kept = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    kept.append(cross(previous, point))
                kept.append(point)
            elif inside(previous):
                kept.append(cross(previous, point))
            previous = point
        points = kept
    return points


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def _path(points: Sequence[tuple[float, float]], *, closed: bool) -> str:
    """SVG path data: a move to the first point, then relative steps in tenths of a pixel,
    leaving out points within TOLERANCE of the last one kept."""
    tenths = [(round(x * 10), round(y * 10)) for x, y in points]
    if not tenths:
        return ""
    last_x, last_y = tenths[0]
    steps = [f"M{_number(last_x)} {_number(last_y)}"]
    limit = (TOLERANCE * 10) ** 2
    for index, (x, y) in enumerate(tenths[1:], 1):
        final = index == len(tenths) - 1
        if (x - last_x) ** 2 + (y - last_y) ** 2 < limit and not (final and not closed):
            continue
        steps.append(f"l{_number(x - last_x)} {_number(y - last_y)}")
        last_x, last_y = x, y
    if len(steps) < (3 if closed else 2):
        return ""
    return "".join(steps) + ("z" if closed else "")


def _number(tenths: int) -> str:
    """Tenths of a pixel as the shortest decimal: 15 → 1.5, -3 → -.3, 20 → 2."""
    whole, rest = divmod(abs(tenths), 10)
    sign = "-" if tenths < 0 else ""
    if not rest:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{rest}"


def _name_spot(rings: list[list[tuple[float, float]]], frame: Frame) -> tuple[float, float] | None:
    """Where a country's name goes: the centroid of its largest ring in the frame, if that
    ring covers NAMED_COUNTRY_SHARE of it."""
    best, best_area = None, 0.0
    for ring in rings:
        area, cx, cy = 0.0, 0.0, 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x1 * y2 - x2 * y1
            area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if abs(area) > best_area and area:
            best_area, best = abs(area), (cx / (3 * area), cy / (3 * area))
    if best is None or best_area / 2 < NAMED_COUNTRY_SHARE * frame.width * frame.height:
        return None
    return (round(best[0], 1), round(best[1], 1))

"""Natural Earth's countries as npm's ``world-atlas`` package ships them (TopoJSON), read
from disk once per process: the maps are drawn from them by the server, so no request
leaves the site for a tile or a boundary.

TopoJSON keeps each border once, as an arc that the countries on either side refer to; so
a border between two countries is the arcs both refer to (``shared_border``), which is how
the map finds the Durand Line without a file of its own.
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Point = tuple[float, float]  # longitude, latitude
Ring = list[Point]


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 numeric, as Natural Earth gives it ("004" for Afghanistan)
    name: str
    polygons: tuple[tuple[Ring, ...], ...]  # each an outer ring, then its holes
    arcs: frozenset[int]  # the arcs its borders are made of
    west: float
    south: float
    east: float
    north: float


class AtlasMissing(ImproperlyConfigured):
    """The boundaries' file is not installed (npm ci)."""


class Atlas:
    """The countries of one world-atlas file, with their borders as longitude/latitude."""

    def __init__(self, topology: dict):
        scale_x, scale_y = topology["transform"]["scale"]
        shift_x, shift_y = topology["transform"]["translate"]
        self.arcs: list[Ring] = []
        for quantized in topology["arcs"]:
            x = y = 0
            line = []
            for dx, dy in quantized:  # delta-encoded, quantized
                x, y = x + dx, y + dy
                line.append((x * scale_x + shift_x, y * scale_y + shift_y))
            self.arcs.append(line)
        self.countries = [
            self._country(geometry)
            for geometry in topology["objects"]["countries"]["geometries"]
            if geometry.get("arcs")
        ]
        self.by_code = {country.code: country for country in self.countries}

    def _ring(self, references: list[int]) -> Ring:
        ring: Ring = []
        for reference in references:
            arc = self.arcs[reference] if reference >= 0 else self.arcs[~reference][::-1]
            ring.extend(arc[1:] if ring else arc)  # consecutive arcs share an end point
        return ring

    def _country(self, geometry: dict) -> Country:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = tuple(tuple(self._ring(ring) for ring in polygon) for polygon in polygons)
        points = [point for polygon in rings for ring in polygon for point in ring]
        used = frozenset(
            r if r >= 0 else ~r for polygon in polygons for ring in polygon for r in ring
        )
        return Country(
            code=str(geometry.get("id", "")),
            name=geometry.get("properties", {}).get("name", ""),
            polygons=rings,
            arcs=used,
            west=min(p[0] for p in points),
            south=min(p[1] for p in points),
            east=max(p[0] for p in points),
            north=max(p[1] for p in points),
        )

    def shared_border(self, first: str, second: str) -> list[Ring]:
        """The border between two countries (by code), as the lines of its arcs."""
        shared = self.by_code[first].arcs & self.by_code[second].arcs
        return [self.arcs[index] for index in sorted(shared)]


@functools.cache
def load_atlas(path: Path | None = None) -> Atlas:
    """The atlas of ``path`` (the WORLD_ATLAS setting by default), read once per process."""
    path = Path(path or settings.WORLD_ATLAS)
    try:
        topology = json.loads(path.read_bytes())
    except OSError as error:
        raise AtlasMissing(
            f"The map's boundaries ({path}) cannot be read ({error.strerror}): install the "
            "npm package world-atlas with `npm ci` in the project's folder."
        ) from None
    return Atlas(topology)


def check_atlas(app_configs=None, **kwargs) -> list:
    """A system check: the maps' boundaries are installed."""
    from django.core.checks import Warning

    if Path(settings.WORLD_ATLAS).is_file():
        return []
    return [
        Warning(
            f"The maps' boundaries ({settings.WORLD_ATLAS}) are missing: pages show their "
            "places without a map.",
            hint="Install the npm package world-atlas: `npm ci` in the project's folder "
            "(`make run` does it).",
            id="articles.W001",
        )
    ]

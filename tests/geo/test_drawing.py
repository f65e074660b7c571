"""Maps drawn by the server from the npm package world-atlas (Natural Earth)."""

import re

import pytest

from articles.geo.atlas import load_atlas
from articles.geo.drawing import REGION, Frame, PlacePoint, _clip, _number, _path, draw_map


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def test_the_atlas_has_afghanistan_and_pakistan_and_their_shared_border(atlas):
    assert atlas.by_code["004"].name == "Afghanistan"
    assert atlas.by_code["586"].name == "Pakistan"
    border = atlas.shared_border("004", "586")
    points = [point for line in border for point in line]
    # The Durand Line runs from the Wakhan (about 37°N) to the Iranian tripoint (about 29°N).
    assert min(lat for _, lat in points) < 29.6 and max(lat for _, lat in points) > 36.5
    assert all(60 < lon < 75 for lon, _ in points)


def test_the_region_map_shows_the_neighbours_and_the_durand_line(atlas):
    drawn = draw_map(REGION, [], atlas=atlas)
    names = {country.name for country in drawn.base.countries}
    assert {"Afghanistan", "Pakistan", "Iran", "Tajikistan", "Turkmenistan", "India"} <= names
    assert drawn.base.border.name == "Durand Line"
    assert drawn.base.border.path.startswith("M")


def test_markers_are_sized_by_articles_and_places_beyond_the_frame_are_listed(atlas):
    places = [
        PlacePoint("k", "Kabul", 34.55, 69.21, 100),
        PlacePoint("q", "Quetta", 30.18, 66.97, 25),
        PlacePoint("z", "Zero", 31.0, 64.0, 0),
        PlacePoint("d", "Doha", 25.29, 51.53, 7),
    ]
    drawn = draw_map(REGION, places, atlas=atlas)
    radius = {marker.place.name: marker.radius for marker in drawn.markers}
    assert radius["Kabul"] == 22.0 and radius["Zero"] == 3.0
    assert radius["Kabul"] > radius["Quetta"] > radius["Zero"]
    assert [place.name for place in drawn.beyond] == ["Doha"]
    x, y = REGION.project(69.21, 34.55)
    kabul = next(m for m in drawn.markers if m.place.name == "Kabul")
    assert (kabul.x, kabul.y) == (round(x, 1), round(y, 1))


def test_labels_never_overlap(atlas):
    crowded = [PlacePoint(n, f"Place {n}", 34.0 + n / 50, 71.0, 10) for n in range(12)]
    drawn = draw_map(REGION, crowded, atlas=atlas)
    boxes = []
    for marker in drawn.markers:
        if marker.label:
            x, y, anchor = marker.label
            width = len(marker.place.name) * 7.2
            left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
            boxes.append((left, y - 12, left + width, y + 3))
    assert 0 < len(boxes) < 12  # some fit, the rest keep their title and table row
    for n, a in enumerate(boxes):
        for b in boxes[n + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_paths_are_relative_steps_in_tenths_of_a_pixel():
    assert _path([(0, 0), (10, 0), (10, 10)], closed=True) == "M0 0l10 0l0 10z"
    assert _path([(0.04, 0), (0.05, 0.1), (5.26, 1)], closed=False) == "M0 0l5.3 1"
    assert [_number(n) for n in (15, -3, 20, 0, -25)] == ["1.5", "-.3", "2", "0", "-2.5"]


def test_rings_are_clipped_to_the_frame():
    square = [(-10, -10), (10, -10), (10, 10), (-10, 10)]
    assert sorted(_clip(square, (0, 0, 100, 100))) == [(0, 0), (0, 10), (10, 0), (10, 10)]
    assert _clip([(200, 200), (300, 200), (300, 300)], (0, 0, 100, 100)) == []


def test_a_frame_around_a_place_is_centred_on_it():
    frame = REGION.around(69.92, 33.34, 12, 320)
    x, y = frame.project(69.92, 33.34)
    assert abs(x - frame.width / 2) < 1 and abs(y - frame.height / 2) < 1
    assert isinstance(frame, Frame) and frame.width == 320


def test_the_region_map_weighs_tens_of_kilobytes(atlas):
    drawn = draw_map(REGION, [], atlas=atlas)
    size = sum(len(c.path) for c in drawn.base.countries) + len(drawn.base.border.path)
    assert 5_000 < size < 40_000
    assert re.fullmatch(r"[Mlz0-9 .\-]+", drawn.base.countries[0].path)


def test_without_its_boundaries_the_map_page_lists_the_places(client, seeded, settings, tmp_path):
    from django.core.checks import run_checks

    from articles.geo.atlas import load_atlas

    settings.WORLD_ATLAS = tmp_path / "missing.json"
    load_atlas.cache_clear()
    try:
        assert [m.id for m in run_checks() if m.id == "articles.W001"] == ["articles.W001"]
        response = client.get("/map/")
        assert response.status_code == 200
        assert "cannot be drawn" in response.text and "<svg" not in response.text
        assert 'href="/places/kabul/"' in response.text
        assert client.get("/places/khost/").status_code == 200
    finally:
        load_atlas.cache_clear()

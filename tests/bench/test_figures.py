"""What the benchmark prints and keeps on record (bench/figures.py): targets by corpus size,
the search rows beside the peers, the growth from the figures on record, the import floor."""

from bench.figures import (
    CORPUS_SIZE,
    Page,
    PeerBuild,
    Results,
    Timing,
    floor_row,
    growth,
    load_figures,
    page_row,
    peers_table,
    save_figures,
    search_figures,
    search_targets,
)
from bench.peers import Built


def timing(*milliseconds):
    return Timing([ms / 1000 for ms in milliseconds])


def search_page(http_ms, sql_ms=10, fts5_ms=100, tantivy_ms=5, label="search: common word"):
    return Page(
        label,
        "/search/?q=refugees",
        search=True,
        status=200,
        statements=["SELECT 1"],
        http=timing(http_ms),
        sql=timing(sql_ms),
        params={"q": "refugees"},
        peers={"SQLite FTS5": timing(fts5_ms), "tantivy": timing(tantivy_ms)},
        peer_counts={"SQLite FTS5": 65_012, "tantivy": 65_010},
    )


def results(size, *pages):
    return Results(
        pages=[Page("trivial view (floor)", "/", trivial=True, http=timing(1)), *pages],
        corpus_total=size,
        peer_builds=[
            PeerBuild("SQLite FTS5", Built(size, 30.0, 4.0, 600_000_000, 400_000_000, "fts5")),
            PeerBuild("tantivy", Built(size, 12.0, 4.0, 300_000_000, 200_000_000, "tv")),
        ],
    )


def test_search_targets_depend_on_the_corpus_size():
    assert search_targets(20_000) == search_targets(CORPUS_SIZE) == (50, 1.3)
    assert search_targets(500_000) == search_targets(1_000_000) == (100, None)
    assert search_targets(3_000_000) == (100, None)


def test_the_search_rows_target_column_follows_the_size():
    page = search_page(http_ms=60, sql_ms=20)
    trivial = Page("trivial", "/", trivial=True)
    at_reference = page_row(page, trivial, CORPUS_SIZE)
    assert at_reference[-2] == "<= 6 queries, p95 < 50 ms, <= 1.3x SQL p95"
    assert at_reference[-1] == "falls short: p95 60 ms; p95 3.0x SQL"
    at_a_million = page_row(page, trivial, 1_000_000)
    assert at_a_million[-2] == "<= 6 queries, p95 < 100 ms"
    assert at_a_million[-1].startswith("pass")


def test_growth_is_the_ratio_of_the_figure_now_to_the_figure_before():
    assert growth(84.0, 42.0) == 2.0
    assert growth(21.0, 42.0) == 0.5


def without_dates(figures):
    return {label: row | {"recorded": ""} for label, row in figures["searches"].items()}


def test_figures_on_record_round_trip(tmp_path):
    run = results(CORPUS_SIZE, search_page(http_ms=42))
    path = save_figures(run, tmp_path)
    assert path == tmp_path / f"figures-{CORPUS_SIZE}.json"
    recorded = load_figures(tmp_path, CORPUS_SIZE)
    row = recorded["searches"]["search: common word"]
    assert recorded["articles"] == CORPUS_SIZE
    assert without_dates(recorded) == without_dates(search_figures(run))
    assert row["http"] == [42.0, 42.0]
    assert row["peers"]["tantivy"] == [5.0, 5.0]
    assert row["matches"] == {"SQLite FTS5": 65_012, "tantivy": 65_010}
    assert load_figures(tmp_path, 1_000_000) is None


def test_a_run_of_some_searches_keeps_the_others_on_record(tmp_path):
    save_figures(
        results(CORPUS_SIZE, search_page(http_ms=42), search_page(http_ms=9, label="search: name")),
        tmp_path,
    )
    save_figures(results(CORPUS_SIZE, search_page(http_ms=30)), tmp_path)
    searches = load_figures(tmp_path, CORPUS_SIZE)["searches"]
    assert searches["search: common word"]["http"] == [30.0, 30.0]
    assert searches["search: name"]["http"] == [9.0, 9.0]


def test_the_peers_table_puts_each_peer_and_our_ratio_beside_each_search():
    table = peers_table(results(CORPUS_SIZE, search_page(http_ms=40)))
    row = next(line for line in table.splitlines() if line.startswith("| search: common"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells == [
        "search: common word", "40.0 / 40.0", "10.0 / 10.0", "100.0 / 100.0", "0.4x",
        "5.0 / 5.0", "8.0x", "65,012 / 65,010",
    ]  # fmt: skip
    assert "growth" not in table
    assert "tantivy: 100,000 articles indexed in 12.0 s" in table
    assert "300 MB on disk: index 100 MB, stored text 200 MB" in table


def test_away_from_the_reference_size_the_table_shows_the_figures_on_record_and_growth(
    tmp_path,
):
    save_figures(results(CORPUS_SIZE, search_page(http_ms=40, tantivy_ms=5)), tmp_path)
    run = results(1_000_000, search_page(http_ms=80, fts5_ms=1_000, tantivy_ms=7.5))
    run.before = load_figures(tmp_path, CORPUS_SIZE)
    table = peers_table(run)
    assert "at 100,000: HTTP p95 ms" in table
    row = next(line for line in table.splitlines() if line.startswith("| search: common"))
    assert "| 40.0 (" in row
    assert row.rstrip(" |").endswith("2.0x / 10.0x / 1.5x")


def test_away_from_the_reference_size_without_a_record_the_table_says_so():
    table = peers_table(results(20_000, search_page(http_ms=40)))
    assert "none on record" in table


def test_the_import_is_judged_against_its_floor():
    run = Results(import_seconds=1.2, import_floor_seconds=1.0, import_floor_rows=1_000)
    row = floor_row(run)
    assert "1,000 articles/s (1.00 s); the importer 1.2x" in row
    assert row[-1] == "pass"
    run.import_seconds = 2.0
    assert floor_row(run)[-1] == "falls short: 2.0x"

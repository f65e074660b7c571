"""What the archive's own work counts, for /metrics (newsarchive/observability/metrics.py
serves it): how the page cache answered, imports and the articles they wrote, and
re-tagging. Counted as the work commits, so a rolled-back import counts as refused."""

from prometheus_client import Counter

PAGE_CACHE = Counter(
    "newsarchive_page_cache_requests",
    "Public pages asked for, by how the page cache answered: hit (a stored page), miss "
    "(rendered and stored), not_modified (304 to the reader's ETag), uncached (rendered "
    "and not storable: an error, a cookie, a nonce, a write while rendering).",
    ["outcome"],
)
IMPORTS = Counter(
    "newsarchive_imports",
    "Imports run (command and uploads), by outcome: committed, dry_run or refused.",
    ["outcome"],
)
IMPORTED_ARTICLES = Counter(
    "newsarchive_imported_articles",
    "Article files committed imports read, by outcome: created, updated, unchanged, kept "
    "(edited since, and left so).",
    ["outcome"],
)
RETAGGED_ARTICLES = Counter(
    "newsarchive_retagged_articles",
    "Articles re-tagging read (read) and those whose tags it changed (changed).",
    ["result"],
)

# Every series from the start at 0, so that a rate over the first increase is right.
for _counter, _labels in (
    (PAGE_CACHE, ("hit", "miss", "not_modified", "uncached")),
    (IMPORTS, ("committed", "dry_run", "refused")),
    (IMPORTED_ARTICLES, ("created", "updated", "unchanged", "kept")),
    (RETAGGED_ARTICLES, ("read", "changed")),
):
    for _label in _labels:
        _counter.labels(_label)

"""The editors' admin: articles (tags, suggestions, preview, history, import), entities
(aliases, usage, merging), the names-to-add queue, the imports and refused edits, and the
editors' desk on the first page (desk.py, shown by articles/admin_site.py). Django's
autodiscovery imports this package, which registers them."""

from articles.admin import activity, articles, entities, names

__all__ = ["activity", "articles", "entities", "names"]

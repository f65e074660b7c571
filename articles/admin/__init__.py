"""The editors' admin: articles (tags, suggestions, preview, history, import) and entities
(aliases, usage, merging). Django's autodiscovery imports this package, which registers
both."""

from articles.admin import articles, entities

__all__ = ["articles", "entities"]

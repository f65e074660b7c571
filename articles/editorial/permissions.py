"""What a user may change in the editors' admin: one answer for every write path (the
article form and its tag suggestions, the restore of a revision, the import), so that no
path lets a contributor do what the change form refuses them. The roles are in roles.py."""

from articles.models import Article

PUBLISH = "articles.publish_article"
TAG = ["articles.add_mention", "articles.change_mention", "articles.delete_mention"]
QUOTE = ["articles.add_quotation", "articles.change_quotation", "articles.delete_quotation"]
CREATE_ENTITIES = "articles.add_entity"
# An import writes articles (and their status), their tags and quotations, and entities with
# their aliases.
IMPORT = [
    "articles.add_article", "articles.change_article", PUBLISH, *TAG, *QUOTE,
    "articles.add_entity", "articles.change_entity", "articles.add_alias", "articles.delete_alias",
]  # fmt: skip


def may_publish(user) -> bool:
    """Whether ``user`` decides an article's status: publishes, schedules or withdraws it."""
    return user.has_perm(PUBLISH)


def may_change_article(user, article: Article) -> bool:
    """Whether ``user`` may change ``article`` at all. A published article (a scheduled one
    too) is changed only by those who may publish: a contributor's work is drafts."""
    if article.status == Article.Status.PUBLISHED and not may_publish(user):
        return False
    return user.has_perm("articles.change_article")


def may_tag(user) -> bool:
    """Whether ``user`` may add and remove an article's tags."""
    return user.has_perms(TAG)


def may_quote(user) -> bool:
    """Whether ``user`` may add, correct and delete an article's quotations."""
    return user.has_perms(QUOTE)


def may_create_entities(user) -> bool:
    return user.has_perm(CREATE_ENTITIES)


def may_restore(user, article: Article) -> bool:
    """A restore rewrites the article, its tags and its quotations, so it needs all three;
    the status it restores only if ``user`` may publish (restore_revision keeps it
    otherwise)."""
    return may_change_article(user, article) and may_tag(user) and may_quote(user)


def may_import(user) -> bool:
    return user.has_perms(IMPORT)

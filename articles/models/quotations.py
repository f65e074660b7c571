"""Who said what: quotations in articles' text, attributed to the people who said them,
and the found quotations editors deleted (re-finding does not put them back)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import MD5

from articles.models.articles import Article
from articles.models.entities import Entity
from articles.models.publication import published_filter


class QuotationQuerySet(models.QuerySet):
    def public(self):
        """Quotations of published articles: the public gate, through the relation."""
        return self.filter(published_filter("article__"))

    def newest_first(self):
        return self.order_by(
            F("article__published_at").desc(nulls_last=True), "-article_id", "position"
        )


class Quotation(models.Model):
    """``person`` said ``passage`` (the words between the quotation marks), as ``article``
    reports it at paragraph ``position``."""

    class Origin(models.TextChoices):
        TEXT = "text", "found in the text"
        EDITOR = "editor", "added or corrected by an editor"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotations")
    person = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        related_name="quotations",
        limit_choices_to={"kind": Entity.Kind.PERSON},
    )
    passage = models.TextField(help_text="The words quoted, without the quotation marks.")
    position = models.PositiveIntegerField(
        default=0, help_text="The paragraph of the article it starts in, counting from 0."
    )
    # Found ones are found again whenever the article's text is saved or imported; an
    # editor's (added or corrected) outlive that.
    origin = models.CharField(max_length=16, choices=Origin, default=Origin.EDITOR)

    objects = QuotationQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position", "id"]
        constraints = [
            # By a hash: a passage may be longer than an index entry can hold.
            models.UniqueConstraint("article", MD5("passage"), name="quotation_unique_passage"),
            models.CheckConstraint(
                condition=Q(origin__in=["text", "editor"]), name="quotation_valid_origin"
            ),
            models.CheckConstraint(condition=~Q(passage=""), name="quotation_passage_not_empty"),
        ]
        indexes = [models.Index(fields=["person", "article"], name="quotation_person_article")]

    def __str__(self):
        return f"{self.person}: “{self.passage[:60]}”"


class RemovedQuotation(models.Model):
    """An editor deleted the found quotation ``passage`` of ``article``: finding the
    article's quotations again does not put it back."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="removed_quotations"
    )
    passage = models.TextField()
    removed_at = models.DateTimeField(auto_now_add=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "article", MD5("passage"), name="removed_quotation_unique_passage"
            ),
        ]

    def __str__(self):
        return f"{self.article} ↛ “{self.passage[:60]}”"

"""What editors' work leaves for the editors' desk: the imports with their reports, and the
edits refused because someone else had saved meanwhile."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from articles.models.articles import Article
from articles.models.entities import Entity


class ImportRun(models.Model):
    """An import of files, by the command or the admin's upload, with its report: what it
    wrote, or why it wrote nothing."""

    class Via(models.TextChoices):
        COMMAND = "command", "the command line"
        UPLOAD = "upload", "an upload in the admin"

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    via = models.CharField(max_length=16, choices=Via)
    succeeded = models.BooleanField()
    files = models.PositiveIntegerField(default=0)
    summary = models.CharField(max_length=500)
    report = models.JSONField(
        default=dict,
        blank=True,
        help_text="Each file's outcome, or the errors that refused the import, and what "
        "re-tagging changed after it.",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(via__in=["command", "upload"]), name="import_run_valid_via"
            ),
        ]

    def __str__(self):
        return f"Import of {self.started_at:%Y-%m-%d %H:%M}"


class RefusedEdit(models.Model):
    """A save or a restore refused to keep someone else's changes, saved after the version
    its editor opened (an edit conflict)."""

    class Action(models.TextChoices):
        SAVE = "save", "save"
        RESTORE = "restore", "restore"

    refused_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action)
    opened_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The article's version its editor opened, if known."
    )
    version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The article's version when the edit was refused."
    )

    class Meta:
        ordering = ["-refused_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=True) ^ Q(entity__isnull=True),
                name="refused_edit_of_one_thing",
            ),
            models.CheckConstraint(
                condition=Q(action__in=["save", "restore"]), name="refused_edit_valid_action"
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} refused at {self.refused_at:%Y-%m-%d %H:%M}"

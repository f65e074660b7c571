"""An article may name the article it translates (``translation_of``): a story told in
several languages, whose versions list each other (docs/search.md).

Safe on a live archive: the column is added empty (no rewrite), its foreign key and its
check are added NOT VALID (no scan under the lock) and validated after, which reads the
table without blocking reads or writes; its index is built concurrently (0026).
"""

import django.db.models.deletion
from django.db import migrations, models

ADD_COLUMN = """
ALTER TABLE articles_article ADD COLUMN translation_of_id bigint NULL;
ALTER TABLE articles_article ADD CONSTRAINT articles_article_translation_of_fk
    FOREIGN KEY (translation_of_id) REFERENCES articles_article (id)
    DEFERRABLE INITIALLY DEFERRED NOT VALID;
"""
DROP_COLUMN = "ALTER TABLE articles_article DROP COLUMN translation_of_id"
ADD_CHECK = """
ALTER TABLE articles_article ADD CONSTRAINT article_not_its_own_translation
    CHECK (translation_of_id <> id) NOT VALID;
"""
DROP_CHECK = "ALTER TABLE articles_article DROP CONSTRAINT article_not_its_own_translation"
VALIDATE = """
ALTER TABLE articles_article VALIDATE CONSTRAINT articles_article_translation_of_fk;
ALTER TABLE articles_article VALIDATE CONSTRAINT article_not_its_own_translation;
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0024_search_by_language")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '10s'", migrations.RunSQL.noop),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD_COLUMN, DROP_COLUMN)],
            state_operations=[
                migrations.AddField(
                    model_name="article",
                    name="translation_of",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="The article this one translates, if any.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="translations",
                        to="articles.article",
                    ),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD_CHECK, DROP_CHECK)],
            state_operations=[
                migrations.AddConstraint(
                    model_name="article",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("translation_of", models.F("pk")), _negated=True),
                        name="article_not_its_own_translation",
                    ),
                ),
            ],
        ),
        migrations.RunSQL(VALIDATE, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="article",
            name="language",
            field=models.CharField(
                default="en", help_text="BCP 47 code: en, ps, fa-AF (Dari), ur…", max_length=12
            ),
        ),
    ]

# A generated column cannot be altered in place: drop it (and its index) and add it again.

import django.contrib.postgres.indexes
import django.db.models.expressions
import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import F


def compact_expression():
    return models.Func(
        models.Func(
            django.db.models.functions.text.Lower(F("display_name")),
            function="welzijn_unaccent",
            output_field=models.TextField(),
        ),
        models.Value("[-\\s'’.,/()]"),
        models.Value(""),
        models.Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0003_wording"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="household", name="household_search_compact_trgm"),
        migrations.RemoveField(model_name="household", name="search_compact"),
        migrations.AddField(
            model_name="household",
            name="search_compact",
            field=models.GeneratedField(
                db_persist=True, expression=compact_expression(), output_field=models.TextField()
            ),
        ),
        migrations.AddIndex(
            model_name="household",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.expressions.F("search_compact"), name="gin_trgm_ops"
                ),
                name="household_search_compact_trgm",
            ),
        ),
    ]

"""Source moves from `initiatives` to `catalog`, so the catalog's models no longer point into
the app that builds on them. Step 1 of 3: the state only. The table and its rows stay where
they are (initiatives_source); catalog 0006 renames it once nothing refers to the old model."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

SOURCE_FK = dict(
    blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, verbose_name="source"
)
HISTORICAL_SOURCE_FK = dict(
    blank=True,
    db_constraint=False,
    null=True,
    on_delete=django.db.models.deletion.DO_NOTHING,
    related_name="+",
)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_ordering_nulls_consistent"),
        ("initiatives", "0004_ordering_nulls_consistent"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Source",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, db_index=True, verbose_name="updated at")),
                ("title", models.CharField(max_length=400, verbose_name="title")),
                ("slug", models.SlugField(max_length=200, unique=True, verbose_name="slug")),
                ("publisher", models.CharField(blank=True, max_length=300, verbose_name="publisher")),
                ("published_on", models.DateField(blank=True, null=True, verbose_name="published on")),
                ("url", models.URLField(blank=True, max_length=500, verbose_name="address")),
                ("language", models.CharField(blank=True, max_length=20, verbose_name="language")),
                ("reference", models.CharField(blank=True, help_text="Where the document is kept, e.g. its file name in the seed folder.", max_length=200, verbose_name="reference")),
                ("notes", models.TextField(blank=True, verbose_name="editorial notes")),
            ],
            options={
                "verbose_name": "source",
                "verbose_name_plural": "sources",
                "ordering": [models.OrderBy(models.F("published_on"), descending=True, nulls_last=True), "title"],
                "db_table": "initiatives_source",
            },
        ),
        migrations.CreateModel(
            name="HistoricalSource",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created at")),
                ("updated_at", models.DateTimeField(blank=True, db_index=True, editable=False, verbose_name="updated at")),
                ("title", models.CharField(max_length=400, verbose_name="title")),
                ("slug", models.SlugField(max_length=200, verbose_name="slug")),
                ("publisher", models.CharField(blank=True, max_length=300, verbose_name="publisher")),
                ("published_on", models.DateField(blank=True, null=True, verbose_name="published on")),
                ("url", models.URLField(blank=True, max_length=500, verbose_name="address")),
                ("language", models.CharField(blank=True, max_length=20, verbose_name="language")),
                ("reference", models.CharField(blank=True, help_text="Where the document is kept, e.g. its file name in the seed folder.", max_length=200, verbose_name="reference")),
                ("notes", models.TextField(blank=True, verbose_name="editorial notes")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                ("history_type", models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1)),
                ("history_user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "historical source",
                "verbose_name_plural": "historical sources",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "db_table": "initiatives_historicalsource",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AlterField(
            model_name="theme",
            name="sources",
            field=models.ManyToManyField(blank=True, related_name="themes", to="catalog.source", verbose_name="sources"),
        ),
        migrations.AlterField(
            model_name="place",
            name="sources",
            field=models.ManyToManyField(blank=True, related_name="places", to="catalog.source", verbose_name="sources"),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="sources",
            field=models.ManyToManyField(blank=True, related_name="organisations", to="catalog.source", verbose_name="sources"),
        ),
        migrations.AlterField(
            model_name="work",
            name="sources",
            field=models.ManyToManyField(blank=True, related_name="works", to="catalog.source", verbose_name="sources"),
        ),
        migrations.AlterField(
            model_name="workplace",
            name="source",
            field=models.ForeignKey(related_name="work_places", to="catalog.source", **SOURCE_FK),
        ),
        migrations.AlterField(
            model_name="workorganisation",
            name="source",
            field=models.ForeignKey(related_name="work_organisations", to="catalog.source", **SOURCE_FK),
        ),
        migrations.AlterField(
            model_name="historicalworkplace",
            name="source",
            field=models.ForeignKey(to="catalog.source", verbose_name="source", **HISTORICAL_SOURCE_FK),
        ),
        migrations.AlterField(
            model_name="historicalworkorganisation",
            name="source",
            field=models.ForeignKey(to="catalog.source", verbose_name="source", **HISTORICAL_SOURCE_FK),
        ),
        migrations.AlterField(
            model_name="historicalwork_sources",
            name="source",
            field=models.ForeignKey(db_tablespace="", to="catalog.source", **HISTORICAL_SOURCE_FK),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]

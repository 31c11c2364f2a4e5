"""Source moves from `initiatives` to `catalog` (see catalog 0005). Step 2 of 3: this app's
references follow it, and the old model leaves the state. Nothing changes in the database."""

import django.db.models.deletion
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
        ("initiatives", "0004_ordering_nulls_consistent"),
        ("catalog", "0005_source_moved_from_initiatives"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="initiative",
            name="sources",
            field=models.ManyToManyField(blank=True, related_name="initiatives", to="catalog.source", verbose_name="sources"),
        ),
        migrations.AlterField(
            model_name="batch",
            name="sources",
            field=models.ManyToManyField(blank=True, related_name="batches", to="catalog.source", verbose_name="sources"),
        ),
        migrations.AlterField(
            model_name="initiativeorganisation",
            name="source",
            field=models.ForeignKey(related_name="initiative_organisations", to="catalog.source", **SOURCE_FK),
        ),
        migrations.AlterField(
            model_name="batchthemecount",
            name="source",
            field=models.ForeignKey(related_name="batch_theme_counts", to="catalog.source", **SOURCE_FK),
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="source",
            field=models.ForeignKey(related_name="recommendations", to="catalog.source", **SOURCE_FK),
        ),
        migrations.AlterField(
            model_name="figure",
            name="source",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="figures", to="catalog.source", verbose_name="source"),
        ),
        migrations.AlterField(
            model_name="historicalinitiativeorganisation",
            name="source",
            field=models.ForeignKey(to="catalog.source", verbose_name="source", **HISTORICAL_SOURCE_FK),
        ),
        migrations.AlterField(
            model_name="historicalbatchthemecount",
            name="source",
            field=models.ForeignKey(to="catalog.source", verbose_name="source", **HISTORICAL_SOURCE_FK),
        ),
        migrations.AlterField(
            model_name="historicalrecommendation",
            name="source",
            field=models.ForeignKey(to="catalog.source", verbose_name="source", **HISTORICAL_SOURCE_FK),
        ),
        migrations.AlterField(
            model_name="historicalfigure",
            name="source",
            field=models.ForeignKey(to="catalog.source", verbose_name="source", **HISTORICAL_SOURCE_FK),
        ),
        migrations.AlterField(
            model_name="historicalinitiative_sources",
            name="source",
            field=models.ForeignKey(db_tablespace="", to="catalog.source", **HISTORICAL_SOURCE_FK),
        ),
        migrations.AlterField(
            model_name="historicalbatch_sources",
            name="source",
            field=models.ForeignKey(db_tablespace="", to="catalog.source", **HISTORICAL_SOURCE_FK),
        ),
        migrations.DeleteModel(name="HistoricalSource"),
        migrations.DeleteModel(name="Source"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]

"""Source moves from `initiatives` to `catalog` (see catalog 0005). Step 3 of 3: the tables take
the catalog's names, and the content types (so the permissions, the editors' group and the
admin's log entries) follow the model."""

from django.db import migrations

MOVED = ("source", "historicalsource")


def move_content_types(apps, schema_editor, old="initiatives", new="catalog"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        stale = ContentType.objects.using(db).filter(app_label=new, model=model)
        if not ContentType.objects.using(db).filter(app_label=old, model=model).exists():
            continue  # a fresh database: post_migrate creates the new ones
        stale.delete()  # created by an earlier, interrupted run: the old row carries the links
        ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="catalog", new="initiatives")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_source_moved_from_initiatives"),
        ("initiatives", "0005_source_moved_to_catalog"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="historicalsource", table=None),
        migrations.AlterModelTable(name="source", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]

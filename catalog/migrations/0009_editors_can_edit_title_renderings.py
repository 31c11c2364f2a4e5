"""Editors get every permission on the title renderings added in 0008, as on every other
catalog and initiative record (initiatives 0003 made the group before the model existed)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("catalog")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="catalog",
                content_type__model__in=["worktitle", "historicalworktitle"],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_place_code_coordinates_basis_chinese_only_names_work_titles"),
        ("initiatives", "0003_editors_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

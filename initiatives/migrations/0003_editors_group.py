"""The "Editors" group: every permission on catalog and initiative records, nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_APPS = ("catalog", "initiatives")


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran (post_migrate); on a fresh
    # database they do not exist yet, so create them now for the two apps.
    for app_label in EDITOR_APPS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Editors")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITOR_APPS))


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalog", "0003_trigram_search_indexes"),
        ("initiatives", "0002_trigram_search_indexes"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]

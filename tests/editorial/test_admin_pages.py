"""Every catalog and initiative admin page opens for an editor on the real data sets."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from core import publication

# Not the derived models (the works in each theme): core.publication writes them, no editor.
MODELS = [
    model
    for model in apps.get_models()
    if model._meta.app_label in {"catalog", "initiatives"}
    and not model.__name__.startswith("Historical")
    and model not in publication.derived_models()
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_an_editor_opens_the_list_add_change_and_history_pages_of_every_record_type(
    editor_client, catalog_data, model
):
    info = model._meta.app_label, model._meta.model_name
    assert admin.site.is_registered(model)
    assert editor_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert editor_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the data sets have no {model._meta.verbose_name}"
    for view in ("change", "history"):
        url = reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk])
        assert editor_client.get(url).status_code == 200, url


def test_the_seeded_batches_show_their_listed_counts_in_the_admin_list(editor_client, seed_data):
    response = editor_client.get(reverse("admin:initiatives_batch_changelist"))
    batches = {(b.initiative.slug, b.number): b for b in response.context["cl"].result_list}
    assert ("travel-with-micro-dramas", 4) in batches
    assert all(batch.listed_count >= 0 for batch in batches.values())

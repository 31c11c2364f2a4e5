"""Project-wide promises: every model an editor keeps is in the admin."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils.functional import Promise

from core import publication

LOCAL_APPS = {"catalog", "initiatives"}


@pytest.mark.parametrize(
    "model",
    [
        m
        for m in apps.get_models()
        if m._meta.app_label in LOCAL_APPS
        and not m.__name__.startswith("Historical")
        and m not in publication.derived_models()  # written by core.publication, no editor
    ],
    ids=lambda m: m._meta.label,
)
def test_every_model_is_registered_in_the_admin_with_search_and_list_display(model):
    assert admin.site.is_registered(model)
    model_admin = admin.site.get_model_admin(model)
    assert model_admin.search_fields
    assert model_admin.list_display != ("__str__",)
    assert model_admin.list_filter


@pytest.mark.parametrize(
    "model",
    [
        m
        for m in apps.get_models()
        if m._meta.app_label in LOCAL_APPS and not m.__name__.startswith("Historical")
    ],
    ids=lambda m: m._meta.label,
)
def test_every_model_has_a_docstring_ordering_and_verbose_name(model):
    doc = model.__doc__ or ""
    assert doc, model
    assert not doc.startswith(f"{model.__name__}("), model  # Django's generated signature
    assert model._meta.ordering
    assert isinstance(model._meta.verbose_name, Promise)  # translatable

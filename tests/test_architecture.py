"""The packages depend on each other one way: core <- catalog <- initiatives <- public. A
module may import its own package and the ones beneath it, never one above (not even inside
a function, the usual way to dodge a cycle); models relate the same way. And the rule of what
is public is written in one place."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "catalog", "initiatives", "public"]


def modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_packages(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


@pytest.mark.parametrize("package", LAYERS)
def test_a_package_imports_only_itself_and_the_packages_beneath_it(package):
    allowed = set(LAYERS[: LAYERS.index(package) + 1])
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path, tree in modules(package)
        for line, name in imported_packages(tree)
        if name in LAYERS and name not in allowed
    ]
    assert upward == []


@pytest.mark.parametrize("app_label", ["catalog", "initiatives"])
def test_models_relate_only_to_their_own_app_and_the_ones_beneath_it(app_label):
    allowed = set(LAYERS[: LAYERS.index(app_label) + 1])
    upward = [
        f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}"
        for model in apps.get_app_config(app_label).get_models()
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and field.related_model._meta.app_label in LAYERS
        and field.related_model._meta.app_label not in allowed
    ]
    assert upward == []


def test_what_makes_a_batch_public_is_written_in_its_model_and_services_only():
    where = sorted(
        str(path.relative_to(ROOT))
        for package in LAYERS
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and "Status.PUBLISHED" in path.read_text()
    )
    assert where == ["initiatives/models.py", "initiatives/services.py"]


def test_public_reads_never_test_the_stored_state_by_hand():
    # Reads go through `.public()`; only the model layer and the publishing engine name
    # the field they filter on.
    where = sorted(
        str(path.relative_to(ROOT))
        for package in ["public"]
        for path in (ROOT / package).rglob("*.py")
        if "is_public=True" in path.read_text() or "is_public=False" in path.read_text()
    )
    assert where == []

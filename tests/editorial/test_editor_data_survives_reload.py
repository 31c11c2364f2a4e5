"""Data that editors own stays theirs (issue 12, part 4): `make run` and `make seed` reload the
data sets, and a reload never overwrites what an editor changed since the loader wrote it,
unless told `--force`. It says what it kept."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalog.models import Organisation, Place, Theme, Work, WorkPlace
from initiatives.management.commands.load_seed_data import LOADER_REASON

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def data_set(name: str) -> list[dict]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_seed_data", stdout=out, **options)
    return out.getvalue()


def place_post(place: Place, **changes) -> dict:
    """The admin change form of a place, as the browser sends it."""
    data = {
        "name": place.name,
        "name_original": place.name_original,
        "slug": place.slug,
        "kind": place.kind,
        "code": place.code,
        "parent": place.parent_id or "",
        "latitude": place.latitude if place.latitude is not None else "",
        "longitude": place.longitude if place.longitude is not None else "",
        "coordinates_basis": place.coordinates_basis,
        "description": place.description,
        "sources": [source.pk for source in place.sources.all()],
        "notes": place.notes,
    }
    data.update(changes)
    return data


def test_ningbos_chinese_name_set_in_the_admin_survives_a_reload(catalog_data, editor_client):
    ningbo = Place.objects.get(slug="ningbo")
    response = editor_client.post(
        reverse("admin:catalog_place_change", args=[ningbo.pk]),
        place_post(ningbo, name_original="宁波"),
    )
    assert response.status_code == 302, response.context and response.context["errors"]

    out = load()

    assert Place.objects.get(slug="ningbo").name_original == "宁波"
    assert "Kept 1 value(s) editors changed" in out
    assert "catalog.Place “Ningbo” name_original: kept the editor's '宁波'" in out
    assert "the data sets say '宁波市'" in out
    # And again: the editor's value is not a one-off survivor.
    load()
    assert Place.objects.get(slug="ningbo").name_original == "宁波"


def test_force_takes_the_data_sets_value_back(catalog_data):
    ningbo = Place.objects.get(slug="ningbo")
    ningbo.name_original = "宁波"
    ningbo._change_reason = "Corrected by an editor"
    ningbo.save()

    out = load(force=True)

    assert Place.objects.get(slug="ningbo").name_original == "宁波市"
    assert "Kept" not in out


def test_an_editors_change_to_one_field_does_not_block_the_data_sets_change_to_another(
    catalog_data, tmp_path
):
    theme = Theme.objects.get(slug="urban-civilisation")
    theme.description = "An editor's better description."
    theme.save()
    # The next release of the seed corrects the theme's position.
    seed = data_set("seed.json")
    entry = next(e for e in seed if e["fields"].get("slug") == "urban-civilisation")
    entry["fields"]["position"] = 70
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")

    out = load(
        fixture=[str(path), str(FIXTURES / "gazetteer.json"), str(FIXTURES / "public-record.json")]
    )

    theme.refresh_from_db()
    assert (theme.position, theme.description) == (70, "An editor's better description.")
    assert "catalog.Theme “Urban civilisation” description: kept the editor's" in out


def test_a_record_an_editor_deleted_is_not_recreated(catalog_data):
    link = WorkPlace.objects.get(work__slug="reunion", place__slug="shanghai")
    link._change_reason = "Wrong link, removed by an editor"
    link.delete()

    out = load()

    assert not WorkPlace.objects.filter(work__slug="reunion", place__slug="shanghai").exists()
    assert "deleted by an editor, not recreated" in out
    load(force=True)
    assert WorkPlace.objects.filter(work__slug="reunion", place__slug="shanghai").exists()


def test_a_reload_of_unchanged_data_writes_nothing(catalog_data):
    history = Work.history.count() + Place.history.count()

    out = load()

    assert "already up to date: nothing to change" in out
    assert Work.history.count() + Place.history.count() == history


def test_two_data_sets_that_disagree_stop_the_load_and_name_both(catalog_data, tmp_path):
    gazetteer = data_set("gazetteer.json")
    entry = next(e for e in gazetteer if e["fields"].get("slug") == "ningbo")
    entry["fields"]["kind"] = "county"
    path = tmp_path / "gazetteer.json"
    path.write_text(json.dumps(gazetteer, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError, match=r"seed.json says kind='city' but gazetteer.json"):
        load(fixture=[str(FIXTURES / "seed.json"), str(path)])
    assert Place.objects.get(slug="ningbo").kind == "city"


def loaded_as_the_old_seed_did(obj):
    """A record the loader wrote from an earlier version of the seed."""
    obj._change_reason = LOADER_REASON
    obj.save()
    return obj


def test_a_record_the_data_sets_withdrew_leaves_an_existing_database(catalog_data):
    # A database loaded before the audit still has "Glazed Beauty filmed at New York".
    usa = loaded_as_the_old_seed_did(
        Place(slug="united-states", name="United States", kind="country")
    )
    new_york = loaded_as_the_old_seed_did(
        Place(slug="new-york", name="New York", kind="city", parent=usa)
    )
    glazed = Work.objects.get(slug="glazed-beauty")
    loaded_as_the_old_seed_did(WorkPlace(work=glazed, place=new_york, relation="filmed_at"))

    out = load()

    assert not WorkPlace.objects.filter(work=glazed).exists()
    assert not Place.objects.filter(slug__in=["new-york", "united-states"]).exists()
    assert "Withdrew 3 record(s) the data sets no longer hold" in out
    assert "catalog.Place “New York”" in out
    # The withdrawal is in the history like any other deletion.
    assert Place.history.filter(slug="new-york", history_type="-").exists()


def test_a_withdrawn_record_an_editor_changed_or_uses_stays(catalog_data):
    old = loaded_as_the_old_seed_did(Place(slug="new-york", name="New York", kind="city"))
    old.description = "An editor's description."
    old._change_reason = "Edited in the admin"
    old.save()
    kept_by_use = loaded_as_the_old_seed_did(Place(slug="atlantis", name="Atlantis", kind="city"))
    spring_reel = Organisation.objects.get(slug="spring-reel")
    spring_reel.place = kept_by_use
    spring_reel._change_reason = "Edited in the admin"
    spring_reel.save()

    out = load()

    assert Place.objects.filter(slug__in=["new-york", "atlantis"]).count() == 2
    assert "catalog.Place “New York”: changed by an editor" in out
    assert "catalog.Place “Atlantis”: still used by other records" in out


def test_a_load_of_named_files_withdraws_nothing(catalog_data):
    stale = loaded_as_the_old_seed_did(Place(slug="new-york", name="New York", kind="city"))

    names = ["seed.json", "gazetteer.json", "public-record.json"]
    out = load(fixture=[str(FIXTURES / name) for name in names])

    assert "Withdrew" not in out
    assert Place.objects.filter(pk=stale.pk).exists()
    assert Work.objects.filter(slug="young-tian-ye").exists()

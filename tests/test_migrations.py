"""The migration that stores the public state computes it as the old rule did on every
request, for data that existed before it ran; and it can be reversed."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("core", None),
    ("catalog", "0006_source_table_renamed"),
    ("initiatives", "0005_source_moved_to_catalog"),
]


@pytest.mark.django_db(transaction=True)
def test_stored_public_state_matches_the_old_rule_on_existing_data():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[1:]).apps

    Work = old.get_model("catalog", "Work")
    Place = old.get_model("catalog", "Place")
    Initiative = old.get_model("initiatives", "Initiative")
    Batch = old.get_model("initiatives", "Batch")
    Recommendation = old.get_model("initiatives", "Recommendation")
    initiative = Initiative.objects.create(name="Travel", slug="travel", kind="creation_plan")
    published = Batch.objects.create(
        initiative=initiative, number=1, slug="travel-1", status="published"
    )
    draft = Batch.objects.create(initiative=initiative, number=2, slug="travel-2", status="draft")
    Theme = old.get_model("catalog", "Theme")
    heritage = Theme.objects.create(name="Heritage", slug="heritage")
    for slug, batches in [("listed", [published]), ("draft-only", [draft]), ("unlisted", [])]:
        work = Work.objects.create(title=slug, slug=slug)
        for batch in batches:
            Recommendation.objects.create(batch=batch, work=work, theme=heritage)
    Work.objects.get(slug="unlisted").themes.add(heritage)
    Place.objects.create(name="Ningbo", slug="ningbo", kind="city")

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from catalog.models import Place, Work
    from core.models import PublicState
    from initiatives.models import Initiative

    assert set(Work.objects.public().values_list("slug", flat=True)) == {"listed", "unlisted"}
    assert Work.objects.get(slug="unlisted").published_directly
    assert not Work.objects.get(slug="listed").published_directly
    assert Place.objects.public().filter(slug="ningbo").exists()
    # The works in each theme (initiatives 0009): listed under it in a published batch, or
    # tagged with it; not the work only a draft lists.
    from initiatives.models import ThemeWork

    assert set(ThemeWork.objects.values_list("theme__slug", "work__slug")) == {
        ("heritage", "listed"),
        ("heritage", "unlisted"),
    }
    assert Initiative.objects.public().filter(slug="travel").exists()
    assert PublicState.current().changed_at > datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # reversible
    executor = MigrationExecutor(connection)
    executor.migrate(latest)

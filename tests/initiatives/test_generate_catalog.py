"""`generate_catalog`: synthetic works for benchmarks, public the way real ones are, the
same for a seed, kept out of databases with real data, and removable to the last row."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from catalog.models import Organisation, Place, Source, Theme, Work
from core import publication
from core.models import PublicState
from initiatives.management.commands.generate_catalog import END
from initiatives.models import Batch, Initiative, Recommendation, ThemeWork
from initiatives.publication import theme_pairs
from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db

SYNTHETIC = "synthetic-benchmark-data"


def generate(*args):
    call_command("generate_catalog", *args, verbosity=0)


def synthetic_works():
    return Work.objects.filter(sources__slug=SYNTHETIC)


def snapshot():
    return list(
        synthetic_works()
        .order_by("slug")
        .values_list("slug", "title", "title_original", "synopsis", "updated_at", "year")
    ), sorted(
        Recommendation.objects.filter(work__sources__slug=SYNTHETIC).values_list(
            "work__slug", "batch__number", "theme__slug"
        )
    )


def test_generates_public_works_listed_in_published_batches(seed_data):
    seed_works = Work.objects.count()
    version = PublicState.current().version
    generate("--works", "1200", "--seed", "3")

    # In their themes for the theme filter and counts, as the rule says (initiatives.ThemeWork;
    # before the full refresh below, which would rebuild them).
    stored = set(ThemeWork.objects.values_list("theme_id", "work_id"))
    assert stored == set(theme_pairs())
    assert {work for _theme, work in stored} >= set(synthetic_works().values_list("pk", flat=True))
    assert synthetic_works().count() == 1200
    assert Work.objects.count() == seed_works + 1200
    # Public through the same stored state as real works, and the rule agrees row by row.
    assert synthetic_works().public().count() == 1200
    assert not publication.refresh()
    assert PublicState.current().version > version
    # Many published batches (500 works each), every work listed under one of its themes.
    batches = Batch.objects.public().filter(initiative__slug="synthetic-benchmark-programme")
    assert batches.count() == 3
    assert Recommendation.objects.public().filter(work__in=synthetic_works()).count() == 1200
    assert Initiative.objects.public().filter(slug="synthetic-benchmark-programme").exists()
    assert Source.objects.public().filter(slug=SYNTHETIC).exists()
    assert Organisation.objects.public().filter(sources__slug=SYNTHETIC).count() >= 5
    # Titles in both languages, themes and places from the catalog, varied change dates.
    assert synthetic_works().exclude(title_original="").count() == 1200
    assert synthetic_works().exclude(title="").count() > 1000
    assert synthetic_works().filter(themes__isnull=True).count() == 0
    assert synthetic_works().filter(place_links__isnull=True).count() == 0
    assert synthetic_works().values("updated_at__date").distinct().count() > 300


def test_titles_give_realistic_hits_for_short_chinese_and_english_queries(seed_data):
    generate("--works", "2000", "--seed", "5")
    titles = list(synthetic_works().values_list("title_original", flat=True))
    # A two-character word matches a small share of the titles, not none and not all.
    two = sum("茶香" in title for title in titles)
    assert 5 < two < 200
    english = synthetic_works().filter(title__icontains="village").count()
    assert 5 < english < 500


def test_the_same_seed_gives_the_same_catalog(seed_data):
    generate("--works", "300", "--seed", "11")
    first = snapshot()
    generate("--clear", "--works", "300", "--seed", "11")
    assert snapshot() == first
    generate("--clear", "--works", "300", "--seed", "12")
    assert snapshot() != first


def test_clear_removes_exactly_the_synthetic_rows(seed_data):
    before = {
        model: set(model._base_manager.values_list("pk", "is_public"))
        for model in (Work, Theme, Place, Organisation, Source, Initiative)
    }
    generate("--works", "700", "--seed", "1")
    generate("--clear")

    assert not synthetic_works().exists()
    assert not Batch.objects.filter(initiative__slug="synthetic-benchmark-programme").exists()
    for model, rows in before.items():
        # The seed is intact, public exactly as before (a place only synthetic works showed
        # is withdrawn again).
        assert set(model._base_manager.values_list("pk", "is_public")) == rows, model
    assert not publication.refresh()
    # Nothing left pointing at a deleted row (the deferred foreign keys, as a commit would
    # check them; the test's transaction never commits).
    connection.check_constraints()


def test_refuses_to_generate_twice_without_clear(seed_data):
    generate("--works", "10")
    with pytest.raises(CommandError, match="already holds 10 synthetic works"):
        generate("--works", "10")


def test_refuses_a_database_with_real_data_unless_forced(seed_data):
    WorkFactory(title="An editor's work")
    with pytest.raises(CommandError, match="real data"):
        generate("--works", "10")
    assert not synthetic_works().exists()
    with pytest.raises(CommandError, match="real data"):
        generate("--clear")

    generate("--works", "10", "--force")
    assert synthetic_works().count() == 10
    generate("--clear", "--force")
    assert not synthetic_works().exists()
    assert Work.objects.filter(title="An editor's work").exists()


def test_bad_arguments_are_command_errors(db):
    with pytest.raises(CommandError, match="--works N"):
        generate()
    with pytest.raises(CommandError, match="0 or more"):
        generate("--works", "-1")
    with pytest.raises(CommandError, match="load the data sets first"):
        generate("--works", "5")


def test_no_generated_date_is_after_the_last_one_or_in_the_future(seed_data):
    """Works were updated up to April 2027, so the sitemap of the generated sample said a
    page changed months after the day it was served (`Last-Modified: Tue, 23 Mar 2027`)."""
    generate("--works", "2000", "--seed", "1")
    latest = synthetic_works().aggregate(created=Max("created_at"), updated=Max("updated_at"))
    assert latest["created"] <= latest["updated"] <= END < timezone.now()
    batches = Batch.objects.filter(initiative__slug="synthetic-benchmark-programme")
    assert batches.aggregate(last=Max("announced_on"))["last"] <= END.date()
    assert batches.aggregate(last=Max("published_at"))["last"] <= END


@pytest.mark.skipif(connection.vendor != "postgresql", reason="VACUUM and pg_class: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_generated_catalog_is_vacuumed_and_analysed_for_the_planner(seed_data):
    """Straight after generating, the works' title words (written by triggers) had no
    statistics and no table its visibility map: an English word at 100k works took 454 ms,
    181 ms once vacuumed. Outside a transaction the command vacuums and analyses what it
    wrote."""
    generate("--works", "300", "--seed", "1")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples, relallvisible FROM pg_class "
            "WHERE relname IN ('catalog_work', 'catalog_work_word', 'initiatives_themework')"
        )
        tables = {name: (tuples, visible) for name, tuples, visible in cursor.fetchall()}
    assert set(tables) == {"catalog_work", "catalog_work_word", "initiatives_themework"}
    for name, (tuples, visible) in tables.items():
        assert tuples > 0, f"{name} has no statistics"
        assert visible > 0, f"{name} has no visibility map"

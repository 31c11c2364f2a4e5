"""The works in each theme (initiatives.ThemeWork) are stored, and after every way an editor
changes the catalog they are what the rule says: a public work tagged with the theme, or
listed under it in a published batch."""

import pytest

from catalog.models import Work
from core import publication
from initiatives.models import Batch, ThemeWork
from initiatives.publication import theme_pairs
from initiatives.services import batch_publish, batch_unpublish
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
    WorkFactory,
)

pytestmark = pytest.mark.django_db


def stored() -> set[tuple[str, str]]:
    pairs = set(ThemeWork.objects.values_list("theme__slug", "work__slug"))
    # Whatever happened, the stored rows are the rule's: nothing stale, nothing missing.
    ids = set(ThemeWork.objects.values_list("theme_id", "work_id"))
    assert ids == set(theme_pairs())
    return pairs


def listing(batch, work, theme):
    """`work` listed under `theme` in `batch`, the batch announcing one work per listing
    (a batch publishes only when its counts cover its listings)."""
    counted = batch.theme_counts.filter(theme=theme).first()
    if counted is None:
        BatchThemeCountFactory(batch=batch, theme=theme, announced=1)
    else:
        counted.announced += 1
        counted.save()
    return RecommendationFactory(batch=batch, work=work, theme=theme)


@pytest.fixture
def editor():
    return UserFactory()


def test_a_draft_batchs_listings_join_their_themes_when_it_is_published_and_leave_with_it(
    editor,
):
    heritage = ThemeFactory(slug="heritage")
    batch = BatchFactory(status=Batch.Status.DRAFT)
    listing(batch, WorkFactory(slug="bricks"), heritage)
    assert stored() == set()

    batch_publish(batch=batch, user=editor)
    assert stored() == {("heritage", "bricks")}

    batch_unpublish(batch=batch, user=editor)
    assert stored() == set()


def test_a_work_that_stays_public_leaves_the_theme_only_its_withdrawn_batch_gave_it(editor):
    heritage = ThemeFactory(slug="heritage")
    travel = ThemeFactory(slug="travel")
    work = WorkFactory(slug="bricks")
    first = BatchFactory(status=Batch.Status.DRAFT)
    second = BatchFactory(status=Batch.Status.DRAFT)
    listing(first, work, heritage)
    listing(second, work, travel)
    batch_publish(batch=first, user=editor)
    batch_publish(batch=second, user=editor)
    assert stored() == {("heritage", "bricks"), ("travel", "bricks")}

    batch_unpublish(batch=second, user=editor)

    assert Work.objects.public().filter(slug="bricks").exists()  # the first batch lists it
    assert stored() == {("heritage", "bricks")}


def test_tagging_a_public_work_as_the_admin_saves_it_puts_it_in_the_theme():
    heritage = ThemeFactory(slug="heritage")
    work = WorkFactory(slug="bone-whistle")  # public on its own, in no batch
    assert stored() == set()

    before = publication.touched_by(work)
    work.themes.add(heritage)
    publication.record_changed(work, before=before, was_public=True)

    assert stored() == {("heritage", "bone-whistle")}


def test_deleting_a_published_batch_takes_its_listings_out_of_their_themes(editor):
    heritage = ThemeFactory(slug="heritage")
    batch = BatchFactory(status=Batch.Status.PUBLISHED)
    listing(batch, WorkFactory(slug="bricks"), heritage)
    assert stored() == {("heritage", "bricks")}

    before = publication.touched_by(batch)
    batch.delete()
    publication.records_deleted(before=before, any_public=True)

    assert stored() == set()


def test_a_full_refresh_repairs_rows_written_by_hand():
    heritage = ThemeFactory(slug="heritage")
    WorkFactory(slug="bricks", themes=[heritage])
    hidden = WorkFactory(slug="draft", themes=[heritage], published_directly=False)
    ThemeWork.objects.all().delete()
    ThemeWork.objects.create(theme=heritage, work=hidden)

    publication.refresh()

    assert stored() == {("heritage", "bricks")}


def test_the_theme_filter_reads_the_stored_rows_listed_and_tagged_alike(client, editor):
    heritage = ThemeFactory(slug="heritage")
    WorkFactory(slug="tagged", themes=[heritage])
    batch = BatchFactory(status=Batch.Status.DRAFT)
    listing(batch, WorkFactory(slug="listed"), heritage)
    listing(batch, WorkFactory(slug="elsewhere"), ThemeFactory(slug="travel"))

    def slugs():
        body = client.get("/api/v1/works/", {"theme": "heritage"}).json()
        return {work["slug"] for work in body["results"]}

    assert slugs() == {"tagged"}
    batch_publish(batch=batch, user=editor)
    assert slugs() == {"tagged", "listed"}


def test_a_tag_or_listing_saved_through_the_orm_alone_moves_its_work_at_once():
    heritage = ThemeFactory(slug="heritage")
    travel = ThemeFactory(slug="travel")
    work = WorkFactory(slug="bricks")

    work.themes.add(heritage)
    assert stored() == {("heritage", "bricks")}
    travel.works.add(work)
    assert stored() == {("heritage", "bricks"), ("travel", "bricks")}
    heritage.works.clear()
    assert stored() == {("travel", "bricks")}
    work.themes.clear()
    assert stored() == set()

    batch = BatchFactory(status=Batch.Status.PUBLISHED)
    listed = RecommendationFactory(batch=batch, work=work, theme=travel)
    assert stored() == {("travel", "bricks")}
    listed.delete()
    assert stored() == set()


def test_rewriting_the_works_in_themes_is_two_statements_whatever_their_number(
    django_assert_num_queries,
):
    """A DELETE and an INSERT … SELECT: a million works never pass through Python."""
    from initiatives.publication import store_theme_works

    heritage = ThemeFactory(slug="heritage")
    for n in range(5):
        WorkFactory(slug=f"w{n}", themes=[heritage])

    with django_assert_num_queries(2):
        store_theme_works()
    assert len(stored()) == 5

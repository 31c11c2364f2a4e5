"""The database refuses what must never hold; managers show the public only what is public."""

import pytest
from django.db import IntegrityError, transaction

from catalog.models import Place, Work, WorkOrganisation, WorkPlace
from initiatives.models import Batch, BatchThemeCount, Recommendation
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    InitiativeFactory,
    OrganisationFactory,
    PlaceFactory,
    RecommendationFactory,
    ThemeFactory,
    WorkFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
)

pytestmark = pytest.mark.django_db


def refused(callable_, *args, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_(*args, **kwargs)


def test_an_initiative_cannot_have_two_batches_with_the_same_number():
    batch = BatchFactory(number=4)
    refused(Batch.objects.create, initiative=batch.initiative, number=4)


def test_the_same_number_is_fine_in_another_initiative():
    BatchFactory(number=4)
    assert BatchFactory(number=4, initiative=InitiativeFactory()).slug.endswith("-4")


def test_a_batch_slug_is_the_initiative_slug_and_its_number():
    batch = BatchFactory(initiative=InitiativeFactory(slug="travel-with-micro-dramas"), number=4)
    assert batch.slug == "travel-with-micro-dramas-4"
    assert Batch.objects.get_by_natural_key("travel-with-micro-dramas-4") == batch


def test_a_work_cannot_be_listed_twice_in_one_batch():
    rec = RecommendationFactory()
    refused(Recommendation.objects.create, batch=rec.batch, work=rec.work, theme=None)


def test_batch_number_zero_is_refused():
    refused(BatchFactory, number=0)


def test_negative_counts_are_refused():
    refused(BatchFactory, total_announced=-1)
    count = BatchThemeCountFactory()
    refused(BatchThemeCount.objects.filter(pk=count.pk).update, announced=-3)


def test_a_theme_count_is_declared_once_per_batch():
    count = BatchThemeCountFactory()
    refused(BatchThemeCount.objects.create, batch=count.batch, theme=count.theme, announced=1)


def test_an_unknown_batch_status_is_refused():
    batch = BatchFactory()
    refused(Batch.objects.filter(pk=batch.pk).update, status="archived")


def test_slugs_are_unique():
    WorkFactory(slug="reunion")
    refused(WorkFactory, slug="reunion")


def test_season_and_episodes_must_be_positive():
    refused(WorkFactory, season=0)
    refused(WorkFactory, episodes=0)
    refused(WorkFactory, episode_minutes=0)


def test_coordinates_must_be_in_range_and_come_in_pairs():
    refused(PlaceFactory, latitude=91, longitude=0, coordinates_basis="gazetteer")
    refused(PlaceFactory, latitude=0, longitude=181, coordinates_basis="gazetteer")
    refused(PlaceFactory, latitude=30, longitude=None, coordinates_basis="gazetteer")
    assert PlaceFactory(
        latitude="24.479834", longitude="118.089425", coordinates_basis="gazetteer"
    ).latitude


def test_a_point_says_where_it_comes_from_and_a_basis_needs_a_point():
    refused(PlaceFactory, latitude="24.479834", longitude="118.089425", coordinates_basis="")
    refused(PlaceFactory, coordinates_basis="enclosing")
    refused(PlaceFactory, latitude=24, longitude=118, coordinates_basis="guessed")


def test_a_work_needs_a_title_in_one_language_at_least():
    refused(WorkFactory, title="", title_original="")
    assert str(WorkFactory(title="", title_original="恋恋茶园")) == "恋恋茶园"


def test_an_organisation_and_an_initiative_need_a_name_in_one_language_at_least():
    refused(OrganisationFactory, name="", name_original="")
    assert str(OrganisationFactory(name="", name_original="爱奇艺")) == "爱奇艺"
    refused(InitiativeFactory, name="", name_original="")


def test_a_place_cannot_be_its_own_parent():
    place = PlaceFactory()
    refused(Place.objects.filter(pk=place.pk).update, parent=place)


def test_an_organisation_has_one_link_per_role_to_a_work():
    link = WorkOrganisationFactory()
    refused(
        WorkOrganisation.objects.create,
        work=link.work,
        organisation=link.organisation,
        role=link.role,
    )
    assert WorkOrganisationFactory(
        work=link.work, organisation=link.organisation, role=WorkOrganisation.Role.BROADCASTER
    )


def test_a_place_is_linked_once_per_relation_to_a_work():
    link = WorkPlaceFactory()
    refused(WorkPlace.objects.create, work=link.work, place=link.place, relation=link.relation)


def test_deleting_a_place_that_works_refer_to_is_refused():
    from django.db.models import ProtectedError

    link = WorkPlaceFactory()
    with pytest.raises(ProtectedError):
        link.place.delete()
    producer = WorkOrganisationFactory().organisation
    with pytest.raises(ProtectedError):
        producer.delete()


def test_a_work_listed_only_in_a_draft_batch_is_not_published():
    draft = BatchFactory(status=Batch.Status.DRAFT)
    hidden = RecommendationFactory(batch=draft).work
    shown = RecommendationFactory(batch=BatchFactory()).work
    unlisted = WorkFactory()
    also_in_published = RecommendationFactory(batch=draft).work
    RecommendationFactory(batch=BatchFactory(), work=also_in_published)

    published = set(Work.objects.public())
    assert hidden not in published
    assert {shown, unlisted, also_in_published} <= published


def test_batch_counts_do_not_multiply_across_listed_works_and_theme_counts():
    batch = BatchFactory(total_announced=10)
    for announced in (4, 6):
        BatchThemeCountFactory(batch=batch, announced=announced)
    for _ in range(3):
        RecommendationFactory(batch=batch, theme=ThemeFactory())
    annotated = Batch.objects.with_counts().get(pk=batch.pk)
    assert (annotated.listed_count, annotated.announced_by_theme) == (3, 10)


def test_descendant_ids_include_every_level_below_a_place():
    province = PlaceFactory(kind=Place.Kind.PROVINCE)
    city = PlaceFactory(parent=province)
    site = PlaceFactory(parent=city, kind=Place.Kind.SITE)
    other = PlaceFactory()
    assert province.descendant_ids() == {province.pk, city.pk, site.pk}
    assert other.pk not in province.descendant_ids()
    assert list(site.ancestors()) == [province, city]


def test_undated_sources_sort_after_dated_ones_on_every_database():
    from catalog.models import Source
    from tests.factories import SourceFactory

    undated = SourceFactory(published_on=None, title="A undated")
    older = SourceFactory(published_on="2024-01-01", title="B older")
    newer = SourceFactory(published_on="2024-11-22", title="C newer")
    assert list(Source.objects.all()) == [newer, older, undated]


def test_a_title_without_a_season_sorts_before_its_seasons_on_every_database():
    second = WorkFactory(title="Haihun Line", season=2)
    plain = WorkFactory(title="Haihun Line", season=None)
    first = WorkFactory(title="Haihun Line", season=1)
    assert list(Work.objects.filter(title="Haihun Line")) == [plain, first, second]

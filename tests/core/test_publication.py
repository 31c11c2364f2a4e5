"""core.publication: what a published record shows becomes public with it, and leaves with
it unless something else public still shows it; the stored state always equals the rule."""

import pytest

from catalog.models import Organisation, Place, Source, Theme, Work
from core import publication
from core.models import PublicState
from initiatives.models import Batch
from initiatives.services import batch_publish, batch_unpublish
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    OrganisationFactory,
    PlaceFactory,
    RecommendationFactory,
    SourceFactory,
    ThemeFactory,
    UserFactory,
    WorkFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
)

pytestmark = pytest.mark.django_db


def public(model):
    return set(model.objects.public().values_list("slug", flat=True))


@pytest.fixture
def tree():
    """A draft batch listing a work set in a site inside a city inside a province, made by a
    producer that is part of a group: nothing public yet."""
    province = PlaceFactory(slug="zhejiang", published_directly=False)
    city = PlaceFactory(slug="ningbo", parent=province, published_directly=False)
    site = PlaceFactory(slug="tianyi-pavilion", parent=city, published_directly=False)
    group = OrganisationFactory(slug="group", published_directly=False)
    producer = OrganisationFactory(slug="producer", parent=group, published_directly=False)
    source = SourceFactory(slug="notice", published_directly=False)
    theme = ThemeFactory(slug="relics", published_directly=False)
    work = WorkFactory(slug="pavilion", sources=[source], themes=[theme], published_directly=False)
    WorkPlaceFactory(work=work, place=site)
    WorkOrganisationFactory(work=work, organisation=producer)
    batch = BatchFactory(status=Batch.Status.DRAFT, sources=[source])
    BatchThemeCountFactory(batch=batch, theme=theme, announced=1)
    RecommendationFactory(batch=batch, work=work, theme=theme, source=source)
    return batch


def test_publishing_a_batch_publishes_what_its_works_show_up_to_the_province(tree):
    assert not public(Place)
    assert not public(Work)

    batch_publish(batch=tree, user=UserFactory())

    assert public(Work) == {"pavilion"}
    assert public(Place) == {"zhejiang", "ningbo", "tianyi-pavilion"}
    assert public(Organisation) == {"group", "producer"}
    assert "notice" in public(Source)
    assert "relics" in public(Theme)


def test_going_back_to_draft_withdraws_the_whole_chain(tree):
    batch_publish(batch=tree, user=UserFactory())
    batch_unpublish(batch=tree, user=UserFactory())

    assert not public(Work)
    assert not public(Place)
    assert not public(Organisation)
    assert "notice" not in public(Source)
    assert "relics" not in public(Theme)


def test_a_place_another_public_work_shows_stays_public_when_one_batch_leaves(tree):
    other = WorkFactory(slug="other")  # published on its own
    WorkPlaceFactory(work=other, place=Place.objects.get(slug="ningbo"))
    batch_publish(batch=tree, user=UserFactory())

    batch_unpublish(batch=tree, user=UserFactory())

    assert public(Place) == {"zhejiang", "ningbo"}
    assert public(Work) == {"other"}


def test_withdrawal_stamps_updated_at_and_moves_the_public_state(tree):
    batch_publish(batch=tree, user=UserFactory())
    work = Work.objects.get(slug="pavilion")
    version = PublicState.current().version

    batch_unpublish(batch=tree, user=UserFactory())

    assert Work.objects.get(slug="pavilion").updated_at > work.updated_at
    assert PublicState.current().version > version


def test_a_scoped_refresh_leaves_nothing_for_a_full_one_to_do(tree):
    batch_publish(batch=tree, user=UserFactory())
    assert not publication.refresh()
    batch_unpublish(batch=tree, user=UserFactory())
    assert not publication.refresh()


def test_a_full_refresh_repairs_a_state_written_by_hand(tree):
    Work.objects.update(is_public=True)  # not the way to publish: the refresh puts it right

    changes = publication.refresh()

    assert changes.withdrawn[Work]
    assert not public(Work)


def test_what_shows_a_record_is_what_keeps_it_public(tree):
    batch_publish(batch=tree, user=UserFactory())
    site = Place.objects.get(slug="tianyi-pavilion")

    shown_by = dict(publication.shown_by(site))

    assert [work.slug for work in shown_by[Work]] == ["pavilion"]
    assert [place.slug for place in dict(publication.shown_by(site.parent))[Place]] == [
        "tianyi-pavilion"
    ]

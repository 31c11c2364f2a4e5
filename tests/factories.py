"""Test data factories (factory_boy). The seed fixture is not test data: it has its own tests.

Every value is a function of the factory's sequence number, never random: a test that passes
once passes every time, on every database (a random synopsis once made a fuzzy search match).

Records are published the way an editor publishes them, through core.publication: a record
stands on its own (`published_directly=True`) unless a test says otherwise, except that a
work listed in a batch is public only through its published batches. Pass
`published_directly=False` for a record that nothing published should show.
"""

import datetime
from contextlib import contextmanager

import factory
from django.contrib.auth import get_user_model

from catalog.models import Organisation, Place, Source, Theme, Work, WorkOrganisation, WorkPlace
from core import publication
from core.models import PublicRecord
from initiatives.models import (
    Batch,
    BatchThemeCount,
    Figure,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
)

_publishing_deferred = False
# Records made while publishing is deferred, whose public state to reload at the end.
_made_while_deferred: list = []


@contextmanager
def published_at_the_end():
    """Build many records, then work out what is public once (as the seed loader does),
    rather than after every record: for tests and fixtures that build a dozen records or
    more. The records come out as if each had been published on its own: the same rows,
    and `is_public` and `updated_at` reloaded on the instances the factories returned."""
    global _publishing_deferred
    _publishing_deferred = True
    try:
        yield
    finally:
        _publishing_deferred = False
        made = _made_while_deferred[:]
        _made_while_deferred.clear()
    publication.refresh()
    _reload_public_state(made)


def _reload_public_state(instances) -> None:
    """What PublishedFactory reloads after publishing one record, for many: one query per
    model."""
    by_model: dict[type, dict[int, list]] = {}
    for instance in instances:
        if isinstance(instance, PublicRecord):
            by_model.setdefault(type(instance), {}).setdefault(instance.pk, []).append(instance)
    for model, by_pk in by_model.items():
        rows = model._base_manager.filter(pk__in=list(by_pk)).values_list(
            "pk", "is_public", "updated_at"
        )
        for pk, is_public, updated_at in rows.iterator():
            for instance in by_pk[pk]:
                instance.is_public, instance.updated_at = is_public, updated_at


def create_in_bulk(factory_class, rows, **common) -> list:
    """Records with the values `factory_class` gives them, saved in one INSERT per call
    (bulk_create) rather than one save, history row and publishing pass each: for tests
    that need dozens of records and check what a page or the API does with them.

    `rows` is a number of records, or one dict of values per record; `common` applies to
    all. Pass every foreign key as a saved record (a SubFactory would only be built, not
    saved). Post-generation links (a work's sources, themes) are not made: add them with
    `link()`. Call it inside published_at_the_end(), which then works out what is public."""
    assert _publishing_deferred, "create_in_bulk() runs inside published_at_the_end()"
    if isinstance(rows, int):
        rows = [{}] * rows
    objects = [factory_class.build(**common, **row) for row in rows]
    objects = factory_class._meta.model._base_manager.bulk_create(objects)
    _made_while_deferred.extend(objects)
    return objects


def link(relation, pairs) -> None:
    """Many-to-many links in one INSERT: `link(Work.sources, [(work, source), ...])`."""
    field = relation.field
    through = relation.through
    left, right = field.m2m_field_name(), field.m2m_reverse_field_name()
    through._base_manager.bulk_create(
        through(**{f"{left}_id": a.pk, f"{right}_id": b.pk}) for a, b in pairs
    )


class PublishedFactory(factory.django.DjangoModelFactory):
    """Creates the record (and its many-to-many links), then lets core.publication work out
    what is public."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create and _publishing_deferred:
            _made_while_deferred.append(instance)
        elif create:
            publication.refresh(publication.touched_by(instance))
            if isinstance(instance, PublicRecord):
                instance.refresh_from_db(fields=["is_public", "updated_at"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class SourceFactory(PublishedFactory):
    class Meta:
        model = Source

    published_directly = True

    title = factory.Sequence(lambda n: f"Source document {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    publisher = "Example Daily"
    published_on = factory.Sequence(
        lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(n % 366)
    )


class ThemeFactory(PublishedFactory):
    class Meta:
        model = Theme

    published_directly = True

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")
    position = factory.Sequence(lambda n: n)


class PlaceFactory(PublishedFactory):
    class Meta:
        model = Place

    published_directly = True

    name = factory.Sequence(lambda n: f"Place {n}")
    slug = factory.Sequence(lambda n: f"place-{n}")
    kind = Place.Kind.CITY
    # A point says where it comes from (a check constraint): a test's point is an editor's.
    coordinates_basis = factory.LazyAttribute(
        lambda place: "" if getattr(place, "latitude", None) is None else "editor"
    )


class OrganisationFactory(PublishedFactory):
    class Meta:
        model = Organisation

    published_directly = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.PRODUCER


class WorkFactory(PublishedFactory):
    class Meta:
        model = Work
        skip_postgeneration_save = True

    published_directly = True

    title = factory.Sequence(lambda n: f"Work {n}")
    slug = factory.Sequence(lambda n: f"work-{n}")
    synopsis = factory.Sequence(lambda n: f"The story of work number {n}.")

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted if extracted is not None else [SourceFactory()])

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class WorkPlaceFactory(PublishedFactory):
    class Meta:
        model = WorkPlace

    work = factory.SubFactory(WorkFactory)
    place = factory.SubFactory(PlaceFactory)
    relation = WorkPlace.Relation.FILMED_AT


class WorkOrganisationFactory(PublishedFactory):
    class Meta:
        model = WorkOrganisation

    work = factory.SubFactory(WorkFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = WorkOrganisation.Role.PRODUCER


class InitiativeFactory(PublishedFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    published_directly = True

    name = factory.Sequence(lambda n: f"Initiative {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")
    kind = Initiative.Kind.CREATION_PLAN

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted if extracted is not None else [SourceFactory()])


class InitiativeOrganisationFactory(PublishedFactory):
    class Meta:
        model = InitiativeOrganisation

    initiative = factory.SubFactory(InitiativeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = InitiativeOrganisation.Role.INITIATOR


class BatchFactory(PublishedFactory):
    class Meta:
        model = Batch
        skip_postgeneration_save = True

    initiative = factory.SubFactory(InitiativeFactory)
    number = factory.Sequence(lambda n: n + 1)
    # What Batch.save() derives; given here too for records saved by create_in_bulk().
    slug = factory.LazyAttribute(lambda batch: f"{batch.initiative.slug}-{batch.number}")
    # Within 2024 whatever the sequence has reached: a test's years must not depend on how
    # many batches the tests before it made.
    announced_on = factory.Sequence(
        lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(n % 366)
    )
    event = "Announcement forum"
    status = Batch.Status.PUBLISHED

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted if extracted is not None else [SourceFactory()])


class BatchThemeCountFactory(PublishedFactory):
    class Meta:
        model = BatchThemeCount

    batch = factory.SubFactory(BatchFactory)
    theme = factory.SubFactory(ThemeFactory)
    announced = 3


class RecommendationFactory(PublishedFactory):
    """A work listed in a batch: from then on the work is public only through its published
    batches, as an editor's listed work is."""

    class Meta:
        model = Recommendation

    batch = factory.SubFactory(BatchFactory)
    work = factory.SubFactory(WorkFactory)
    theme = factory.SubFactory(ThemeFactory)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and instance.work.published_directly:
            instance.work.published_directly = False
            instance.work.save(update_fields=["published_directly"])
        super()._after_postgeneration(instance, create, results)
        if create and _publishing_deferred:
            _made_while_deferred.append(instance.work)
        elif create:
            instance.work.refresh_from_db(fields=["is_public", "updated_at"])


class FigureFactory(PublishedFactory):
    class Meta:
        model = Figure

    published_directly = True

    label = factory.Sequence(lambda n: f"Figure {n}")
    slug = factory.Sequence(lambda n: f"figure-{n}")
    value = 576000000
    display = "576 million"
    quote = "the number of users has reached 576 million"
    source = factory.SubFactory(SourceFactory)


def create_works_in_bulk(rows, **common) -> list[Work]:
    """Works as WorkFactory makes them, each with a source of its own, saved in bulk
    (create_in_bulk(): `rows` a number or one dict per work, inside published_at_the_end())."""
    works = create_in_bulk(WorkFactory, rows, **common)
    link(Work.sources, zip(works, create_in_bulk(SourceFactory, len(works)), strict=True))
    return works

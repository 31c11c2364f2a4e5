"""Test data factories (factory_boy). The seed fixture is not test data: it has its own tests.

Every value is a function of the factory's sequence number, never random: a test that passes
once passes every time, on every database (a random synopsis once made a fuzzy search match).
"""

import datetime

import factory
from django.contrib.auth import get_user_model

from catalog.models import Organisation, Place, Source, Theme, Work, WorkOrganisation, WorkPlace
from initiatives.models import (
    Batch,
    BatchThemeCount,
    Figure,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source document {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    publisher = "Example Daily"
    published_on = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(n))


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")
    position = factory.Sequence(lambda n: n)


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Place {n}")
    slug = factory.Sequence(lambda n: f"place-{n}")
    kind = Place.Kind.CITY


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.PRODUCER


class WorkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Work
        skip_postgeneration_save = True

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


class WorkPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlace

    work = factory.SubFactory(WorkFactory)
    place = factory.SubFactory(PlaceFactory)
    relation = WorkPlace.Relation.FILMED_AT


class WorkOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkOrganisation

    work = factory.SubFactory(WorkFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = WorkOrganisation.Role.PRODUCER


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Initiative {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")
    kind = Initiative.Kind.CREATION_PLAN

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted if extracted is not None else [SourceFactory()])


class InitiativeOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InitiativeOrganisation

    initiative = factory.SubFactory(InitiativeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = InitiativeOrganisation.Role.INITIATOR


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch
        skip_postgeneration_save = True

    initiative = factory.SubFactory(InitiativeFactory)
    number = factory.Sequence(lambda n: n + 1)
    announced_on = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(n))
    event = "Announcement forum"
    status = Batch.Status.PUBLISHED

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted if extracted is not None else [SourceFactory()])


class BatchThemeCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BatchThemeCount

    batch = factory.SubFactory(BatchFactory)
    theme = factory.SubFactory(ThemeFactory)
    announced = 3


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    batch = factory.SubFactory(BatchFactory)
    work = factory.SubFactory(WorkFactory)
    theme = factory.SubFactory(ThemeFactory)


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    label = factory.Sequence(lambda n: f"Figure {n}")
    slug = factory.Sequence(lambda n: f"figure-{n}")
    value = 576000000
    display = "576 million"
    quote = "the number of users has reached 576 million"
    source = factory.SubFactory(SourceFactory)

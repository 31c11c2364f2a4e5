"""What each filter parameter means, tested on the FilterSets themselves (as NetBox's
test_filtersets.py does): the FilterSets are shared by the HTML lists and the API, so their
meaning is pinned once here, and tests/public/api/test_filters.py checks once per endpoint that the
API hands its parameters to them."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from catalog.models import Organisation, Place, Work, WorkOrganisation
from initiatives.models import Initiative, InitiativeOrganisation
from public.filters import (
    BatchFilterSet,
    InitiativeFilterSet,
    OrganisationFilterSet,
    PlaceFilterSet,
    ThemeFilterSet,
    WorkFilterSet,
)
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    InitiativeFactory,
    InitiativeOrganisationFactory,
    OrganisationFactory,
    PlaceFactory,
    RecommendationFactory,
    ThemeFactory,
    WorkFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
)

pytestmark = pytest.mark.django_db


def query(params) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        data.setlist(name, [str(v) for v in values])
    return data


def filtered(filterset_class, params=None):
    """The public records the FilterSet keeps for these parameters, in its order."""
    model = filterset_class._meta.model
    filterset = filterset_class(query(params or {}), queryset=model.objects.public())
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("slug", flat=True))


def slugs(filterset_class, params=None):
    return sorted(filtered(filterset_class, params))


def works(**params):
    return slugs(WorkFilterSet, params)


#
# Works
#


def test_works_filter_by_theme_tag_or_recommendation_theme():
    theme = ThemeFactory(slug="heritage")
    WorkFactory(slug="tagged", themes=[theme])
    RecommendationFactory(work=WorkFactory(slug="recommended"), theme=theme)
    WorkFactory(slug="other")

    assert works(theme="heritage") == ["recommended", "tagged"]


def test_works_filter_by_several_themes_means_any_of_them():
    a, b = ThemeFactory(slug="a"), ThemeFactory(slug="b")
    WorkFactory(slug="in-a", themes=[a])
    WorkFactory(slug="in-b", themes=[b])
    WorkFactory(slug="in-none")

    assert works(theme=["a", "b"]) == ["in-a", "in-b"]


def test_works_filter_by_theme_id():
    theme = ThemeFactory()
    WorkFactory(slug="tagged", themes=[theme])
    WorkFactory(slug="other")

    assert works(theme_id=theme.pk) == ["tagged"]


def test_works_filter_by_initiative_counts_published_batches_only():
    initiative = InitiativeFactory(slug="travel")
    RecommendationFactory(work=WorkFactory(slug="listed"), batch__initiative=initiative)
    RecommendationFactory(work=WorkFactory(slug="elsewhere"))

    assert works(initiative="travel") == ["listed"]
    assert works(initiative_id=initiative.pk) == ["listed"]


def test_works_filter_by_batch_slug():
    batch = BatchFactory(initiative__slug="travel", number=4)
    RecommendationFactory(work=WorkFactory(slug="fourth"), batch=batch)
    RecommendationFactory(
        work=WorkFactory(slug="third"), batch__initiative=batch.initiative, batch__number=3
    )

    assert works(batch="travel-4") == ["fourth"]
    assert works(batch=["travel-4", "travel-3"]) == ["fourth", "third"]


def test_works_filter_by_batch_id():
    batch = BatchFactory()
    RecommendationFactory(work=WorkFactory(slug="listed"), batch=batch)
    WorkFactory(slug="other")

    assert works(batch_id=batch.pk) == ["listed"]


def test_works_filter_by_initiative_and_batch_number():
    travel, brand = InitiativeFactory(slug="travel"), InitiativeFactory(slug="brand")
    RecommendationFactory(
        work=WorkFactory(slug="travel-4"), batch__initiative=travel, batch__number=4
    )
    RecommendationFactory(
        work=WorkFactory(slug="brand-4"), batch__initiative=brand, batch__number=4
    )
    RecommendationFactory(
        work=WorkFactory(slug="travel-3"), batch__initiative=travel, batch__number=3
    )

    assert works(initiative="travel", batch_number=4) == ["travel-4"]
    assert works(batch_number=4) == ["brand-4", "travel-4"]


def test_works_filter_by_a_province_includes_its_cities_and_sites():
    fujian = PlaceFactory(slug="fujian", kind=Place.Kind.PROVINCE)
    xiamen = PlaceFactory(slug="xiamen", parent=fujian)
    gulangyu = PlaceFactory(slug="gulangyu", parent=xiamen, kind=Place.Kind.SITE)
    WorkPlaceFactory(work=WorkFactory(slug="in-xiamen"), place=xiamen)
    WorkPlaceFactory(work=WorkFactory(slug="on-gulangyu"), place=gulangyu)
    WorkPlaceFactory(work=WorkFactory(slug="in-ningbo"), place=PlaceFactory(slug="ningbo"))

    assert works(place="fujian") == ["in-xiamen", "on-gulangyu"]
    assert works(place="gulangyu") == ["on-gulangyu"]
    assert works(place_id=xiamen.pk) == ["in-xiamen", "on-gulangyu"]


def test_works_filter_by_organisation_in_any_role():
    douyin = OrganisationFactory(slug="douyin")
    WorkOrganisationFactory(
        work=WorkFactory(slug="platform"), organisation=douyin, role=WorkOrganisation.Role.PLATFORM
    )
    WorkOrganisationFactory(work=WorkFactory(slug="producer"), organisation=douyin)
    WorkFactory(slug="other")

    assert works(organisation="douyin") == ["platform", "producer"]
    assert works(organisation_id=douyin.pk) == ["platform", "producer"]


def test_works_filter_by_organisation_and_role_means_that_organisation_in_that_role():
    douyin, lianjia = OrganisationFactory(slug="douyin"), OrganisationFactory(slug="lianjia")
    WorkOrganisationFactory(
        work=WorkFactory(slug="on-douyin"), organisation=douyin, role=WorkOrganisation.Role.PLATFORM
    )
    WorkOrganisationFactory(work=WorkFactory(slug="made-by-douyin"), organisation=douyin)
    WorkOrganisationFactory(
        work=WorkFactory(slug="lianjia-brand"),
        organisation=lianjia,
        role=WorkOrganisation.Role.BRAND_PARTNER,
    )

    assert works(organisation="douyin", role="platform") == ["on-douyin"]
    assert works(role="brand_partner") == ["lianjia-brand"]
    assert works(role=["brand_partner", "platform"]) == ["lianjia-brand", "on-douyin"]


def test_works_filter_by_year_released_or_recommended():
    WorkFactory(slug="released-2024", year=2024)
    RecommendationFactory(
        work=WorkFactory(slug="recommended-2024"), batch__announced_on=datetime.date(2024, 10, 12)
    )
    WorkFactory(slug="released-2023", year=2023)

    assert works(year=2024) == ["recommended-2024", "released-2024"]


def test_works_filter_by_updated_since_a_date_or_a_date_time():
    old = WorkFactory(slug="old")
    Work.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=30))
    WorkFactory(slug="new")
    since = (timezone.now() - datetime.timedelta(days=1)).replace(microsecond=0)

    assert works(updated_since=since.date().isoformat()) == ["new"]
    assert works(updated_since=since.isoformat()) == ["new"]
    assert works(updated_since="2000-01-01T00:00:00Z") == ["new", "old"]


def test_works_search_q_finds_english_and_one_or_two_chinese_characters():
    WorkFactory(slug="tea", title="The Tea Road", title_original="茶路")
    WorkFactory(slug="travel", title="Travel", title_original="跟着微短剧去旅行")

    assert works(q="tea road") == ["tea"]
    assert works(q="茶") == ["tea"]
    assert works(q="短剧") == ["travel"]
    assert works(q="微短剧去旅行") == ["travel"]


def test_works_ordering_by_title_year_and_newest_batch():
    WorkFactory(slug="b", title="B", year=2023)
    WorkFactory(slug="a", title="A", year=2024)
    RecommendationFactory(
        work=WorkFactory(slug="c", title="C"), batch__announced_on=datetime.date(2024, 10, 12)
    )

    def order(value):
        return filtered(WorkFilterSet, {"ordering": value})

    assert order("title") == ["a", "b", "c"]
    assert order("-title") == ["c", "b", "a"]
    assert order("-year") == ["a", "b", "c"]  # no year: last
    assert order("-newest_batch")[0] == "c"


#
# Themes, places, organisations
#


def test_themes_filter_by_initiative_q_and_updated_since():
    heritage = ThemeFactory(slug="heritage", name="Intangible heritage", name_original="非遗")
    ThemeFactory(slug="rural", name="Rural")
    InitiativeFactory(slug="travel").themes.add(heritage)

    assert slugs(ThemeFilterSet, {"initiative": "travel"}) == ["heritage"]
    assert slugs(ThemeFilterSet, {"q": "非"}) == ["heritage"]
    assert slugs(ThemeFilterSet, {"updated_since": "2000-01-01"}) == [
        "heritage",
        "rural",
    ]
    assert slugs(ThemeFilterSet, {"ordering": "-name"}) == ["heritage", "rural"]


def test_places_filter_by_kind_parent_within_and_q():
    fujian = PlaceFactory(slug="fujian", name="Fujian", kind=Place.Kind.PROVINCE)
    xiamen = PlaceFactory(slug="xiamen", name="Xiamen", parent=fujian)
    PlaceFactory(slug="gulangyu", name="Gulangyu", parent=xiamen, kind=Place.Kind.SITE)

    assert slugs(PlaceFilterSet, {"kind": "province"}) == ["fujian"]
    assert slugs(PlaceFilterSet, {"parent": "fujian"}) == ["xiamen"]
    assert slugs(PlaceFilterSet, {"within": "fujian"}) == ["gulangyu", "xiamen"]
    assert slugs(PlaceFilterSet, {"q": "xia"}) == ["xiamen"]


def test_organisations_filter_by_kind_role_and_q():
    OrganisationFactory(slug="nrta", name="NRTA", kind=Organisation.Kind.REGULATOR)
    douyin = OrganisationFactory(slug="douyin", name="Douyin", kind=Organisation.Kind.PLATFORM)
    WorkOrganisationFactory(organisation=douyin, role=WorkOrganisation.Role.PLATFORM)
    InitiativeOrganisationFactory(
        organisation=Organisation.objects.get(slug="nrta"),
        role=InitiativeOrganisation.Role.GUIDING_AUTHORITY,
    )

    assert slugs(OrganisationFilterSet, {"kind": "regulator"}) == ["nrta"]
    assert slugs(OrganisationFilterSet, {"role": "platform"}) == ["douyin"]
    assert slugs(OrganisationFilterSet, {"role": "guiding_authority"}) == ["nrta"]
    assert slugs(OrganisationFilterSet, {"q": "dou"}) == ["douyin"]


def test_organisations_filter_by_the_place_they_are_based_in_or_inside_it():
    fujian = PlaceFactory(slug="fujian", kind=Place.Kind.PROVINCE)
    xiamen = PlaceFactory(slug="xiamen", parent=fujian)
    OrganisationFactory(slug="fuzhou-studio", place=fujian)
    OrganisationFactory(slug="xiamen-studio", place=xiamen)
    OrganisationFactory(slug="nowhere-studio")

    assert slugs(OrganisationFilterSet, {"place": "fujian"}) == ["fuzhou-studio", "xiamen-studio"]
    assert slugs(OrganisationFilterSet, {"place": "xiamen"}) == ["xiamen-studio"]
    assert not OrganisationFilterSet({"place": "atlantis"}).is_valid()


#
# Initiatives and batches
#


def test_initiatives_filter_by_kind_organisation_role_theme_and_q():
    travel = InitiativeFactory(slug="travel", name="Travel with Micro-Dramas")
    InitiativeFactory(slug="contest", kind=Initiative.Kind.COMPETITION)
    nrta = OrganisationFactory(slug="nrta")
    InitiativeOrganisationFactory(
        initiative=travel, organisation=nrta, role=InitiativeOrganisation.Role.GUIDING_AUTHORITY
    )
    travel.themes.add(ThemeFactory(slug="heritage"))

    filterset = InitiativeFilterSet
    assert slugs(filterset, {"kind": "competition"}) == ["contest"]
    assert slugs(filterset, {"organisation": "nrta"}) == ["travel"]
    assert slugs(filterset, {"organisation": "nrta", "role": "initiator"}) == []
    assert slugs(filterset, {"role": "guiding_authority"}) == ["travel"]
    assert slugs(filterset, {"theme": "heritage"}) == ["travel"]
    assert slugs(filterset, {"q": "micro"}) == ["travel"]


def test_batches_filter_by_initiative_number_year_dates_and_theme():
    travel = InitiativeFactory(slug="travel")
    third = BatchFactory(initiative=travel, number=3, announced_on=datetime.date(2024, 3, 1))
    fourth = BatchFactory(initiative=travel, number=4, announced_on=datetime.date(2024, 10, 12))
    BatchFactory(initiative__slug="brand", number=1, announced_on=datetime.date(2025, 1, 5))
    heritage = ThemeFactory(slug="heritage")
    BatchThemeCountFactory(batch=third, theme=heritage)
    # Listed under the theme without a count for it: the theme's page shows it too.
    RecommendationFactory(batch=fourth, theme=heritage)

    filterset = BatchFilterSet
    assert slugs(filterset, {"initiative": "travel"}) == ["travel-3", "travel-4"]
    assert slugs(filterset, {"initiative_id": travel.pk}) == ["travel-3", "travel-4"]
    assert slugs(filterset, {"number": 4}) == ["travel-4"]
    assert slugs(filterset, {"year": 2025}) == ["brand-1"]
    assert slugs(filterset, {"announced_after": "2024-10-01"}) == ["brand-1", "travel-4"]
    assert slugs(filterset, {"announced_before": "2024-10-01"}) == ["travel-3"]
    assert slugs(filterset, {"theme": "heritage"}) == ["travel-3", "travel-4"]
    assert slugs(filterset, {"updated_since": "2000-01-01"}) == [
        "brand-1",
        "travel-3",
        "travel-4",
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking uses pg_trgm; SQLite orders by title"
)
def test_works_search_ranks_the_closest_match_first_on_postgresql():
    WorkFactory(slug="a", title="A Macauesque night")  # first by title, a partial match
    WorkFactory(slug="b", title="Macau")

    assert filtered(WorkFilterSet, {"q": "macau"}) == ["b", "a"]


def test_works_search_q_ignores_near_misses_in_synopses_but_not_in_titles(db):
    # pg_trgm's word similarity of "tea road" and "A road to tears" is 0.73: in a synopsis a
    # near miss like that is noise, in a title it is a misspelling worth forgiving.
    WorkFactory(slug="tea", title="The Tea Road", title_original="茶路")
    WorkFactory(slug="travel", title="Travel", synopsis="A road to tears.")
    WorkFactory(slug="misspelt", title="The Tee Road")

    found = works(q="tea road")

    assert "travel" not in found
    fuzzy = connection.vendor == "postgresql"  # SQLite matches substrings only
    assert found == (["misspelt", "tea"] if fuzzy else ["tea"])


@pytest.mark.parametrize(
    "filterset_class",
    [WorkFilterSet, ThemeFilterSet, PlaceFilterSet, OrganisationFilterSet, InitiativeFilterSet],
)
def test_filters_left_empty_compile_no_query(filterset_class, monkeypatch):
    """A list asked with no related filter (a work's detail, the first page) spends nothing on
    them: before, each empty choice cleaned to `queryset.none()` and its filter method's
    `if not value` compiled it (ten on the works list, 10 ms a request)."""
    from django.db.models.sql.compiler import SQLCompiler

    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    model = filterset_class._meta.model
    filterset = filterset_class(query({}), queryset=model.objects.public())
    assert filterset.is_valid(), filterset.errors
    filterset.qs  # noqa: B018 (the filtered queryset, built lazily)
    assert compiled == []
    assert all(value in (None, "", []) for value in filterset.form.cleaned_data.values())

"""The FilterSets of the public faces. Each one serves both the HTML list and the API list,
so a filter URL means the same on both (`/works/?theme=x` and `/api/v1/works/?theme=x`).

Related filters come by slug (`theme=`) and by id (`theme_id=`); several values of one filter
mean OR (`?theme=a&theme=b`); different filters combine with AND. Filters over relations
use EXISTS subqueries rather than joins, so a work matching twice is still listed once and
no DISTINCT is needed.
"""

import django_filters
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Organisation, Place, Theme, Work, WorkOrganisation, WorkPlace
from core.filters import (
    ChangedSinceFilter,
    IdMultipleChoiceFilter,
    SearchFilter,
    YearFilter,
)
from initiatives.models import Batch, Initiative, InitiativeOrganisation, Recommendation

# Batch numbers are PositiveSmallIntegerFields; a larger number cannot match, and bounding it
# keeps an absurd value from reaching the database as an overflowing integer.
MAX_BATCH_NUMBER = 32767


def published_batches():
    return Batch.objects.published()


#
# Works
#


class WorkOrderingFilter(django_filters.OrderingFilter):
    """Sort by title, newest batch (the latest published batch that lists the work), year,
    or last change."""

    def __init__(self, **kwargs):
        super().__init__(
            fields=(
                ("title", "title"),
                ("latest_batch_on", "newest_batch"),
                ("year", "year"),
                ("updated_at", "updated_at"),
                ("created_at", "created_at"),
            ),
            field_labels={
                "title": _("Title"),
                "latest_batch_on": _("Newest batch"),
                "year": _("Year"),
                "updated_at": _("Last changed"),
                "created_at": _("First recorded"),
            },
            **kwargs,
        )

    def filter(self, qs, value):
        if not value:
            return qs
        if any(v.lstrip("-") == "newest_batch" for v in value):
            qs = qs.annotate(
                latest_batch_on=Max(
                    "recommendations__batch__announced_on",
                    filter=Q(recommendations__batch__status=Batch.Status.PUBLISHED),
                )
            )
        # Nulls last either way, then a stable tie-break so pages never overlap.
        expressions = []
        for param in value:
            field = self.get_ordering_value(param)
            name = field.lstrip("-")
            descending = field.startswith("-")
            expressions.append(
                F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
            )
        return qs.order_by(*expressions, "title", "pk")


class WorkFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        search_fields=["title", "title_original", "synopsis"],
        fuzzy_fields=["title", "title_original"],
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        queryset=Theme.objects.all(),
        to_field_name="slug",
        method="filter_theme",
        label=_("Theme (slug); several mean any of them"),
    )
    theme_id = IdMultipleChoiceFilter(
        queryset=Theme.objects.all(), method="filter_theme", label=_("Theme (id)")
    )
    initiative = django_filters.ModelMultipleChoiceFilter(
        queryset=Initiative.objects.all(),
        to_field_name="slug",
        method="filter_initiative",
        label=_("Initiative (slug) whose published batches list the work"),
    )
    initiative_id = IdMultipleChoiceFilter(
        queryset=Initiative.objects.all(), method="filter_initiative", label=_("Initiative (id)")
    )
    batch = django_filters.ModelMultipleChoiceFilter(
        queryset=published_batches(),
        to_field_name="slug",
        method="filter_batch",
        label=_("Batch (slug: initiative slug and number, e.g. travel-with-micro-dramas-4)"),
    )
    batch_id = IdMultipleChoiceFilter(
        queryset=published_batches(), method="filter_batch", label=_("Batch (id)")
    )
    batch_number = django_filters.NumberFilter(
        method="filter_batch_number",
        min_value=1,
        max_value=MAX_BATCH_NUMBER,
        label=_("Batch number, with `initiative` (e.g. initiative=x&batch_number=4)"),
    )
    place = django_filters.ModelMultipleChoiceFilter(
        queryset=Place.objects.all(),
        to_field_name="slug",
        method="filter_place",
        label=_("Place (slug); a province includes its cities and sites"),
    )
    place_id = IdMultipleChoiceFilter(
        queryset=Place.objects.all(), method="filter_place", label=_("Place (id)")
    )
    organisation = django_filters.ModelMultipleChoiceFilter(
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        method="filter_organisation",
        label=_("Organisation (slug) behind the work, in any role unless `role` is given"),
    )
    organisation_id = IdMultipleChoiceFilter(
        queryset=Organisation.objects.all(),
        method="filter_organisation",
        label=_("Organisation (id)"),
    )
    role = django_filters.MultipleChoiceFilter(
        choices=WorkOrganisation.Role.choices,
        method="filter_role",
        label=_("Role of an organisation behind the work"),
    )
    year = YearFilter(
        method="filter_year",
        label=_("Year the work was released or recommended in a published batch"),
    )
    updated_since = ChangedSinceFilter()
    ordering = WorkOrderingFilter(label=_("Sort by"))

    class Meta:
        model = Work
        fields = []

    def filter_theme(self, qs, name, value):
        if not value:
            return qs
        return qs.in_themes(theme__in=value)

    def filter_initiative(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(
            Exists(
                Recommendation.objects.filter(
                    work=OuterRef("pk"),
                    batch__initiative__in=value,
                    batch__status=Batch.Status.PUBLISHED,
                )
            )
        )

    def filter_batch(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(
            Exists(Recommendation.objects.filter(work=OuterRef("pk"), batch__in=value))
        )

    def filter_batch_number(self, qs, name, value):
        if value is None:
            return qs
        initiatives = self.form.cleaned_data.get("initiative") or self.form.cleaned_data.get(
            "initiative_id"
        )
        batches = Batch.objects.published().filter(number=value)
        if initiatives:
            batches = batches.filter(initiative__in=initiatives)
        return qs.filter(
            Exists(Recommendation.objects.filter(work=OuterRef("pk"), batch__in=batches))
        )

    def filter_place(self, qs, name, value):
        if not value:
            return qs
        place_ids = set().union(*(place.descendant_ids() for place in value))
        return qs.filter(
            Exists(WorkPlace.objects.filter(work=OuterRef("pk"), place_id__in=place_ids))
        )

    def filter_organisation(self, qs, name, value):
        if not value:
            return qs
        links = WorkOrganisation.objects.filter(work=OuterRef("pk"), organisation__in=value)
        roles = self.form.cleaned_data.get("role")
        if roles:
            links = links.filter(role__in=roles)
        return qs.filter(Exists(links))

    def filter_role(self, qs, name, value):
        if not value:
            return qs
        data = self.form.cleaned_data
        if data.get("organisation") or data.get("organisation_id"):
            return qs  # applied together with the organisation
        return qs.filter(
            Exists(WorkOrganisation.objects.filter(work=OuterRef("pk"), role__in=value))
        )

    def filter_year(self, qs, name, value):
        if value is None:
            return qs
        recommended = Recommendation.objects.filter(
            work=OuterRef("pk"),
            batch__announced_on__year=value,
            batch__status=Batch.Status.PUBLISHED,
        )
        return qs.filter(Q(year=value) | Exists(recommended))


#
# Themes, places, organisations
#


class ThemeFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        search_fields=["name", "name_original", "description"],
        fuzzy_fields=["name", "name_original"],
    )
    initiative = django_filters.ModelMultipleChoiceFilter(
        queryset=Initiative.objects.all(),
        to_field_name="slug",
        # With to_field_name, django-filter compares the slug itself, so name the slug.
        field_name="initiatives__slug",
        distinct=True,
        label=_("Initiative (slug)"),
    )
    updated_since = ChangedSinceFilter()
    ordering = django_filters.OrderingFilter(fields=("position", "name", "updated_at"))

    class Meta:
        model = Theme
        fields = []


class PlaceFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        search_fields=["name", "name_original", "description"],
        fuzzy_fields=["name", "name_original"],
    )
    kind = django_filters.MultipleChoiceFilter(choices=Place.Kind.choices)
    parent = django_filters.ModelChoiceFilter(
        queryset=Place.objects.all(), to_field_name="slug", label=_("Directly inside (slug)")
    )
    within = django_filters.ModelChoiceFilter(
        queryset=Place.objects.all(),
        to_field_name="slug",
        method="filter_within",
        label=_("Inside, at any depth (slug)"),
    )
    updated_since = ChangedSinceFilter()
    ordering = django_filters.OrderingFilter(fields=("name", "kind", "updated_at"))

    class Meta:
        model = Place
        fields = []

    def filter_within(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(pk__in=value.descendant_ids() - {value.pk})


class OrganisationFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        search_fields=["name", "name_original", "description"],
        fuzzy_fields=["name", "name_original"],
    )
    kind = django_filters.MultipleChoiceFilter(choices=Organisation.Kind.choices)
    role = django_filters.MultipleChoiceFilter(
        choices=WorkOrganisation.Role.choices + InitiativeOrganisation.Role.choices,
        method="filter_role",
        label=_("Has this role in a work or an initiative"),
    )
    updated_since = ChangedSinceFilter()
    ordering = django_filters.OrderingFilter(fields=("name", "kind", "updated_at"))

    class Meta:
        model = Organisation
        fields = []

    def filter_role(self, qs, name, value):
        if not value:
            return qs
        in_work = WorkOrganisation.objects.filter(organisation=OuterRef("pk"), role__in=value)
        in_initiative = InitiativeOrganisation.objects.filter(
            organisation=OuterRef("pk"), role__in=value
        )
        return qs.filter(Exists(in_work) | Exists(in_initiative))


#
# Initiatives and batches
#


class InitiativeFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        search_fields=["name", "name_original", "aims", "description"],
        fuzzy_fields=["name", "name_original"],
    )
    kind = django_filters.MultipleChoiceFilter(choices=Initiative.Kind.choices)
    organisation = django_filters.ModelMultipleChoiceFilter(
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        method="filter_organisation",
        label=_("Organisation (slug) that guides, initiates or runs it"),
    )
    role = django_filters.MultipleChoiceFilter(
        choices=InitiativeOrganisation.Role.choices,
        method="filter_role",
        label=_("With `organisation`: only in this role"),
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        queryset=Theme.objects.all(),
        to_field_name="slug",
        # With to_field_name, django-filter compares the slug itself, so name the slug.
        field_name="themes__slug",
        distinct=True,
        label=_("Theme (slug)"),
    )
    updated_since = ChangedSinceFilter()
    ordering = django_filters.OrderingFilter(fields=("name", "launched_on", "updated_at"))

    class Meta:
        model = Initiative
        fields = []

    def filter_organisation(self, qs, name, value):
        if not value:
            return qs
        links = InitiativeOrganisation.objects.filter(
            initiative=OuterRef("pk"), organisation__in=value
        )
        roles = self.form.cleaned_data.get("role")
        if roles:
            links = links.filter(role__in=roles)
        return qs.filter(Exists(links))

    def filter_role(self, qs, name, value):
        if not value or self.form.cleaned_data.get("organisation"):
            return qs
        return qs.filter(
            Exists(InitiativeOrganisation.objects.filter(initiative=OuterRef("pk"), role__in=value))
        )


class BatchFilterSet(django_filters.FilterSet):
    initiative = django_filters.ModelMultipleChoiceFilter(
        queryset=Initiative.objects.all(),
        to_field_name="slug",
        field_name="initiative__slug",
        label=_("Initiative (slug)"),
    )
    initiative_id = IdMultipleChoiceFilter(
        queryset=Initiative.objects.all(), field_name="initiative", label=_("Initiative (id)")
    )
    number = django_filters.NumberFilter(
        min_value=1, max_value=MAX_BATCH_NUMBER, label=_("Batch number")
    )
    year = YearFilter(field_name="announced_on", lookup_expr="year", label=_("Year announced"))
    announced_after = django_filters.DateFilter(
        field_name="announced_on", lookup_expr="gte", label=_("Announced on or after (date)")
    )
    announced_before = django_filters.DateFilter(
        field_name="announced_on", lookup_expr="lte", label=_("Announced on or before (date)")
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        queryset=Theme.objects.all(),
        to_field_name="slug",
        field_name="theme_counts__theme__slug",
        distinct=True,
        label=_("Announced works under this theme (slug)"),
    )
    updated_since = ChangedSinceFilter()
    ordering = django_filters.OrderingFilter(
        fields=("announced_on", "number", "updated_at", "total_announced")
    )

    class Meta:
        model = Batch
        fields = []

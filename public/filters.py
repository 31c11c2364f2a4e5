"""The FilterSets of the public faces. Each one serves both the HTML list and the API list,
so a filter URL means the same on both (`/works/?theme=x` and `/api/v1/works/?theme=x`), and
its form is what the works page renders: labels, choices and limits are defined here once.

Related filters come by slug (`theme=`) and by id (`theme_id=`); several values of one filter
mean OR (`?theme=a&theme=b`); different filters combine with AND. Every choice is a public
record, so a draft's slug is answered like a slug that does not exist. Filters over relations
use EXISTS subqueries rather than joins, so a work matching twice is still listed once and no
DISTINCT is needed. `label` is what a visitor reads; `help_text` is what the API's schema says.
A filter method (`method=`) is called with a value only: django-filter skips an empty one, and
an empty choice of records cleans to `[]` (core.filters.ModelMultipleChoiceField).
"""

import django_filters
from django import forms
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from catalog.models import Organisation, Place, Source, Theme, Work, WorkOrganisation, WorkPlace
from core.filters import (
    BoundedNumberFilter,
    ChangedSinceFilter,
    IdFilter,
    ModelMultipleChoiceField,
    OrderingFilter,
    SearchFilter,
    SlugChoiceFilter,
    SlugFilter,
    YearFilter,
)
from initiatives.models import (
    Batch,
    BatchThemeCount,
    Figure,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
    ThemeWork,
)
from public.names import as_text

# Batch numbers are PositiveSmallIntegerFields; a larger number cannot match, and bounding it
# keeps an absurd value from reaching the database as an overflowing integer.
MAX_BATCH_NUMBER = 32767


def in_themes(works, **theme_lookup):
    """Works in a theme (tagged with it, or listed under it in a published batch): the one
    definition of "a work in a theme", for the filter, the facets and the theme page, read
    from the stored ThemeWork rows. The lookup names the themes: `theme__in=[...]`,
    `theme=...`, or `theme=OuterRef(...)` in a subquery."""
    return works.filter(Exists(ThemeWork.objects.filter(work=OuterRef("pk"), **theme_lookup)))


def inside_place(place) -> set[int]:
    """A place and the places inside it, looked up once per record (the facets filter by the
    same place several times)."""
    if not hasattr(place, "_inside_ids"):
        place._inside_ids = place.descendant_ids()
    return place._inside_ids


def placed_in(records, name, places):
    """Records (organisations, figures) whose place is one of `places` or lies inside one:
    a province includes its cities and sites. A filter's `method`."""
    return records.filter(place_id__in=set().union(*(inside_place(p) for p in places)))


class NamedChoiceField(ModelMultipleChoiceField):
    """Options named in the page's language first, the other after (public/names.py)."""

    def label_from_instance(self, record):
        return as_text(record)


class PlaceChoiceField(NamedChoiceField):
    """Places indented by their depth in the tree (the queryset carries tree fields)."""

    def label_from_instance(self, place):
        return "\u2003" * getattr(place, "tree_depth", 0) + super().label_from_instance(place)


class BatchChoiceField(NamedChoiceField):
    def label_from_instance(self, batch):
        return _("%(initiative)s, batch %(number)s") % {
            "initiative": as_text(batch.initiative),
            "number": batch.number,
        }


class CountedOptions:
    """A choice widget that shows, when the view gives it `counts` ({value: works}), how
    many works each option would leave, and disables an option that would leave none
    (unless it is selected, so that it can still be unticked)."""

    counts: dict[str, int] | None = None

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if self.counts is not None and value not in (None, ""):
            count = self.counts.get(str(value), 0)
            option["label"] = f"{label} ({count})"
            if not count and not selected:
                option["attrs"]["disabled"] = True
        return option


class CountedSelectMultiple(CountedOptions, forms.SelectMultiple):
    pass


class CountedCheckboxSelectMultiple(CountedOptions, forms.CheckboxSelectMultiple):
    pass


class NamedFilter(SlugFilter):
    field_class = NamedChoiceField

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", CountedSelectMultiple)
        super().__init__(**kwargs)


class PlaceFilter(NamedFilter):
    field_class = PlaceChoiceField


class BatchFilter(NamedFilter):
    field_class = BatchChoiceField


#
# Works
#


class WorkOrderingFilter(OrderingFilter):
    """Sort by title, newest batch (the latest published batch that lists the work), year,
    or last change; empty values last either way, then a stable tie-break."""

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
            # A correlated subquery, not a join and GROUP BY: the page's count then drops
            # it and counts the filtered works alone.
            newest = (
                Recommendation.objects.filter(work=OuterRef("pk"), batch__in=Batch.objects.public())
                .order_by()
                .values("work")
                .annotate(on=Max("batch__announced_on"))
                .values("on")
            )
            qs = qs.annotate(latest_batch_on=Subquery(newest))
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
    q = SearchFilter(label=_("Title or text contains"))
    theme = NamedFilter(
        queryset=Theme.objects.public(),
        method="filter_theme",
        label=_("Theme"),
        help_text=_(
            "Theme slug; several mean any of them. A work is in a theme when it is tagged "
            "with it or listed under it in a published batch."
        ),
        widget=CountedCheckboxSelectMultiple,
    )
    theme_id = IdFilter(
        queryset=Theme.objects.public(),
        method="filter_theme",
        label=_("Theme"),
        help_text=_("Theme id; several mean any of them."),
    )
    initiative = NamedFilter(
        queryset=Initiative.objects.public(),
        method="filter_initiative",
        label=_("Initiative"),
        help_text=_("Initiative slug whose published batches list the work."),
    )
    initiative_id = IdFilter(
        queryset=Initiative.objects.public(),
        method="filter_initiative",
        label=_("Initiative"),
        help_text=_("Initiative id."),
    )
    batch = BatchFilter(
        queryset=Batch.objects.public().select_related("initiative"),
        method="filter_batch",
        label=_("Batch"),
        help_text=_("Batch slug: initiative slug and number, e.g. travel-with-micro-dramas-4."),
    )
    batch_id = IdFilter(
        queryset=Batch.objects.public(),
        method="filter_batch",
        label=_("Batch"),
        help_text=_("Batch id."),
    )
    batch_number = BoundedNumberFilter(
        method="filter_batch_number",
        min_value=1,
        max_value=MAX_BATCH_NUMBER,
        label=_("Batch number"),
        help_text=_("Batch number, with `initiative` (e.g. initiative=x&batch_number=4)."),
    )
    place = PlaceFilter(
        queryset=Place.objects.public().with_tree_fields(),
        method="filter_place",
        label=_("Place (includes places inside it)"),
        help_text=_("Place slug; a province includes its cities and sites."),
    )
    place_id = IdFilter(
        queryset=Place.objects.public(),
        method="filter_place",
        label=_("Place"),
        help_text=_("Place id; includes the places inside it."),
    )
    organisation = NamedFilter(
        queryset=Organisation.objects.public(),
        method="filter_organisation",
        label=_("Organisation"),
        help_text=_("Organisation slug behind the work, in any role unless `role` is given."),
    )
    organisation_id = IdFilter(
        queryset=Organisation.objects.public(),
        method="filter_organisation",
        label=_("Organisation"),
        help_text=_("Organisation id."),
    )
    role = django_filters.MultipleChoiceFilter(
        choices=WorkOrganisation.Role.choices,
        method="filter_role",
        label=_("Role"),
        help_text=_("Role of an organisation behind the work."),
    )
    year = YearFilter(
        method="filter_year",
        label=_("Year (released or recommended)"),
        help_text=_("Year the work was released or recommended in a published batch."),
    )
    updated_since = ChangedSinceFilter()
    ordering = WorkOrderingFilter(label=_("Sort by"))

    class Meta:
        model = Work
        fields = []

    def filter_theme(self, qs, name, value):
        return in_themes(qs, theme__in=value)

    def filter_initiative(self, qs, name, value):
        listed = Recommendation.objects.public().filter(
            work=OuterRef("pk"), batch__initiative__in=value
        )
        return qs.filter(Exists(listed))

    def filter_batch(self, qs, name, value):
        return qs.filter(
            Exists(Recommendation.objects.filter(work=OuterRef("pk"), batch__in=value))
        )

    def filter_batch_number(self, qs, name, value):
        data = self.form.cleaned_data
        initiatives = data.get("initiative") or data.get("initiative_id")
        batches = Batch.objects.public().filter(number=value)
        if initiatives:
            batches = batches.filter(initiative__in=initiatives)
        return qs.filter(
            Exists(Recommendation.objects.filter(work=OuterRef("pk"), batch__in=batches))
        )

    def filter_place(self, qs, name, value):
        inside = set().union(*(inside_place(place) for place in value))
        return qs.filter(Exists(WorkPlace.objects.filter(work=OuterRef("pk"), place_id__in=inside)))

    def filter_organisation(self, qs, name, value):
        links = WorkOrganisation.objects.filter(work=OuterRef("pk"), organisation__in=value)
        roles = self.form.cleaned_data.get("role")
        if roles:
            links = links.filter(role__in=roles)
        return qs.filter(Exists(links))

    def filter_role(self, qs, name, value):
        data = self.form.cleaned_data
        if data.get("organisation") or data.get("organisation_id"):
            return qs  # applied together with the organisation
        return qs.filter(
            Exists(WorkOrganisation.objects.filter(work=OuterRef("pk"), role__in=value))
        )

    def filter_year(self, qs, name, value):
        recommended = Recommendation.objects.public().filter(
            work=OuterRef("pk"), batch__announced_on__year=value
        )
        return qs.filter(Q(year=value) | Exists(recommended))


#
# Themes, places, organisations
#


class ThemeFilterSet(django_filters.FilterSet):
    q = SearchFilter()
    initiative = SlugFilter(
        queryset=Initiative.objects.public(),
        # With to_field_name, django-filter compares the slug itself, so name the slug.
        field_name="initiatives__slug",
        distinct=True,
        label=_("Initiative"),
        help_text=_("Initiative slug."),
    )
    updated_since = ChangedSinceFilter()
    ordering = OrderingFilter(fields=("position", "name", "updated_at"))

    class Meta:
        model = Theme
        fields = []


class PlaceFilterSet(django_filters.FilterSet):
    q = SearchFilter()
    kind = django_filters.MultipleChoiceFilter(choices=Place.Kind.choices)
    parent = SlugChoiceFilter(
        queryset=Place.objects.public(),
        label=_("Directly inside"),
        help_text=_("Slug of the place it lies directly in."),
    )
    within = SlugChoiceFilter(
        queryset=Place.objects.public(),
        method="filter_within",
        label=_("Inside"),
        help_text=_("Slug of a place it lies in, at any depth."),
    )
    updated_since = ChangedSinceFilter()
    ordering = OrderingFilter(fields=("name", "kind", "updated_at"))

    class Meta:
        model = Place
        fields = []

    def filter_within(self, qs, name, value):
        return qs.filter(pk__in=value.descendant_ids() - {value.pk})


class OrganisationFilterSet(django_filters.FilterSet):
    q = SearchFilter()
    kind = django_filters.MultipleChoiceFilter(choices=Organisation.Kind.choices)
    place = SlugFilter(
        queryset=Place.objects.public(),
        method=placed_in,
        label=_("Based in"),
        help_text=_("Place slug: organisations based there; a province includes its cities."),
    )
    role = django_filters.MultipleChoiceFilter(
        choices=WorkOrganisation.Role.choices + InitiativeOrganisation.Role.choices,
        method="filter_role",
        label=_("Role"),
        help_text=_("Has this role in a work or an initiative."),
    )
    updated_since = ChangedSinceFilter()
    ordering = OrderingFilter(fields=("name", "kind", "updated_at"))

    class Meta:
        model = Organisation
        fields = []

    def filter_role(self, qs, name, value):
        in_work = WorkOrganisation.objects.filter(organisation=OuterRef("pk"), role__in=value)
        in_initiative = InitiativeOrganisation.objects.filter(
            organisation=OuterRef("pk"), role__in=value
        )
        return qs.filter(Exists(in_work) | Exists(in_initiative))


#
# Initiatives and batches
#


class InitiativeFilterSet(django_filters.FilterSet):
    q = SearchFilter()
    kind = django_filters.MultipleChoiceFilter(choices=Initiative.Kind.choices)
    organisation = SlugFilter(
        queryset=Organisation.objects.public(),
        method="filter_organisation",
        label=_("Organisation"),
        help_text=_("Organisation slug that guides, initiates or runs it."),
    )
    role = django_filters.MultipleChoiceFilter(
        choices=InitiativeOrganisation.Role.choices,
        method="filter_role",
        label=_("Role"),
        help_text=_("With `organisation`: only in this role."),
    )
    theme = SlugFilter(
        queryset=Theme.objects.public(),
        # With to_field_name, django-filter compares the slug itself, so name the slug.
        field_name="themes__slug",
        distinct=True,
        label=_("Theme"),
        help_text=_("Theme slug."),
    )
    updated_since = ChangedSinceFilter()
    ordering = OrderingFilter(fields=("name", "launched_on", "updated_at"))

    class Meta:
        model = Initiative
        fields = []

    def filter_organisation(self, qs, name, value):
        links = InitiativeOrganisation.objects.filter(
            initiative=OuterRef("pk"), organisation__in=value
        )
        roles = self.form.cleaned_data.get("role")
        if roles:
            links = links.filter(role__in=roles)
        return qs.filter(Exists(links))

    def filter_role(self, qs, name, value):
        if self.form.cleaned_data.get("organisation"):
            return qs
        return qs.filter(
            Exists(InitiativeOrganisation.objects.filter(initiative=OuterRef("pk"), role__in=value))
        )


class BatchFilterSet(django_filters.FilterSet):
    initiative = SlugFilter(
        queryset=Initiative.objects.public(),
        field_name="initiative__slug",
        label=_("Initiative"),
        help_text=_("Initiative slug."),
    )
    initiative_id = IdFilter(
        queryset=Initiative.objects.public(),
        field_name="initiative",
        label=_("Initiative"),
        help_text=_("Initiative id."),
    )
    number = BoundedNumberFilter(min_value=1, max_value=MAX_BATCH_NUMBER, label=_("Batch number"))
    year = YearFilter(field_name="announced_on", lookup_expr="year", label=_("Year announced"))
    announced_after = django_filters.DateFilter(
        field_name="announced_on", lookup_expr="gte", label=_("Announced on or after (date)")
    )
    announced_before = django_filters.DateFilter(
        field_name="announced_on", lookup_expr="lte", label=_("Announced on or before (date)")
    )
    theme = SlugFilter(
        queryset=Theme.objects.public(),
        method="filter_theme",
        label=_("Theme"),
        help_text=_(
            "Slug of a theme the batch announced works under or lists works under (the "
            "batches a theme's page counts)."
        ),
    )
    updated_since = ChangedSinceFilter()
    ordering = OrderingFilter(fields=("announced_on", "number", "updated_at", "total_announced"))

    class Meta:
        model = Batch
        fields = []

    def filter_theme(self, qs, name, value):
        counted = BatchThemeCount.objects.filter(batch=OuterRef("pk"), theme__in=value)
        listed = Recommendation.objects.filter(batch=OuterRef("pk"), theme__in=value)
        return qs.filter(Exists(counted) | Exists(listed))


class FigureFilterSet(django_filters.FilterSet):
    q = SearchFilter()
    place = SlugFilter(
        queryset=Place.objects.public(),
        method=placed_in,
        label=_("Place"),
        help_text=_("Place slug; a province includes its cities and sites."),
    )
    initiative = SlugFilter(
        queryset=Initiative.objects.public(),
        # With to_field_name, django-filter compares the slug itself, so name the slug.
        field_name="initiative__slug",
        label=_("Initiative"),
        help_text=_("Initiative slug."),
    )
    source = SlugFilter(
        queryset=Source.objects.public(),
        field_name="source__slug",
        label=_("Source"),
        help_text=_("Source slug."),
    )
    updated_since = ChangedSinceFilter()
    ordering = OrderingFilter(fields=("position", "label", "updated_at"))

    class Meta:
        model = Figure
        fields = []

"""FilterSets for the catalog's models. Each one serves both the HTML list and the API list,
so a filter URL means the same on both faces (`/works/?theme=x` and `/api/v1/works/?theme=x`).

Related filters come by slug (`theme=`) and by id (`theme_id=`); several values of one filter
mean OR (`?theme=a&theme=b`); different filters combine with AND. Filters over relations
use EXISTS subqueries rather than joins, so a work matching twice is still listed once and
no DISTINCT is needed.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from initiatives.models import Batch, Initiative, InitiativeOrganisation, Recommendation

from .models import Organisation, Place, Theme, Work, WorkOrganisation, WorkPlace
from .search import MAX_QUERY_LENGTH, normalise_query, text_search

#
# Shared filters
#


class SearchQueryField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_query(super().to_python(value))


def _search_label():
    return gettext("Text search (English or Chinese), %(max)d characters at most") % {
        "max": MAX_QUERY_LENGTH
    }


# Lazy, so the label is in the visitor's language: `%` on a lazy string translates it at
# once, in the language active when the module is imported.
search_label = lazy(_search_label, str)


class SearchFilter(django_filters.CharFilter):
    """Free text over the given model fields: English or Chinese, any length from one
    character to MAX_QUERY_LENGTH."""

    field_class = SearchQueryField

    def __init__(self, *, search_fields, fuzzy_fields, **kwargs):
        self.search_fields = search_fields
        self.fuzzy_fields = fuzzy_fields
        kwargs.setdefault("label", search_label())
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return text_search(qs, self.search_fields, value, fuzzy_fields=self.fuzzy_fields)


class ChangedSinceField(forms.CharField):
    """An ISO 8601 date or date-time; a date means its midnight in the site's time zone."""

    default_error_messages = {
        "invalid": _(
            "Enter an ISO 8601 date or date-time, e.g. 2024-10-12 or 2024-10-12T08:00:00Z."
        )
    }

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            parsed = parse_datetime(value.replace(" ", "+")) or parse_date(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if not isinstance(parsed, datetime.datetime):
            parsed = datetime.datetime.combine(parsed, datetime.time.min)
        try:
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed)
            # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows, and a
            # moment with no UTC year 1-9999 is invalid rather than an overflow.
            return parsed.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class ChangedSinceFilter(django_filters.Filter):
    field_class = ChangedSinceField

    def __init__(self, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault(
            "label", _("Changed at or after this ISO 8601 date or date-time (for sync)")
        )
        super().__init__(**kwargs)


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)


class IdMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Record ids: a number beyond a 64-bit integer is an invalid value (400), not a database
    overflow (500)."""

    def _check_values(self, value):
        for pk in value:
            try:
                out_of_range = abs(int(str(pk).strip())) >= 2**63
            except ValueError:
                continue  # the parent reports a non-number
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class IdMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Related records by id (`theme_id=3`); several mean any of them."""

    field_class = IdMultipleChoiceField


class YearFilter(django_filters.NumberFilter):
    # A class attribute: django-filter passes unknown keyword arguments (such as
    # `field_class=`) on to the form field, which rejects them.
    field_class = YearField


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

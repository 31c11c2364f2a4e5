"""FilterSets for initiatives and batches, shared by the HTML lists and the API."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from catalog.filters import (
    MAX_BATCH_NUMBER,
    ChangedSinceFilter,
    IdMultipleChoiceFilter,
    SearchFilter,
    YearFilter,
)
from catalog.models import Organisation, Theme

from .models import Batch, Initiative, InitiativeOrganisation


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

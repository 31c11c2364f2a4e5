"""The API's filter backend: django-filter's, which builds no FilterSet for a request that
gives none of its parameters."""

from django_filters.rest_framework import DjangoFilterBackend


class CatalogFilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipping the FilterSet when the request names none of its
    filters. Bound to no filter value, a FilterSet builds its form, cleans every field to
    nothing and filters nothing: about 3 ms on every unfiltered list and every record
    (a record's address takes the list's filters too, as in DRF), an eighth of a work's
    detail. Each filter reads the parameter of its own name: no FilterSet here uses a
    widget of several parameters (tests/public/api/test_filter_backend.py checks it)."""

    def get_filterset(self, request, queryset, view):
        """None (django-filter's "no filtering") when the request names no filter. The view
        keeps the FilterSet (`view.filterset`): what else it counts with the same filters (a
        list's facets) reuses the values it looked up and validated."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or filterset_class.base_filters.keys().isdisjoint(
            request.query_params
        ):
            return None
        view.filterset = filterset_class(**self.get_filterset_kwargs(request, queryset, view))
        return view.filterset

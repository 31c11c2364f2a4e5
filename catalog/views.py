"""Public pages of the catalog. The foundation serves plain list/detail views; the public
site issue gives them filters, search and their full templates."""

from django.views.generic import DetailView, ListView

from .models import Organisation, Place, Theme, Work


class ThemeListView(ListView):
    model = Theme


class ThemeDetailView(DetailView):
    model = Theme


class WorkListView(ListView):
    paginate_by = 24

    def get_queryset(self):
        return Work.objects.published()


class WorkDetailView(DetailView):
    def get_queryset(self):
        return Work.objects.published()


class PlaceListView(ListView):
    model = Place


class PlaceDetailView(DetailView):
    model = Place


class OrganisationListView(ListView):
    model = Organisation


class OrganisationDetailView(DetailView):
    model = Organisation

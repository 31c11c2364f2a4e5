from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """What the public reaches: the HTML pages, the partner API and the FilterSets both share.

    It sits above `catalog` and `initiatives` because a work's page shows the batches that
    list it and a batch's page shows its works: composing them here keeps the domain apps
    from importing each other."""

    name = "public"
    verbose_name = _("Public site and API")

    def ready(self):
        from core.caching import warmed_after_publication

        warmed_after_publication(warm_catalog_figures)


def warm_catalog_figures():
    """public.views.catalog.warm_catalog_figures, imported when a publication commits
    rather than at start-up: the views, forms and FilterSets took 70 ms of every process's
    start, management commands' included."""
    from .views.catalog import warm_catalog_figures

    warm_catalog_figures()

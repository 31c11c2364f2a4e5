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

        from .views.catalog import warm_catalog_figures

        warmed_after_publication(warm_catalog_figures)

"""sitemap.xml: every public page in both interface languages, with hreflang alternates.
Only published batches and public works appear, as on the pages themselves."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from catalog.models import Organisation, Place, Source, Theme, Work
from initiatives.models import Batch, Initiative


class _I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticSitemap(_I18nSitemap):
    priority = 0.8

    def items(self):
        return [
            "initiatives:home",
            "initiatives:initiative_list",
            "catalog:theme_list",
            "catalog:work_list",
            "catalog:place_list",
            "catalog:organisation_list",
        ]

    def location(self, item):
        return reverse(item)


class _ModelSitemap(_I18nSitemap):
    def lastmod(self, item):
        return getattr(item, "updated_at", None)


class WorkSitemap(_ModelSitemap):
    priority = 0.7

    def items(self):
        return Work.objects.public().order_by("pk")


class ThemeSitemap(_ModelSitemap):
    def items(self):
        return Theme.objects.public().order_by("pk")


class InitiativeSitemap(_ModelSitemap):
    def items(self):
        return Initiative.objects.public().order_by("pk")


class BatchSitemap(_ModelSitemap):
    def items(self):
        return Batch.objects.public().select_related("initiative").order_by("pk")


class PlaceSitemap(_ModelSitemap):
    def items(self):
        return Place.objects.public().order_by("pk")


class OrganisationSitemap(_ModelSitemap):
    def items(self):
        return Organisation.objects.public().order_by("pk")


class SourceSitemap(_ModelSitemap):
    priority = 0.3

    def items(self):
        return Source.objects.public().order_by("pk")


class FeedSitemap(_I18nSitemap):
    """The Atom feeds: the catalog's and each public initiative's."""

    priority = 0.4

    def items(self):
        return [None, *Initiative.objects.public().order_by("pk")]

    def location(self, item):
        if item is None:
            return reverse("feeds:batches")
        return reverse("feeds:initiative_batches", kwargs={"slug": item.slug})


sitemaps = {
    "pages": StaticSitemap,
    "works": WorkSitemap,
    "themes": ThemeSitemap,
    "initiatives": InitiativeSitemap,
    "batches": BatchSitemap,
    "places": PlaceSitemap,
    "organisations": OrganisationSitemap,
    "sources": SourceSitemap,
    "feeds": FeedSitemap,
}

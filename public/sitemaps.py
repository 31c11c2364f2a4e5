"""sitemap.xml: every public page in both interface languages, with hreflang alternates.
Only published batches and public works appear, as on the pages themselves.

`/sitemap.xml` is an index of the sections below (`/sitemap-works.xml?p=2`...), each in
pages of SITEMAP_PAGE addresses (a record has one per language), under the protocol's 50,000
addresses and 50 MB a file. One file for 1M works was 26 MB and took 33 s."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from catalog.models import Organisation, Place, Source, Theme, Work
from core.caching import per_public_version
from initiatives.models import Batch, Initiative

SITEMAP_PAGE = 10_000


class _I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = SITEMAP_PAGE

    def _items(self):
        """(record, language) pairs, read a page at a time: Django builds the list of every
        pair of every record before it cuts a page (1M works read for each page). Every
        record is in every language here (no sitemap narrows `get_languages_for_item`)."""
        items = self.items()
        if not isinstance(items, QuerySet):
            return super()._items()
        return LanguagePairs(items, self._languages(), f"sitemap-count:{type(self).__name__}")


class LanguagePairs:
    """Each record of a queryset once per language, as the sequence a Paginator cuts: its
    length is counted and a slice reads only the records it covers."""

    def __init__(self, records: QuerySet, languages: list[str], counted_as: str):
        self.records = records
        self.languages = list(languages)
        self.counted_as = counted_as

    def count(self) -> int:
        """The records counted once per public state under `counted_as` (57 ms for the 1M
        works, on each of their 200 pages)."""
        count = per_public_version(self.counted_as, self.records.count, in_process=True)
        return count * len(self.languages)

    def __getitem__(self, index: slice):
        n = len(self.languages)
        start, stop = index.start or 0, index.stop
        first = start // n
        records = self.records[first : -(-stop // n)]
        pairs = [(record, language) for record in records for language in self.languages]
        return pairs[start - first * n : stop - first * n]


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

    def get_latest_lastmod(self):
        """The section's last change for the index, asked of the database: Django's default
        reads every record of the section to find it."""
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class WorkSitemap(_ModelSitemap):
    priority = 0.7

    def items(self):
        # What the addresses and lastmod read, and no more: 5,000 works a page.
        return Work.objects.public().only("slug", "updated_at").order_by("pk")


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

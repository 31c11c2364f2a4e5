"""sitemap.xml: every public page in both interface languages, with hreflang alternates.
Only published batches and public works appear, as on the pages themselves.

`/sitemap.xml` is an index of the sections below (`/sitemap-works.xml?p=2`...), each in
pages of SITEMAP_PAGE addresses (a record has one per language), under the protocol's 50,000
addresses and 50 MB a file. One file for 1M works was 26 MB and took 33 s. A page is
written by `sitemap_page` below, not by Django's view and template."""

import datetime
from html import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import _get_latest_lastmod, x_robots_tag
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, QuerySet, Subquery
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date

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
        records = self._read(first, -(-stop // n))
        pairs = [(record, language) for record in records for language in self.languages]
        return pairs[start - first * n : stop - first * n]

    def _read(self, first: int, last: int):
        """Records `first` to `last` (excluded). In id order, from the first one's id on,
        found along the index alone: an OFFSET over the records fetched each record it
        skipped (175 ms for page 101 of the works' at 1M, 42 ms this way)."""
        if not first or tuple(self.records.query.order_by) != ("pk",):
            return self.records[first:last]
        from_id = Subquery(self.records.values("pk")[first : first + 1])
        return self.records.filter(pk__gte=from_id)[: last - first]


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


SITEMAP_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


@x_robots_tag
def sitemap_page(request, sitemaps, section):
    """One page of one section: the bytes and headers of Django's `sitemap` view
    (django.contrib.sitemaps.views), written without its template, and each record's
    address found once per language with that language active once. Django's view activated
    a language four times a record (its address, each alternate, the x-default) and rendered
    a template variable 13 times an address: 1.1 s for a page of 20,000 addresses at 1M
    works. The sections are this module's, each in every language (`_I18nSitemap`)."""
    if section not in sitemaps:
        raise Http404(f"No sitemap available for section: {section!r}")
    site = sitemaps[section]()
    try:
        pairs = site.paginator.page(request.GET.get("p", 1)).object_list
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404(f"Page {request.GET.get('p', 1)}: {exc}") from exc
    origin = f"{site.get_protocol(request.scheme)}://{site.get_domain(get_current_site(request))}"
    languages = site._languages()
    # (record, language) -> its address; a record is the same object in each of its pairs.
    where = {}
    for language in languages:
        with translation.override(language):
            for record, _language in pairs:
                key = (id(record), language)
                if key not in where:
                    where[key] = escape(origin + site.location(record))
    x_default = site.x_default and settings.LANGUAGE_CODE in languages
    default_prefix = f"/{settings.LANGUAGE_CODE}/"
    last_change = _written(site, "lastmod")
    priority = _written(site, "priority")
    changefreq = _written(site, "changefreq")
    parts = [SITEMAP_HEAD]
    latest, every_one_dated = None, True
    for record, language in pairs:
        parts.append(f"<url><loc>{where[id(record), language]}</loc>")
        lastmod = last_change(record)
        if lastmod is None:
            every_one_dated = False
        else:
            if every_one_dated:
                latest = _get_latest_lastmod(latest, lastmod)
            parts.append(f"<lastmod>{_day(lastmod)}</lastmod>")
        how_often, rank = changefreq(record), priority(record)
        if how_often:
            parts.append(f"<changefreq>{escape(str(how_often))}</changefreq>")
        if rank is not None and str(rank):
            parts.append(f"<priority>{escape(str(rank))}</priority>")
        for alternate in languages:
            address = where[id(record), alternate]
            parts.append(f'<xhtml:link rel="alternate" hreflang="{alternate}" href="{address}"/>')
        if x_default:
            address = where[id(record), settings.LANGUAGE_CODE].replace(default_prefix, "/", 1)
            parts.append(f'<xhtml:link rel="alternate" hreflang="x-default" href="{address}"/>')
        parts.append("</url>")
    parts.append("\n</urlset>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    if every_one_dated and latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response


def _written(site, name):
    """A sitemap attribute as Django's Sitemap._get reads it: a method of the record, or a
    value for every record."""
    value = getattr(site, name, None)
    return value if callable(value) else lambda record: value


def _day(value) -> str:
    """`{{ value|date:"Y-m-d" }}`: a time in the site's time zone, then its day."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"

"""Atom feeds of newly published batches: the whole catalog's, and one per initiative.

django.contrib.syndication does the Atom; these classes say what goes in. Only published
batches (`Batch.objects.public()`), newest publication first. Under /zh-hans/ the feed, its
titles and its links are in Chinese (the URL patterns sit inside i18n_patterns and the
active language is the request's).
"""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from initiatives.models import Batch, Initiative
from public.names import as_text

FEED_LENGTH = 30


class BatchFeed(Feed):
    """Newly published batches; `/initiatives/<slug>/feed/` narrows it to one initiative."""

    feed_type = Atom1Feed

    def get_object(self, request, slug=None):
        if slug is None:
            return None
        return get_object_or_404(Initiative.objects.public(), slug=slug)

    def title(self, obj):
        if obj is None:
            return _("Micro-Drama Catalog: newly published batches")
        return _("%(initiative)s: newly published batches") % {"initiative": as_text(obj)}

    def subtitle(self, obj):
        return _("Batches of officially recommended micro-dramas, as the catalog publishes them.")

    def link(self, obj):
        return obj.get_absolute_url() if obj else reverse("initiatives:initiative_list")

    def feed_url(self, obj):
        if obj is None:
            return reverse("feeds:batches")
        return reverse("feeds:initiative_batches", kwargs={"slug": obj.slug})

    def items(self, obj):
        batches = Batch.objects.public().select_related("initiative")
        if obj is not None:
            batches = batches.filter(initiative=obj)
        return batches.order_by(
            F("published_at").desc(nulls_last=True), F("announced_on").desc(nulls_last=True), "-pk"
        )[:FEED_LENGTH]

    def item_title(self, batch):
        return _("%(initiative)s, batch %(number)s") % {
            "initiative": as_text(batch.initiative),
            "number": batch.number,
        }

    def item_description(self, batch):
        parts = []
        if batch.event:
            parts.append(batch.event)
        if batch.total_announced is not None:
            parts.append(_("%(count)s works announced") % {"count": batch.total_announced})
        return " · ".join(parts) or _("A batch of recommended micro-dramas.")

    def item_link(self, batch):
        return batch.get_absolute_url()

    def item_guid(self, batch):
        # One entry per batch in both languages' feeds: readers key on the id.
        return f"tag:microdrama-catalog,2024:batch:{batch.slug}"

    item_guid_is_permalink = False

    def item_pubdate(self, batch):
        return batch.published_at

    def item_updateddate(self, batch):
        return batch.updated_at

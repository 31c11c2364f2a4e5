"""Share images of works and batches (public/sharing.py draws them): only public records,
and only when a font that covers Chinese is configured; otherwise a 404, and pages name the
site's generic image instead."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from catalog.models import Work
from initiatives.models import Batch
from public import sharing


def _png(png: bytes) -> HttpResponse:
    response = HttpResponse(png, content_type="image/png")
    # The address carries the record's version (?v=), so a changed record gets a new one.
    response["Cache-Control"] = "public, max-age=86400"
    return response


def work_share_image(request, slug):
    if not sharing.font_available():
        raise Http404("No font for share images.")
    work = get_object_or_404(Work.objects.public(), slug=slug)
    return _png(sharing.work_image(work))


def batch_share_image(request, slug, number):
    if not sharing.font_available():
        raise Http404("No font for share images.")
    batch = get_object_or_404(
        Batch.objects.public().select_related("initiative"),
        initiative__slug=slug,
        number=number,
    )
    return _png(sharing.batch_image(batch))


def share_image_url(record) -> str | None:
    """The address of a work's or batch's share image, or None when none can be drawn."""
    if not sharing.font_available():
        return None
    if isinstance(record, Batch):
        url = reverse(
            "initiatives:batch_share_image",
            kwargs={"slug": record.initiative.slug, "number": record.number},
        )
    else:
        url = reverse("catalog:work_share_image", kwargs={"slug": record.slug})
    return f"{url}?v={sharing.version(record)}"

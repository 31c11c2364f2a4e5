"""Content negotiation: JSON by default, `format=csv` on lists."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class CatalogContentNegotiation(DefaultContentNegotiation):
    """An unknown `format` is a bad parameter (400), not a missing page (DRF's 404)."""

    def filter_renderers(self, renderers, format):
        found = [renderer for renderer in renderers if renderer.format == format]
        if not found:
            formats = ", ".join(renderer.format for renderer in renderers)
            message = _("Unknown format “%(format)s”: use one of %(formats)s.") % {
                "format": format[:40],
                "formats": formats,
            }
            raise exceptions.ValidationError({"format": [message]})
        return found

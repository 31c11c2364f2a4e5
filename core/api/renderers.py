"""The CSV format of list endpoints (`format=csv`)."""

from rest_framework import renderers


class CSVRenderer(renderers.BaseRenderer):
    """Names the `format=csv` choice for content negotiation. List views stream the CSV
    themselves (see `CatalogReadOnlyViewSet.stream_csv`); this renders only what is left,
    which is nothing a client should see."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b""


class Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(csv_cell(item) for item in value)
    return str(value)

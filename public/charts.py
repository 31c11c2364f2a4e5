"""Bar charts drawn on the server as SVG: no script, no third-party request, and the same
numbers as the table each one sits beside (the table is the accessible form; the chart is
for the eye).

A chart is rows of bars, one bar per series; a bar's length is its value over the chart's
largest value, and each bar carries a <title> (the browser's tooltip) in words. A value the
sources do not give (None) draws no bar and says so.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from public.names import in_page_order

# Drawn at about its own size from a phone (390 px) to a desktop column (30rem), so its
# text stays readable at both: the stylesheet caps the figure's width.
WIDTH = 420
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
BAR_GAP = 3
ROW_GAP = 12
VALUE_ROOM = 110  # room after the longest bar for its value ("25% (5 of 20)")
LEGEND_HEIGHT = 26


@dataclass
class Row:
    label: str
    values: list[int | float | None]
    # How each value reads in words (the tooltip, the bar's end); defaults to the number.
    texts: list[str] = field(default_factory=list)


@dataclass
class Chart:
    """What to draw: a label for the whole, the series' names, the rows."""

    label: str
    series: list[str]
    rows: list[Row]
    maximum: float | None = None  # the scale's end; the largest value when None

    @property
    def scale_end(self) -> float:
        if self.maximum is not None:
            return self.maximum
        return max((v for row in self.rows for v in row.values if v is not None), default=0)

    def bar_width(self, value) -> float:
        end = self.scale_end
        if value is None or not end:
            return 0.0
        return round((WIDTH - VALUE_ROOM) * value / end, 1)

    def svg(self) -> SafeString:
        return render(self)


def text_width(text: str, size: int) -> int:
    """About how wide `text` is at font `size`: Chinese characters are square, Latin ones
    about half as wide (no font metrics on the server, so an estimate with room to spare)."""
    wide = sum(1 for char in text if ord(char) > 0x2E80)
    return round(size * (wide + 0.6 * (len(text) - wide)))


def short_name(record) -> str:
    """A record's name in the page's language (the other when it has none)."""
    return in_page_order(record)[0][0]


def render(chart: Chart) -> SafeString:
    parts = []
    # Legend: one swatch per series.
    x = 0
    for index, name in enumerate(chart.series):
        parts.append(
            format_html(
                '<rect class="swatch series-{}" x="{}" y="4" width="12" height="12"/>'
                '<text class="legend" x="{}" y="15">{}</text>',
                index,
                x,
                x + 16,
                name,
            )
        )
        x += 16 + text_width(name, 12) + 16
    y = LEGEND_HEIGHT
    for row in chart.rows:
        parts.append(
            format_html('<text class="row-label" x="0" y="{}">{}</text>', y + 13, row.label)
        )
        y += LABEL_HEIGHT
        for index, value in enumerate(row.values):
            text = row.texts[index] if index < len(row.texts) else None
            if text is None:
                text = _("not given") if value is None else str(value)
            tooltip = f"{row.label} — {chart.series[index]}: {text}"
            width = chart.bar_width(value)
            if value is not None:
                parts.append(
                    format_html(
                        '<rect class="bar series-{}" x="0" y="{}" width="{}" height="{}" '
                        'data-value="{}"><title>{}</title></rect>',
                        index,
                        y,
                        width,
                        BAR_HEIGHT,
                        value,
                        tooltip,
                    )
                )
            parts.append(
                format_html(
                    '<text class="bar-value" x="{}" y="{}"><title>{}</title>{}</text>',
                    width + 4,
                    y + BAR_HEIGHT - 2,
                    tooltip,
                    text,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        y += ROW_GAP
    height = y
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-label="{}" preserveAspectRatio="xMinYMin meet">'
        "<title>{}</title>{}</svg>",
        WIDTH,
        height,
        chart.label,
        chart.label,
        format_html_join("", "{}", ((part,) for part in parts)),
    )


#
# The site's charts
#

ANNOUNCED = gettext_lazy("Announced")
LISTED = gettext_lazy("Listed")


def batch_chart(tally) -> Chart:
    """A batch: announced against listed works, per theme (from `Batch.tally()`)."""
    rows = [Row(short_name(row.theme), [row.announced, row.listed]) for row in tally.themes]
    if tally.without_theme:
        rows.append(Row(_("No theme given"), [None, len(tally.without_theme)]))
    return Chart(_("Announced and listed works, per theme"), [str(ANNOUNCED), str(LISTED)], rows)


def batch_announced(batch) -> int | None:
    """What a batch announced: the stated total, else the sum of its per-theme counts."""
    if batch.total_announced is not None:
        return batch.total_announced
    return getattr(batch, "announced_by_theme", None)


def initiative_chart(batches) -> Chart:
    """An initiative: works announced and listed per batch, and the running total after
    each, in the order they were announced."""
    rows = [
        Row(
            _("Batch %(number)s") % {"number": batch.number}
            + (f" · {batch.announced_on:%Y-%m}" if batch.announced_on else ""),
            [batch_announced(batch), batch.listed_count, batch.running_total],
        )
        for batch in batches
    ]
    return Chart(
        _("Works per batch, with the running total"),
        [str(ANNOUNCED), str(LISTED), _("Running total")],
        rows,
    )


def theme_share(batch, row) -> float | None:
    """The share (0-100) of what a batch announced that it announced under one theme."""
    total = batch_announced(batch)
    if row is None or row.announced is None or not total:
        return None
    return round(100 * row.announced / total, 1)


def theme_chart(batch_tallies) -> Chart:
    """A theme: its share of each batch's announced works, as a percentage of that batch."""
    rows = []
    for batch, row in batch_tallies:
        share = theme_share(batch, row)
        label = _("%(initiative)s, batch %(number)s") % {
            "initiative": short_name(batch.initiative),
            "number": batch.number,
        }
        text = (
            None
            if share is None
            else _("%(share)s%% (%(part)s of %(total)s)")
            % {"share": f"{share:g}", "part": row.announced, "total": batch_announced(batch)}
        )
        rows.append(Row(label, [share], [text]))
    return Chart(
        _("The theme's share of each batch's announced works"),
        [_("Share of the batch")],
        rows,
        maximum=100,
    )

"""Template helpers for the public pages."""

from django import template
from django.template.defaultfilters import date as format_date
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def precise_date(value, precision="day"):
    """A date as precisely as the source gives it: "12 October 2024", "October 2024",
    "2024". Unknown dates say so rather than look empty."""
    if not value:
        return _("date not given")
    if precision == "year":
        return format_date(value, "Y")
    if precision == "month":
        return format_date(value, "YEAR_MONTH_FORMAT")
    return format_date(value, "DATE_FORMAT")


@register.simple_tag(takes_context=True)
def absolute(context, url):
    """An absolute address for `url` on this site (canonical links, Open Graph)."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url

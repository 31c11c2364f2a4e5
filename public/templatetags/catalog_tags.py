"""Template helpers for the public pages."""

from django import template
from django.template.defaultfilters import date as format_date
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from public.names import as_text, in_page_order, page_lang

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


@register.simple_tag(takes_context=True)
def block_text(context, block_name):
    """A block of this page (its title, its description) again, as one line of plain text:
    for the Open Graph and Twitter tags, which repeat what <title> and the description say.
    Django renders a block once; this renders the page's own version of it a second time."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block(block_name) if block_context else None
    if block is None:
        return ""
    with context.push():
        html = block.render(context)
    # The rendered block is escaped already; keep it so, without tags or runs of spaces.
    return mark_safe(" ".join(strip_tags(html).split()))


#
# Names in two languages (public/names.py)
#


@register.simple_tag
def name(record, mode="full"):
    """A record's name for the page: in /zh-hans/ the Chinese name first and the English one
    after it, in English the reverse. A record with a name in one language only shows that
    name marked with its language (`lang`, and a visible badge from the stylesheet).

    `{% name work %}` both names; `{% name theme "short" %}` the first only (tags, links in
    running text); `{% name place "text" %}` both as plain text for <title> and <option>;
    `{% name batch.initiative "plain" as initiative %}` the first as plain text, for a
    sentence that names the record.
    """
    if record is None:
        return ""
    (first, first_lang), (second, second_lang) = in_page_order(record)
    if mode == "text":
        return as_text(record)
    if mode == "plain":
        return first
    here = page_lang()
    if first_lang == here:
        html = format_html("{}", first)
    else:
        html = format_html('<span class="name-fallback" lang="{}">{}</span>', first_lang, first)
    if second and mode != "short":
        html = format_html(
            '{} <span class="other-name" lang="{}">{}</span>', html, second_lang, second
        )
    return html

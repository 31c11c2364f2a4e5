"""A record's address by its slug, from an address reversed once per view, language and
script prefix (the path the site is served under): a reverse() resolves the view's pattern
and quotes its arguments each time, which a page naming thousands of records (a sitemap's
20,000 addresses, an API page's 50 works) paid once per record.

The site has one URL configuration: no middleware sets `request.urlconf`. A test that
overrides ROOT_URLCONF empties the kept addresses, as Django empties its resolvers."""

from urllib.parse import quote

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language

# A value the slug converter takes, found once in the reversed address.
_MARK = "slug-goes-here"
# The address before and after the slug, per (view, language, script prefix).
_AROUND: dict[tuple[str, str, str], tuple[str, str]] = {}


def slug_address(viewname: str, slug: str) -> str:
    """`reverse(viewname, kwargs={"slug": slug})`, quoted as reverse() quotes it."""
    key = (viewname, get_language(), get_script_prefix())
    around = _AROUND.get(key)
    if around is None:
        marked = reverse(viewname, kwargs={"slug": _MARK})
        around = _AROUND[key] = marked.partition(_MARK)[::2]
    return f"{around[0]}{quote(slug, safe=RFC3986_SUBDELIMS + '/~:@')}{around[1]}"


@receiver(setting_changed)
def _forget_addresses(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _AROUND.clear()

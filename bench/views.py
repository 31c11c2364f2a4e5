"""The ceiling: the same 50 public works as the project's list, a work, a search, with the
least the framework can do (`.values()` + orjson, no serializer, no middleware, no count).

    /works/[?theme=SLUG][&page=N | &after=UPDATED_AT,ID]  50 works (of a theme)
    /works/SLUG/                                          one work
    /search/?q=TEXT                                       50 works whose titles contain TEXT
"""

import datetime

import orjson
from django.db.models import Q
from django.http import Http404, HttpResponse

from catalog.models import Work

FIELDS = ("id", "slug", "title", "title_original", "season", "episodes", "year", "updated_at")
PAGE = 50


def respond(data) -> HttpResponse:
    return HttpResponse(orjson.dumps(data), content_type="application/json")


def works(request):
    qs = Work.objects.public()
    if "theme" in request.GET:
        qs = qs.filter(themes__slug=request.GET["theme"])
    after = request.GET.get("after")
    if after:
        # Keyset, as the API's sync cursor: (updated_at, id) after the given pair.
        stamp, _sep, pk = after.partition(",")
        stamp = datetime.datetime.fromisoformat(stamp)
        qs = qs.filter(
            Q(updated_at__gte=stamp), Q(updated_at__gt=stamp) | Q(updated_at=stamp, pk__gt=int(pk))
        )
        rows = qs.order_by("updated_at", "pk").values(*FIELDS)[:PAGE]
    else:
        page = max(1, int(request.GET.get("page", 1)))
        rows = qs.order_by("title", "pk").values(*FIELDS)[(page - 1) * PAGE : page * PAGE]
    return respond({"results": list(rows)})


def work(request, slug):
    row = Work.objects.public().filter(slug=slug).values(*FIELDS, "synopsis").first()
    if row is None:
        raise Http404
    return respond(row)


def search(request):
    q = request.GET.get("q", "")
    rows = (
        Work.objects.public()
        .filter(Q(title__icontains=q) | Q(title_original__icontains=q))
        .order_by("title", "pk")
        .values(*FIELDS)[:PAGE]
    )
    return respond({"results": list(rows)})


def not_found(request, exception=None):
    return HttpResponse(b'{"detail": "Not found."}', status=404, content_type="application/json")

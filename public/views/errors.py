"""Error pages in the site's layout."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader


def page_not_found(request, exception=None):
    return render(request, "404.html", {"request_path": request.path}, status=404)


def server_error(request):
    """The 500 page in the site's layout, rendered without context processors or the
    database: whatever broke the page may break those too."""
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request": request}), status=500)

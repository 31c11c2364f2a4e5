"""Error pages: in the site's layout for pages, JSON in the API's error shape
(`{"detail": "..."}`) for anything under /api/, whichever part of the stack raised the
error (an unknown address with a newline in it never reaches the API's catch-all route;
a bad Host header is refused before any view runs)."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from core.middleware import is_api_request


def api_error(status: int, detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    if is_api_request(request):
        return api_error(400, _("Bad request."))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api_request(request):
        return api_error(403, _("You do not have permission to perform this action."))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api_request(request):
        return api_error(404, _("Not found."))
    return render(request, "404.html", {"request_path": request.path}, status=404)


def server_error(request):
    """The 500 page in the site's layout, rendered without context processors or the
    database: whatever broke the page may break those too."""
    if is_api_request(request):
        return api_error(500, _("Server error: the request could not be completed."))
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request": request}), status=500)

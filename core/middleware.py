"""A database that cannot answer is a 503 with Retry-After, not a 500.

Refused, hung past DB_CONNECT_TIMEOUT, a statement cancelled by DB_STATEMENT_TIMEOUT, or a
connection lost mid-request: Django raises OperationalError or InterfaceError. A page
answers 503 in the site's layout, anything under /api/ a JSON body in the API's error shape
(the API's own exception handler does the same for errors inside its views). Both say when
to come back, and neither may be cached.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import Resolver404, get_resolver, resolve
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def is_api_request(request) -> bool:
    return request.path_info.startswith("/api/")


def database_unavailable_response(request):
    retry_after = str(settings.DB_UNAVAILABLE_RETRY_AFTER)
    if is_api_request(request):
        response = JsonResponse(
            {"detail": _("The catalog is temporarily unavailable. Try again shortly.")},
            status=503,
        )
    else:
        response = TemplateResponse(request, "503.html", status=503).render()
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.error(
            "Database unavailable: %s %s answered 503",
            request.method,
            request.path,
            exc_info=exception,
        )
        return database_unavailable_response(request)


class SiteNotFoundPageMiddleware:
    """Local development only (config/settings/local.py, DEBUG): an unknown address or a
    missing record shows the site's 404 page, as in production, instead of Django's technical
    page (444 px wide on a phone). `TECHNICAL_404=true make run` brings the technical page
    back. Innermost, so the middleware around it (language prefix, trailing slash, headers)
    treats its answer like any other 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404 as exception:
            return self.not_found(request, exception)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return self.not_found(request, exception)
        return None

    @staticmethod
    def not_found(request, exception):
        handler = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(404)
        return handler(request, exception=exception)

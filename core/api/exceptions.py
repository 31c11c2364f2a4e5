"""The API's error shape: every error is JSON, `{"detail": "...", "errors": {...}}`.

Named by REST_FRAMEWORK["EXCEPTION_HANDLER"], which DRF imports when the first error is
handled, after rest_framework.views has loaded: importing it here is safe.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .renderers import JSONRenderer


def exception_handler(exc, context):
    """Every error is JSON: `{"detail": "...", "errors": {"<parameter>": ["..."]}}`, the
    `errors` member only when a request parameter is at fault (400)."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    if request is not None:
        # Errors are JSON even when the request asked for CSV.
        request.accepted_renderer = JSONRenderer()  # the API's own, as settings name it
        request.accepted_media_type = request.accepted_renderer.media_type
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {
            "detail": str(_("Invalid request parameters.")),
            "errors": {
                name: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
                for name, msgs in errors.items()
            },
        }
    elif isinstance(data, dict) and "detail" in data:
        response.data = {"detail": str(data["detail"])}
    else:
        response.data = {"detail": str(data)}
    if isinstance(exc, exceptions.Throttled):
        response.headers["Retry-After"] = str(max(1, int(exc.wait or 1)))
    return response

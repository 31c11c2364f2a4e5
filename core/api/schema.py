"""OpenAPI 3 schema details drf-spectacular cannot see by itself: the `format` parameter,
CSV bodies, response headers, error bodies and the API-key scheme. (The filters' types come
from their own classes, core/filters.py.)"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from .renderers import CSVRenderer
from .viewsets import ANONYMOUS_MAX_AGE


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per request parameter, what is wrong with its value (400 only).",
    )


ERRORS = {
    "400": "A parameter is invalid: `errors` names it and says why.",
    "401": "The `Authorization` header carries an unknown, revoked or expired key.",
    "404": "No published record has this slug.",
    "429": "Rate limit exceeded: retry after `Retry-After` seconds.",
}

RATE_LIMIT_HEADERS = {
    "RateLimit-Policy": 'Your budget: `"anonymous";q=60;w=60` (q requests per w seconds), or '
    '`"partner";…` with a key. Absent when nothing was counted.',
    "RateLimit": 'Where it stands: `"anonymous";r=42;t=17`, r requests left in this window '
    "and t seconds until it ends. Absent when nothing was counted.",
}

HEADERS_200 = {
    "ETag": "Validator for `If-None-Match` (304 Not Modified when unchanged).",
    "Last-Modified": "When anything public last changed (the same for every answer).",
    "Cache-Control": f"`public, max-age={ANONYMOUS_MAX_AGE}` for anonymous reads, "
    "`private, no-cache` with a key.",
    "Link": 'RFC 8288 links: rel="first", "prev", "next", "last" (lists).',
    **RATE_LIMIT_HEADERS,
}


def string_header(description: str) -> dict:
    return {"schema": {"type": "string"}, "description": description}


class CatalogAutoSchema(AutoSchema):
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        formats = [renderer.format for renderer in self.view.get_renderers()]
        if self._is_list_view() and len(formats) > 1:
            parameters.append(
                OpenApiParameter(
                    "format",
                    str,
                    enum=formats,
                    description="`json` (default) or `csv`: every matching record, not one "
                    "page, streamed with a header row; lists join with `; `.",
                )
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        ok = responses.get("200")
        if ok and "content" in ok:
            if CSVRenderer.media_type in ok["content"]:
                ok["content"][CSVRenderer.media_type] = {"schema": {"type": "string"}}
            ok.setdefault("headers", {}).update(
                {name: string_header(text) for name, text in HEADERS_200.items()}
            )
        error_schema = self.resolve_serializer(ErrorSerializer(), "response").ref
        codes = ["400", "401", "429"]
        if not self._is_list_view():
            codes.append("404")
        for code in codes:
            response = {
                "description": ERRORS[code],
                "content": {"application/json": {"schema": error_schema}},
            }
            if code == "429":
                response["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconds to wait.",
                    },
                    **{name: string_header(text) for name, text in RATE_LIMIT_HEADERS.items()},
                }
            if code == "401":
                response["headers"] = {"WWW-Authenticate": string_header("`Api-Key`")}
            responses.setdefault(code, response)
        return responses


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`. Optional: without a key the anonymous rate "
            "limit applies. Keys are issued by the catalog's staff.",
        }

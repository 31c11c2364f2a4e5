"""The OpenAPI schema: valid, and true to what the endpoints answer.

Schemathesis generates requests from the schema (every documented parameter, valid and
invalid values) against the WSGI application and checks each answer: no 5xx, a documented
status code and content type, a body and headers that validate against the schema. The
example count is kept small so `make test` stays fast; SCHEMATHESIS_MAX_EXAMPLES raises it.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    PlaceFactory,
    RecommendationFactory,
    ThemeFactory,
    WorkFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
)

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def test_generated_schema_is_valid_openapi_3_without_warnings(capsys):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)


def test_every_endpoint_and_filter_parameter_is_documented():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    works = {p["name"] for p in schema["paths"]["/api/v1/works/"]["get"]["parameters"]}
    assert works >= {
        "theme",
        "theme_id",
        "initiative",
        "initiative_id",
        "batch",
        "batch_id",
        "batch_number",
        "place",
        "place_id",
        "organisation",
        "organisation_id",
        "role",
        "year",
        "updated_since",
        "q",
        "ordering",
        "page",
        "page_size",
        "mode",
        "cursor",
        "format",
    }
    for name in ["works", "themes", "initiatives", "batches", "places", "organisations"]:
        assert f"/api/v1/{name}/" in schema["paths"]
        assert f"/api/v1/{name}/{{slug}}/" in schema["paths"]
        operation = schema["paths"][f"/api/v1/{name}/"]["get"]
        assert all(p.get("description") for p in operation["parameters"]), name
        assert {"200", "400", "401", "429"} <= set(operation["responses"])
        # A client can pace itself from the schema alone (docs/api.md, "Keys and rate limits").
        for code in ("200", "429"):
            headers = operation["responses"][code]["headers"]
            assert {"RateLimit", "RateLimit-Policy"} <= set(headers), (name, code)


@pytest.fixture
def keep_test_connection():
    """Schemathesis calls the WSGI application itself, whose request signals would close the
    database connection and with it the test's transaction (on PostgreSQL). Django's own
    test client disconnects them the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, keep_test_connection):
    # A little data so generated slugs sometimes meet real records.
    theme = ThemeFactory(slug="a")
    batch = BatchFactory()
    BatchThemeCountFactory(batch=batch, theme=theme)
    work = WorkFactory(slug="b", title="跟着微短剧去旅行", themes=[theme])
    RecommendationFactory(batch=batch, work=work, theme=theme)
    WorkPlaceFactory(work=work, place=PlaceFactory(slug="c", latitude=24.5, longitude=118.1))
    WorkOrganisationFactory(work=work)
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def run_generated_requests(api_schema, mode: GenerationMode):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 14  # seven endpoints, list and detail
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case):
            case.call_and_validate(checks=CHECKS)

        check()


def test_generated_valid_requests_get_no_server_error_and_answers_match_the_schema(
    api_schema,
):
    run_generated_requests(api_schema, GenerationMode.POSITIVE)


def test_generated_invalid_requests_get_no_server_error_and_answers_match_the_schema(
    api_schema,
):
    run_generated_requests(api_schema, GenerationMode.NEGATIVE)

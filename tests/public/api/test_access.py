"""Who may read, how much, and that nobody writes: partner keys, rate limits (429 with
Retry-After), 405 for write methods, CORS for cross-origin GETs."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_api_key.models import APIKey

from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


def with_key(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def test_anonymous_reads_are_allowed(api):
    WorkFactory()

    assert api.get("/api/v1/works/").status_code == 200


def test_a_valid_key_is_accepted(partner):
    WorkFactory()

    response = partner.get("/api/v1/works/")

    assert response.status_code == 200


def test_keys_are_stored_hashed(api_key):
    stored, secret = api_key

    assert secret not in stored.hashed_key
    assert stored.is_valid(secret)


def test_an_unknown_key_gets_401(db):
    response = with_key("abcdefgh.not-a-real-secret").get("/api/v1/works/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Unknown or revoked API key."}
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'


def test_a_key_with_a_null_character_gets_401_not_a_server_error(db):
    response = with_key("\x00bcdefgh.secret").get("/api/v1/works/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'


def test_a_wrong_secret_for_a_real_prefix_gets_401(api_key):
    stored, _secret = api_key

    response = with_key(f"{stored.prefix}.wrong").get("/api/v1/works/")

    assert response.status_code == 401


def test_a_revoked_key_gets_401(api_key):
    stored, secret = api_key
    stored.revoked = True
    stored.save()

    response = with_key(secret).get("/api/v1/works/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Unknown or revoked API key."}


def test_an_expired_key_gets_401(api_key):
    stored, secret = api_key
    stored.expiry_date = timezone.now() - datetime.timedelta(days=1)
    stored.save()

    response = with_key(secret).get("/api/v1/works/")

    assert response.status_code == 401
    assert response.json() == {"detail": "This API key has expired."}


def test_another_authorization_scheme_gets_401_not_the_anonymous_limit(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer something")

    assert client.get("/api/v1/works/").status_code == 401


def test_staff_manage_keys_in_the_admin(admin_client):
    APIKey.objects.create_key(name="Tourism bureau")

    listing = admin_client.get("/admin/rest_framework_api_key/apikey/")
    adding = admin_client.get("/admin/rest_framework_api_key/apikey/add/")

    assert listing.status_code == 200
    assert b"Tourism bureau" in listing.content
    assert adding.status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_write_method_is_allowed_with_or_without_a_key(api, partner, method):
    work = WorkFactory()

    for client in (api, partner):
        on_list = getattr(client, method)("/api/v1/works/", {}, format="json")
        on_detail = getattr(client, method)(f"/api/v1/works/{work.slug}/", {}, format="json")
        assert on_list.status_code == 405
        assert on_detail.status_code == 405
        assert on_detail.json()["detail"] == f'Method "{method.upper()}" not allowed.'


def test_cross_origin_gets_are_allowed(api):
    response = api.get("/api/v1/works/", HTTP_ORIGIN="https://partner.example")

    assert response["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight_allows_get_only(api):
    response = api.options(
        "/api/v1/works/",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


#
# Rate limits
#


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "api_key": "5/min"},
    }


def test_anonymous_clients_get_429_with_retry_after_past_their_limit(api, low_rates):
    statuses = [api.get("/api/v1/themes/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/themes/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Request was throttled.")


def test_a_key_has_a_higher_limit_than_anonymous_clients(api, partner, low_rates):
    anonymous = [api.get("/api/v1/themes/").status_code for _ in range(5)]
    keyed = [partner.get("/api/v1/themes/").status_code for _ in range(6)]

    assert anonymous.count(200) == 3
    assert keyed == [200] * 5 + [429]


def test_each_key_has_its_own_budget(api_key, low_rates):
    _stored, first = api_key
    _other, second = APIKey.objects.create_key(name="Another partner")

    for _ in range(5):
        with_key(first).get("/api/v1/themes/")

    assert with_key(first).get("/api/v1/themes/").status_code == 429
    assert with_key(second).get("/api/v1/themes/").status_code == 200


def test_the_throttle_cache_is_empty_at_the_start_of_each_test(api, low_rates):
    # The two tests above used up budgets; the autouse fixture cleared them.
    assert api.get("/api/v1/themes/").status_code == 200


def test_guessing_keys_is_throttled_like_anonymous_reads(api, low_rates):
    guesser = with_key("abcdefgh.not-a-real-secret-at-all")
    statuses = [guesser.get("/api/v1/themes/").status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]
    assert int(guesser.get("/api/v1/themes/")["Retry-After"]) >= 1
    # The guesses spent the address's anonymous budget too.
    assert api.get("/api/v1/themes/").status_code == 429


def test_each_answer_says_how_many_requests_are_left_and_for_how_long(api, low_rates):
    """The IETF's RateLimit fields (draft-ietf-httpapi-ratelimit-headers): a client can pace
    itself rather than run into 429s. The reset is the same moment as a 429's Retry-After."""
    answers = [api.get("/api/v1/themes/") for _ in range(4)]

    assert [response.status_code for response in answers] == [200, 200, 200, 429]
    policies = {response["RateLimit-Policy"] for response in answers}
    assert policies == {'"anonymous";q=3;w=60'}
    reset = int(answers[-1]["Retry-After"])
    assert 1 <= reset <= 60
    assert [response["RateLimit"] for response in answers] == [
        f'"anonymous";r={left};t={reset}' for left in (2, 1, 0, 0)
    ]


def test_a_partner_sees_its_keys_budget(partner, low_rates):
    first, second = partner.get("/api/v1/themes/"), partner.get("/api/v1/works/")

    assert first["RateLimit-Policy"] == '"partner";q=5;w=60'
    assert first["RateLimit"].startswith('"partner";r=4;t=')
    assert second["RateLimit"].startswith('"partner";r=3;t=')


def test_a_refused_key_is_told_the_addresses_budget_it_spent(low_rates):
    guesser = with_key("abcdefgh.not-a-real-secret-at-all")
    response = guesser.get("/api/v1/themes/")

    assert response.status_code == 401
    assert response["RateLimit"].startswith('"anonymous";r=2;t=')


def test_a_cached_answer_carries_its_own_clients_budget(api, low_rates, settings):
    """The API keeps whole answers per address (API_CACHE_SECONDS); the figures of the client
    that filled the cache must not be replayed to the next one."""
    settings.API_CACHE_SECONDS = 60
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "rate-limit-budget-test",
        },
    }
    cache.clear()  # a named in-process cache outlives the test that filled it
    for _ in range(2):
        filled = api.get("/api/v1/themes/", REMOTE_ADDR="198.51.100.7")
    with CaptureQueriesContext(connection) as queries:
        hit = api.get("/api/v1/themes/", REMOTE_ADDR="198.51.100.8")

    assert filled.status_code == hit.status_code == 200
    assert not [q for q in queries if "catalog_theme" in q["sql"]]  # from the cache
    assert filled["RateLimit"].startswith('"anonymous";r=1;')
    assert hit["RateLimit"].startswith('"anonymous";r=2;')


def test_no_figures_are_given_where_nothing_is_counted(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "api_key": None},
    }
    response = api.get("/api/v1/themes/")

    assert response.status_code == 200
    assert "RateLimit" not in response
    assert "RateLimit" not in api.get("/works/")


def test_a_partners_web_page_may_read_the_budget_the_links_and_the_etag(api):
    response = api.get("/api/v1/works/?page_size=1", HTTP_ORIGIN="https://partner.example")

    exposed = {name.strip() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert {"RateLimit", "RateLimit-Policy", "Retry-After", "Link", "ETag"} <= exposed

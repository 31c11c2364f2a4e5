"""Who may read, how much, and that nobody writes: partner keys, rate limits (429 with
Retry-After), 405 for write methods, CORS for cross-origin GETs."""

import datetime

import pytest
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

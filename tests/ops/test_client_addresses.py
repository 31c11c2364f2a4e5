"""One rule for who the client is (TRUSTED_PROXY_COUNT), used by the API's rate limits and
by the admin's lockout (django-axes) alike: X-Forwarded-For counts only as far as the
trusted proxies wrote it."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from core.net import client_ip, rate_limit_ident
from tests.editorial.conftest import PASSWORD, make_editor

PROXY = "10.0.0.2"  # the TLS proxy in front of gunicorn, as gunicorn sees it


def request_from(remote_addr: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        # No trusted proxy: the header is whatever the client wrote, so it is ignored.
        (0, "198.51.100.4", "1.2.3.4", "198.51.100.4"),
        # One proxy: it appended the address it saw; what stands left of it is the client's.
        (1, PROXY, "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (1, PROXY, "203.0.113.9", "203.0.113.9"),
        # Two proxies (CDN, then balancer): the second address from the right.
        (2, PROXY, "1.2.3.4, 203.0.113.9, 172.16.0.8", "203.0.113.9"),
        # Fewer hops than proxies: the outermost proxy saw the client itself.
        (2, PROXY, "203.0.113.9", "203.0.113.9"),
        # No header, or one that is not an address: the connection's address.
        (1, PROXY, None, PROXY),
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, " , ", PROXY),
        # Ports and brackets some proxies write are dropped.
        (1, PROXY, "203.0.113.9:51234", "203.0.113.9"),
        (1, PROXY, "[2001:db8::7]:443", "2001:db8::7"),
    ],
)
def test_client_ip_trusts_only_the_configured_number_of_proxies(
    settings, count, remote, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request_from(remote, forwarded)) == expected


def test_rate_limits_count_an_ipv6_client_by_its_64_network(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    first = rate_limit_ident(request_from("2001:db8:1:2::1"))
    other_address_same_network = rate_limit_ident(request_from("2001:db8:1:2:ffff::9"))
    assert first == other_address_same_network == "2001:db8:1:2::/64"
    assert rate_limit_ident(request_from("203.0.113.9")) == "203.0.113.9"


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "api_key": "5/min"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_rotating_x_forwarded_for_does_not_escape_the_anonymous_limit(settings, low_rates):
    settings.TRUSTED_PROXY_COUNT = 0
    api = APIClient(REMOTE_ADDR="198.51.100.4")
    statuses = [
        api.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(6)
    ]
    assert statuses == [200, 200, 200, 429, 429, 429]


@pytest.mark.django_db
def test_behind_a_proxy_the_client_cannot_escape_by_prepending_addresses(settings, low_rates):
    settings.TRUSTED_PROXY_COUNT = 1
    api = APIClient(REMOTE_ADDR=PROXY)
    statuses = [
        api.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9").status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    # Another visitor behind the same proxy has a budget of their own.
    other = api.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.status_code == 200


@pytest.mark.django_db
def test_rotating_bogus_keys_and_forwarded_addresses_ends_in_429(settings, low_rates):
    settings.TRUSTED_PROXY_COUNT = 0
    statuses = []
    for n in range(6):
        guesser = APIClient(REMOTE_ADDR="198.51.100.4")
        guesser.credentials(HTTP_AUTHORIZATION=f"Api-Key guess{n:03d}.not-a-real-secret-{n}")
        statuses.append(
            guesser.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        )
    assert statuses == [401, 401, 401, 429, 429, 429]


#
# The admin's lockout
#


def login(client, username, password, *, client_address):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


@pytest.mark.django_db
def test_one_editors_failures_behind_the_proxy_do_not_lock_out_another_address(settings):
    """Every editor reaches gunicorn through the same proxy: keyed on REMOTE_ADDR, five bad
    guesses from anywhere locked the username out for everyone for an hour."""
    settings.TRUSTED_PROXY_COUNT = 1
    make_editor("editor")
    attacker, editor = Client(), Client()
    for _attempt in range(5):
        login(attacker, "editor", "wrong guess", client_address="192.0.2.66")
    assert login(attacker, "editor", PASSWORD, client_address="192.0.2.66").status_code == 429

    response = login(editor, "editor", PASSWORD, client_address="203.0.113.7")
    assert response.status_code == 302
    assert editor.session["_auth_user_id"]


@pytest.mark.django_db
def test_the_lockout_follows_the_client_not_the_forwarded_header_it_writes(settings):
    """Without a trusted proxy, rotating X-Forwarded-For must not reset the count."""
    settings.TRUSTED_PROXY_COUNT = 0
    make_editor("editor")
    attacker = Client()
    for attempt in range(5):
        attacker.post(
            reverse("admin:login"),
            {"username": "editor", "password": "wrong guess", "next": "/admin/"},
            REMOTE_ADDR="198.51.100.4",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        )
    response = attacker.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="198.51.100.4",
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert response.status_code == 429

"""Fixtures for the API tests: a client and a partner key. Each test starts with an empty
cache, throttle counters included (tests/conftest.py: empty_cache), so one test's requests
never count against another's rate limit."""

import pytest
from rest_framework.test import APIClient
from rest_framework_api_key.models import APIKey


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_key(db):
    """A partner's key: (the stored APIKey, the secret the partner sends)."""
    return APIKey.objects.create_key(name="Example Tourism Bureau")


@pytest.fixture
def partner(api_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key[1]}")
    return client

"""Anonymous pages are answered from the public state: a 304 or a cached page costs no
query and no rendering; publishing or withdrawing anything retires every cached page at once;
drafts move nothing; signed-in users, the admin and the API are never served from it."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import DatabaseError

from core import caching
from core.models import PublicState
from initiatives.models import Batch
from initiatives.services import batch_publish, batch_unpublish
from tests.concurrency import asked_twice_at_once
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
    WorkFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    theme = ThemeFactory()
    batch = BatchFactory(status=Batch.Status.DRAFT)
    BatchThemeCountFactory(batch=batch, theme=theme, announced=1)
    RecommendationFactory(
        batch=batch, theme=theme, work=WorkFactory(title="Coming Soon", published_directly=False)
    )
    return batch


def test_a_page_carries_the_public_states_validators(client):
    WorkFactory()
    response = client.get("/works/")
    state = PublicState.current()
    assert response["ETag"] == f'"p{state.version}"'
    assert response["Cache-Control"] == "public, max-age=60"


def test_a_current_copy_gets_304_and_a_cached_page_costs_no_query(
    client, django_assert_num_queries
):
    WorkFactory(title="Opera by the Sea")
    first = client.get("/works/")
    with django_assert_num_queries(0):
        again = client.get("/works/")
        not_modified = client.get("/works/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert "Opera by the Sea" in again.content.decode()
    assert not_modified.status_code == 304
    assert not_modified.content == b""


def test_publishing_retires_every_cached_page_and_both_validators(client, draft):
    held = client.get("/works/")
    assert "Coming Soon" not in held.content.decode()

    batch_publish(batch=draft, user=UserFactory())

    response = client.get("/works/", HTTP_IF_NONE_MATCH=held["ETag"])
    assert response.status_code == 200
    assert "Coming Soon" in response.content.decode()
    since = client.get("/works/", HTTP_IF_MODIFIED_SINCE=held["Last-Modified"])
    assert since.status_code == 200


def test_a_withdrawal_is_not_kept_by_the_cache(client, draft):
    batch_publish(batch=draft, user=UserFactory())
    assert "Coming Soon" in client.get("/works/").content.decode()

    batch_unpublish(batch=draft, user=UserFactory())

    assert "Coming Soon" not in client.get("/works/").content.decode()


def test_an_editors_work_on_a_draft_keeps_the_validators(client, draft):
    held = client.get("/works/")
    RecommendationFactory(
        batch=draft,
        work=WorkFactory(published_directly=False, sources=[]),
        theme=draft.theme_counts.get().theme,
    )
    assert client.get("/works/", HTTP_IF_NONE_MATCH=held["ETag"]).status_code == 304


def test_a_signed_in_user_is_neither_served_from_the_cache_nor_cached(client, admin_client):
    WorkFactory()
    anonymous = client.get("/works/")
    signed_in = admin_client.get("/works/", HTTP_IF_NONE_MATCH=anonymous["ETag"])
    assert signed_in.status_code == 200
    assert "ETag" not in signed_in


@pytest.mark.parametrize("address", ["/api/v1/works/", "/admin/login/"])
def test_the_api_and_the_admin_are_left_to_their_own_caching(client, address):
    response = client.get(address)
    assert response.get("ETag", "").startswith('"p') is False


#
# Values computed once per public state (core.caching.per_public_version)
#


def test_a_value_being_computed_is_waited_for_not_computed_again(monkeypatch):
    """The first pages after a publication: every worker used to run the same counts of the
    whole catalog at once (4 s each at 1M works); the second waits for the first's."""
    monkeypatch.setattr(PublicState, "cached", classmethod(lambda cls: (7, 0)))
    answer, calls = asked_twice_at_once(lambda count: caching.per_public_version("counts", count))
    assert answer == {"fujian": 3}
    assert calls == ["counted"]


def test_a_value_kept_in_process_outlives_an_emptied_redis(monkeypatch):
    """Redis keeps nothing on disk: restarted, it is empty. A process computes the whole
    catalog's figures once per public state all the same (5 s at 1M works)."""
    monkeypatch.setattr(PublicState, "cached", classmethod(lambda cls: (7, 0)))
    calls = []

    def count():
        calls.append("counted")
        return {"fujian": 3}

    assert caching.per_public_version("counts", count, in_process=True) == {"fujian": 3}
    cache.clear()
    assert caching.per_public_version("counts", count, in_process=True) == {"fujian": 3}
    assert calls == ["counted"]
    # A value a visitor's filters name is kept in the shared cache only: there are as many
    # as the filters one can combine.
    assert caching.per_public_version("filtered", count) == {"fujian": 3}
    cache.clear()
    assert caching.per_public_version("filtered", count) == {"fujian": 3}
    assert calls == ["counted"] * 3


def test_a_value_kept_in_process_is_computed_again_for_a_new_public_state(monkeypatch):
    state = [(7, 0)]
    monkeypatch.setattr(PublicState, "cached", classmethod(lambda cls: state[0]))
    assert caching.per_public_version("count", lambda: 1, in_process=True) == 1
    state[0] = (8, 1)
    assert caching.per_public_version("count", lambda: 2, in_process=True) == 2
    assert caching.per_public_version("count", lambda: 3, in_process=True) == 2


def test_a_value_kept_in_process_expires_as_the_shared_caches_does(monkeypatch):
    """A day, as in Redis: a figure some writer changed without a new public state is not
    kept for as long as the worker lives."""
    monkeypatch.setattr(PublicState, "cached", classmethod(lambda cls: (7, 0)))
    assert caching.per_public_version("count", lambda: 1, in_process=True) == 1
    later = time.monotonic() + caching.PER_VERSION_SECONDS + 1
    monkeypatch.setattr(caching._in_process, "clock", lambda: later)
    cache.clear()  # Redis's copy expired too
    assert caching.per_public_version("count", lambda: 2, in_process=True) == 2


def test_a_thread_waits_for_another_computing_a_kept_value_only_so_long(monkeypatch):
    """A computation that never ends (or two values each computed inside the other's)
    holds the others up for COMPUTE_WAIT_SECONDS, as one in another worker would, not for
    ever: then they compute it themselves."""
    monkeypatch.setattr(PublicState, "cached", classmethod(lambda cls: (7, 0)))
    monkeypatch.setattr(caching, "COMPUTE_WAIT_SECONDS", 0.2)
    started, finish = threading.Event(), threading.Event()

    def stuck():
        started.set()
        finish.wait(10)
        return "late"

    first = threading.Thread(
        target=lambda: caching.per_public_version("count", stuck, in_process=True)
    )
    first.start()
    assert started.wait(10)
    begun = time.monotonic()
    try:
        assert caching.per_public_version("count", lambda: "on time", in_process=True) == "on time"
        assert time.monotonic() - begun < 5
    finally:
        finish.set()
        first.join(10)


def test_each_reader_of_a_value_kept_in_process_gets_its_own_copy(monkeypatch):
    """Pages annotate what they read (a place's ancestors, its indent): one page's changes
    must not show on the next."""
    monkeypatch.setattr(PublicState, "cached", classmethod(lambda cls: (7, 0)))
    first = caching.per_public_version("places", lambda: [{"slug": "fujian"}], in_process=True)
    first.append({"slug": "changed by a page"})
    again = caching.per_public_version("places", lambda: [], in_process=True)
    again[0]["slug"] = "changed by another"
    assert caching.per_public_version("places", lambda: [], in_process=True) == [{"slug": "fujian"}]


def test_a_computation_that_failed_leaves_the_next_request_to_compute(monkeypatch):
    monkeypatch.setattr(PublicState, "cached", classmethod(lambda cls: (7, 0)))

    def failing():
        raise DatabaseError("statement timeout")

    with pytest.raises(DatabaseError):
        caching.per_public_version("counts", failing)
    started = time.monotonic()
    assert caching.per_public_version("counts", lambda: {"fujian": 3}) == {"fujian": 3}
    assert time.monotonic() - started < caching.COMPUTE_WAIT_SECONDS / 2  # no wait

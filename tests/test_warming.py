"""What pages count over the whole catalog is computed once a publication commits, in a
background thread (core.caching.warmed_after_publication), not by the first visitor after it.

These tests commit for real (a transactional database), so that the thread's own connection
sees what the test published."""

import logging
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from core import caching
from public import facets
from public.views import catalog as views
from tests.factories import (
    BatchFactory,
    PlaceFactory,
    RecommendationFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
    published_at_the_end,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def warming(settings, monkeypatch):
    """Warming on; a works page past the facets' bound, its organisations' and batches'
    options bounded, as the 1M-work catalog serves it; no page cached."""
    settings.WARM_AFTER_PUBLICATION = True
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(facets, "FACET_BOUND", 2)
    monkeypatch.setattr(views, "FILTER_OPTIONS", 2)


def wait_for_warming():
    """Until no publication waits to be warmed and no thread warms one (polled: taking the
    thread's lock here would keep it from starting again)."""
    deadline = time.monotonic() + 60
    while caching._again.is_set() or caching._warming.locked():
        assert time.monotonic() < deadline, "the warming thread did not finish"
        time.sleep(0.01)


def publish_works(count):
    """`count` works listed in a new batch, each at the same place: one publication, so one
    thread starts, once every row is written (on SQLite a thread reading beside a writer
    can lock it out)."""
    with published_at_the_end():
        place = PlaceFactory()
        batch = BatchFactory()
        for _ in range(count):
            recommendation = RecommendationFactory(batch=batch)
            WorkPlaceFactory(work=recommendation.work, place=place)
            WorkOrganisationFactory(work=recommendation.work)
    return batch, place


def test_the_first_works_page_after_a_publication_finds_its_figures_computed(
    client, warming, django_assert_num_queries
):
    publish_works(4)
    wait_for_warming()
    connection.features.supports_json_field  # noqa: B018 - SQLite's probe, once per connection
    with django_assert_num_queries(2):  # the count, capped, and the page: nothing else
        response = client.get(reverse("catalog:work_list"))
    assert len(response.context["works"]) == 4
    assert response.context["options_bounded"] == ["Organisation"]
    with django_assert_num_queries(0):  # the themes with their counts, warmed too
        client.get(reverse("catalog:theme_list"))


def test_the_figures_warmed_are_the_new_public_states(client, warming):
    _batch, place = publish_works(2)
    wait_for_warming()
    assert views.places_with_work_counts()[0].work_count == 2
    with published_at_the_end():
        RecommendationFactory(batch=BatchFactory())
        WorkPlaceFactory(work=RecommendationFactory(batch=BatchFactory()).work, place=place)
    wait_for_warming()
    counts = {p.pk: p.work_count for p in views.places_with_work_counts()}
    assert counts[place.pk] == 3
    assert views.catalog_counts("batch") == dict.fromkeys(views.catalog_counts("batch"), 1) | {
        _batch.slug: 2
    }


def test_a_failing_warmer_is_logged_and_the_next_publication_warms_again(
    client, warming, monkeypatch, caplog
):
    calls = []

    def failing():
        calls.append("failed")
        raise RuntimeError("the database went away")

    monkeypatch.setattr(caching, "_warmers", [failing])
    with caplog.at_level(logging.ERROR, logger="core.caching"):
        publish_works(1)
        wait_for_warming()
    assert "Warming the public values after a publication failed" in caplog.text
    monkeypatch.setattr(caching, "_warmers", [lambda: calls.append("warmed")])
    publish_works(1)
    wait_for_warming()
    assert calls[0] == "failed"
    assert calls[-1] == "warmed"


def test_nothing_is_warmed_with_the_setting_off(client, warming, settings):
    settings.WARM_AFTER_PUBLICATION = False
    publish_works(2)
    assert not caching._warming.locked()
    assert (
        cache.get(f"catalog-counts:batch:{':'.join(map(str, caching.PublicState.cached()))}")
        is None
    )

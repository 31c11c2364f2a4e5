"""The first page: initiatives with their batches and theme counts, from the database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives.models import Batch
from tests.factories import BatchFactory, BatchThemeCountFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def test_home_lists_initiatives_with_batches_and_announced_against_listed(client, seed_data):
    response = client.get(reverse("initiatives:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Travel with Micro-Dramas" in html
    assert "Brand Through Micro-Drama" in html
    assert "55 announced" in html
    assert "12 listed" in html
    assert "Intangible cultural heritage" in html


def test_home_hides_draft_batches(client):
    draft = BatchFactory(status=Batch.Status.DRAFT, event="Secret draft forum")
    BatchThemeCountFactory(batch=draft)
    response = client.get(reverse("initiatives:home"))
    assert draft.initiative.name in response.content.decode()
    assert draft.get_absolute_url() not in response.content.decode()


@pytest.mark.parametrize("batches", [1, 6])
def test_home_query_count_does_not_grow_with_batches(
    client, django_assert_max_num_queries, batches
):
    for _ in range(batches):
        batch = BatchFactory()
        BatchThemeCountFactory.create_batch(2, batch=batch)
        RecommendationFactory.create_batch(2, batch=batch)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("initiatives:home")).status_code == 200


def test_latest_batch_is_the_most_recently_announced_not_an_undated_one(client, seed_data):
    html = client.get(reverse("initiatives:home")).content.decode()
    latest = html.split('id="latest-heading"', 1)[1].split("</section>", 1)[0]
    assert "/initiatives/travel-with-micro-dramas/batches/4/" in latest
    assert "batches/1/" not in latest


def test_the_catalogs_counts_are_read_once_per_public_state_and_follow_it(client, settings):
    """The home page's and the themes page's counts of works (23 and 59 ms at 1M works):
    once per public state, and new ones once a publication changes them."""
    settings.PAGE_CACHE_SECONDS = 0
    batch = BatchFactory()
    theme = BatchThemeCountFactory(batch=batch).theme
    RecommendationFactory.create_batch(2, batch=batch, theme=theme)

    def counts():
        home = client.get(reverse("initiatives:home")).context
        themes = client.get(reverse("catalog:theme_list")).context["object_list"]
        return (
            home["work_count"],
            [t.work_count for t in home["themes"]],
            [t.work_count for t in themes],
        )

    assert counts() == (2, [2], [2])
    with CaptureQueriesContext(connection) as queries:
        counts()
    counted = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert not [sql for sql in counted if "catalog_work" in sql or "themework" in sql]
    RecommendationFactory(batch=batch, theme=theme)
    assert counts() == (3, [3], [3])

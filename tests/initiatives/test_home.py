"""The first page: initiatives with their batches and theme counts, from the database."""

import pytest
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

"""Conditional GET: ETag and Last-Modified validators, 304 Not Modified, Cache-Control.

The validators follow the public state (core.models.PublicState): they move when something
public changes, and only then."""

import datetime

import pytest
from django.utils import timezone
from django.utils.http import http_date

from core import publication
from core.models import PublicState
from initiatives.models import Batch
from initiatives.services import batch_unpublish
from tests.factories import BatchFactory, RecommendationFactory, UserFactory, WorkFactory

pytestmark = pytest.mark.django_db


def test_a_list_carries_an_etag_and_last_modified(api):
    WorkFactory()

    response = api.get("/api/v1/works/")

    assert response["ETag"].startswith('"')
    changed_at = PublicState.current().changed_at
    assert response["Last-Modified"] == http_date(int(changed_at.timestamp()))


def test_if_none_match_with_the_current_etag_gets_304_without_a_body(api):
    work = WorkFactory()
    etag = api.get(f"/api/v1/works/{work.slug}/")["ETag"]

    response = api.get(f"/api/v1/works/{work.slug}/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_an_editors_change_to_a_public_record_changes_the_etag(api):
    work = WorkFactory(title="Before")
    etag = api.get("/api/v1/works/")["ETag"]
    work.title = "After"
    work.save()
    publication.record_changed(work, before={}, was_public=True)

    response = api.get("/api/v1/works/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_if_modified_since_after_the_last_change_gets_304(api):
    WorkFactory()
    changed_at = PublicState.current().changed_at
    later = http_date((changed_at + datetime.timedelta(minutes=5)).timestamp())
    earlier = http_date((changed_at - datetime.timedelta(minutes=5)).timestamp())

    assert api.get("/api/v1/works/", HTTP_IF_MODIFIED_SINCE=later).status_code == 304
    assert api.get("/api/v1/works/", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_a_work_hidden_when_its_batch_goes_back_to_draft_is_not_kept_by_if_modified_since(
    api,
):
    WorkFactory(title="Unlisted")
    batch = BatchFactory(status=Batch.Status.PUBLISHED)
    RecommendationFactory(batch=batch, work=WorkFactory(title="Listed"))
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    PublicState.objects.update(changed_at=an_hour_ago)
    before = api.get("/api/v1/works/")
    assert [w["title"] for w in before.json()["results"]] == ["Listed", "Unlisted"]

    batch_unpublish(batch=batch, user=UserFactory())
    response = api.get("/api/v1/works/", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])

    assert response.status_code == 200
    assert [w["title"] for w in response.json()["results"]] == ["Unlisted"]


def test_anonymous_reads_may_be_cached_publicly_keyed_reads_privately(api, partner):
    WorkFactory()

    anonymous = api.get("/api/v1/works/")
    keyed = partner.get("/api/v1/works/")

    assert anonymous["Cache-Control"] == "public, max-age=60"
    assert keyed["Cache-Control"] == "private, no-cache"
    assert "Authorization" in anonymous["Vary"]


def test_errors_are_not_cached(api):
    response = api.get("/api/v1/works/missing/")

    assert response.status_code == 404
    assert response["Cache-Control"] == "private, no-cache"
    assert "ETag" not in response

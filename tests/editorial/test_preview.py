"""An editor previews a draft batch and its works before publishing (issue 13): the page with
a "Draft, not public" banner, never cached; visitors still get a 404."""

import pytest

from initiatives.models import Batch
from tests.factories import (
    BatchFactory,
    InitiativeFactory,
    RecommendationFactory,
    UserFactory,
    WorkFactory,
)

pytestmark = pytest.mark.django_db

DRAFT_URL = "/initiatives/travel-with-micro-dramas/batches/9/"
DRAFT_WORK_URL = "/works/lanterns-over-the-lake/"


@pytest.fixture
def draft(db):
    initiative = InitiativeFactory(slug="travel-with-micro-dramas", name="Travel with Micro-Dramas")
    public_batch = BatchFactory(initiative=initiative, number=1)  # makes the initiative public
    RecommendationFactory(batch=public_batch, work=WorkFactory(slug="a-public-work"), theme=None)
    batch = BatchFactory(initiative=initiative, number=9, status=Batch.Status.DRAFT)
    work = WorkFactory(title="Lanterns over the Lake", slug="lanterns-over-the-lake")
    RecommendationFactory(batch=batch, work=work, theme=None)
    return batch


def test_visitors_get_a_404_for_a_draft_batch_and_its_works(client, draft):
    assert client.get(DRAFT_URL).status_code == 404
    assert client.get(DRAFT_WORK_URL).status_code == 404


def test_an_editor_previews_the_draft_batch_with_a_banner(editor_client, draft):
    response = editor_client.get(DRAFT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft, not public" in html
    assert "Lanterns over the Lake" in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["Cache-Control"] == "private, no-store"


def test_an_editor_previews_a_work_listed_only_in_the_draft(editor_client, draft):
    response = editor_client.get(DRAFT_WORK_URL)
    assert response.status_code == 200
    assert "Draft, not public" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_a_published_page_has_no_banner_for_an_editor(editor_client, draft):
    response = editor_client.get("/initiatives/travel-with-micro-dramas/batches/1/")
    assert response.status_code == 200
    assert "Draft, not public" not in response.content.decode()


def test_staff_without_the_view_permission_get_a_404(client, draft):
    client.force_login(UserFactory(username="intern", is_staff=True))
    assert client.get(DRAFT_URL).status_code == 404


def test_the_preview_never_reaches_the_page_cache(client, editor, draft, settings):
    settings.PAGE_CACHE_SECONDS = 300
    client.force_login(editor)
    assert client.get(DRAFT_URL).status_code == 200
    client.logout()
    # Had the preview been stored, the page cache would answer this visitor with it.
    response = client.get(DRAFT_URL)
    assert response.status_code == 404
    assert "Draft, not public" not in response.content.decode()


def test_the_page_cache_refuses_a_private_answer_even_for_an_anonymous_request(rf, db, settings):
    from django.http import HttpResponse

    from core.caching import PublicPageCacheMiddleware

    settings.PAGE_CACHE_SECONDS = 300
    calls = []

    def view(request):
        calls.append(request)
        response = HttpResponse("Draft, not public")
        response["Cache-Control"] = "private, no-store"
        return response

    middleware = PublicPageCacheMiddleware(view)
    middleware(rf.get("/initiatives/x/batches/9/"))
    middleware(rf.get("/initiatives/x/batches/9/"))
    assert len(calls) == 2  # the second request did not come from the cache


def test_the_batch_change_page_links_to_the_preview(editor_client, draft):
    response = editor_client.get(f"/admin/initiatives/batch/{draft.pk}/change/")
    assert f'href="{DRAFT_URL}" class="batch-preview"' in response.content.decode()

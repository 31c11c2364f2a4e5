"""Draft batches stay hidden; publishing checks the batch and records who and when."""

import pytest
from django.urls import reverse

from catalog.models import Work
from initiatives.models import Batch
from initiatives.services import BatchNotPublishable, batch_publish, batch_unpublish
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
    WorkFactory,
)


@pytest.fixture
def draft(travel):
    """A draft batch 5 listing two works under one theme that announced two."""
    batch = BatchFactory(initiative=travel, number=5, status=Batch.Status.DRAFT)
    theme = travel.themes.get(slug="cultural-relics")
    BatchThemeCountFactory(batch=batch, theme=theme, announced=2)
    RecommendationFactory(batch=batch, theme=theme, work=WorkFactory(title="Draft Work One"))
    RecommendationFactory(batch=batch, theme=theme, work=WorkFactory(title="Draft Work Two"))
    return batch


def test_a_draft_batch_and_the_works_listed_only_in_it_are_hidden(draft):
    assert not Batch.objects.public().filter(pk=draft.pk).exists()
    assert not Work.objects.public().filter(title__startswith="Draft Work").exists()


def test_a_work_also_listed_in_a_published_batch_stays_visible(draft):
    work = draft.recommendations.first().work
    RecommendationFactory(work=work, batch=BatchFactory(status=Batch.Status.PUBLISHED))
    assert Work.objects.public().filter(pk=work.pk).exists()


def test_the_public_pages_of_a_draft_batch_and_its_works_answer_404(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/initiatives/travel-with-micro-dramas/batches/5/").status_code == 404
    work = draft.recommendations.first().work
    assert client.get(f"/works/{work.slug}/").status_code == 404


def test_publishing_shows_the_batch_and_its_works_and_records_who_and_when(client, draft):
    editor = UserFactory(username="publisher")
    batch_publish(batch=draft, user=editor)
    draft.refresh_from_db()
    assert draft.status == Batch.Status.PUBLISHED
    assert draft.published_by == editor
    assert draft.published_at is not None
    assert draft.history.first().history_user == editor
    assert Work.objects.public().filter(title__startswith="Draft Work").count() == 2
    assert client.get("/initiatives/travel-with-micro-dramas/batches/5/").status_code == 200
    work = draft.recommendations.first().work
    assert client.get(f"/works/{work.slug}/").status_code == 200


def test_back_to_draft_hides_the_batch_again(draft):
    editor = UserFactory()
    batch_publish(batch=draft, user=editor)
    batch_unpublish(batch=draft, user=editor)
    draft.refresh_from_db()
    assert draft.status == Batch.Status.DRAFT
    assert draft.published_by is None
    assert not Work.objects.public().filter(title__startswith="Draft Work").exists()


def test_a_theme_with_listed_works_but_no_announced_count_blocks_publishing(draft):
    other = ThemeFactory(name="Uncounted Theme")
    RecommendationFactory(batch=draft, theme=other)
    with pytest.raises(BatchNotPublishable) as caught:
        batch_publish(batch=draft, user=UserFactory())
    assert caught.value.problems == [
        "Theme “Uncounted Theme” lists works but has no announced count."
    ]
    draft.refresh_from_db()
    assert draft.status == Batch.Status.DRAFT


def test_a_listed_work_without_a_source_blocks_publishing(draft):
    RecommendationFactory(
        batch=draft,
        theme=draft.theme_counts.get().theme,
        work=WorkFactory(title="Unsourced", sources=[]),
    )
    draft.theme_counts.update(announced=3)
    with pytest.raises(BatchNotPublishable) as caught:
        batch_publish(batch=draft, user=UserFactory())
    assert caught.value.problems == ["This work has no source: “Unsourced”."]


def test_a_batch_that_lists_no_works_cannot_be_published(travel):
    batch = BatchFactory(initiative=travel, status=Batch.Status.DRAFT)
    with pytest.raises(BatchNotPublishable, match="lists no works"):
        batch_publish(batch=batch, user=UserFactory())


def test_listing_more_works_than_announced_needs_an_explicit_confirmation(draft):
    draft.theme_counts.update(announced=1)
    with pytest.raises(BatchNotPublishable) as caught:
        batch_publish(batch=draft, user=UserFactory())
    assert caught.value.needs_confirmation_only
    assert str(caught.value.over_announced[0]) == ("Cultural relics lists 2 works but announced 1")
    batch_publish(batch=draft, user=UserFactory(), confirm_over_announced=True)
    draft.refresh_from_db()
    assert draft.is_public


#
# Through the admin
#


def test_the_publish_action_publishes_a_checked_batch_and_reports_one_that_fails(
    editor_client, draft, travel
):
    failing = BatchFactory(initiative=travel, number=6, status=Batch.Status.DRAFT)
    response = editor_client.post(
        reverse("admin:initiatives_batch_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk, failing.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "Travel with Micro-Dramas — batch 5 published." in text
    assert "batch 6 not published: The batch lists no works." in text
    draft.refresh_from_db()
    failing.refresh_from_db()
    assert draft.is_public
    assert draft.published_by.username == "editor"
    assert not failing.is_public


def test_the_back_to_draft_action_unpublishes(editor_client, draft, editor):
    batch_publish(batch=draft, user=editor)
    editor_client.post(
        reverse("admin:initiatives_batch_changelist"),
        {"action": "unpublish_selected", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Batch.Status.DRAFT


def test_the_publish_button_shows_the_checks_and_publishes_on_post(editor_client, draft):
    change_url = reverse("admin:initiatives_batch_change", args=[draft.pk])
    assert "Check and publish" in editor_client.get(change_url).content.decode()
    url = reverse("admin:initiatives_batch_publish", args=[draft.pk])
    page = editor_client.get(url)
    assert "every listed work has a source" in page.content.decode()
    response = editor_client.post(url, {"publish": "Publish"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_public
    assert "Back to draft" in editor_client.get(change_url).content.decode()


def test_the_publish_button_asks_for_confirmation_when_more_works_are_listed_than_announced(
    editor_client, draft
):
    draft.theme_counts.update(announced=1)
    url = reverse("admin:initiatives_batch_publish", args=[draft.pk])
    response = editor_client.post(url, {"publish": "Publish"})
    assert response.status_code == 200
    assert "Cultural relics lists 2 works but announced 1" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_public
    editor_client.post(url, {"publish": "Publish", "confirm_over_announced": "on"})
    draft.refresh_from_db()
    assert draft.is_public


def test_the_publish_page_lists_problems_and_offers_no_publish_button(editor_client, draft):
    RecommendationFactory(batch=draft, theme=ThemeFactory(name="Loose"))
    response = editor_client.get(reverse("admin:initiatives_batch_publish", args=[draft.pk]))
    text = response.content.decode()
    assert "Theme “Loose” lists works but has no announced count." in text
    assert 'value="Publish"' not in text


def test_the_back_to_draft_button_only_accepts_post(editor_client, draft, editor):
    batch_publish(batch=draft, user=editor)
    url = reverse("admin:initiatives_batch_unpublish", args=[draft.pk])
    assert editor_client.get(url).status_code == 405
    assert editor_client.post(url).status_code == 302
    draft.refresh_from_db()
    assert not draft.is_public


def test_publishing_and_unpublishing_mark_the_listed_works_as_changed_for_sync(draft):
    """A partner syncing works with `updated_since` must see works that became public."""
    works = Work.objects.filter(recommendations__batch=draft)
    before = max(works.values_list("updated_at", flat=True))
    published = batch_publish(batch=draft, user=UserFactory())
    assert all(w.updated_at >= published.updated_at > before for w in works.all())
    unpublished = batch_unpublish(batch=published, user=UserFactory())
    assert all(w.updated_at == unpublished.updated_at for w in works.all())

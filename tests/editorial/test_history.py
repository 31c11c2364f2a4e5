"""Every change is recorded with who made it, and an editor can restore an earlier version."""

from django.urls import reverse

from catalog.models import Work
from initiatives.models import Batch
from tests.factories import BatchFactory, WorkFactory


def work_post(work, **changes) -> dict:
    data = {
        "title": work.title,
        "title_original": work.title_original,
        "slug": work.slug,
        "synopsis": work.synopsis,
        "sources": list(work.sources.values_list("pk", flat=True)),
        "notes": "",
        "titles-TOTAL_FORMS": 0,
        "titles-INITIAL_FORMS": 0,
        "place_links-TOTAL_FORMS": 0,
        "place_links-INITIAL_FORMS": 0,
        "organisation_links-TOTAL_FORMS": 0,
        "organisation_links-INITIAL_FORMS": 0,
        "recommendations-TOTAL_FORMS": 0,
        "recommendations-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_a_change_in_the_admin_is_recorded_with_the_editor_who_made_it(editor_client, editor):
    work = WorkFactory(title="Before", episodes=None)
    response = editor_client.post(
        reverse("admin:catalog_work_change", args=[work.pk]), work_post(work, title="After")
    )
    assert response.status_code == 302
    latest = work.history.first()
    assert latest.title == "After"
    assert latest.history_user == editor
    assert latest.history_type == "~"
    page = editor_client.get(reverse("admin:catalog_work_history", args=[work.pk]))
    assert "editor" in page.content.decode()
    assert "After" in page.content.decode() or "Before" in page.content.decode()


def test_an_editor_restores_an_earlier_version_of_a_work(editor_client, editor):
    work = WorkFactory(title="Original Title")
    editor_client.post(
        reverse("admin:catalog_work_change", args=[work.pk]), work_post(work, title="Mistake")
    )
    original = work.history.filter(title="Original Title").first()
    url = reverse("admin:catalog_work_simple_history", args=[work.pk, original.history_id])
    form = editor_client.get(url)
    assert form.status_code == 200
    assert "Revert" in form.content.decode()
    work.refresh_from_db()
    versions = work.history.count()
    response = editor_client.post(url, work_post(work, title="Original Title"))
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "Original Title"
    assert work.history.first().history_user == editor
    assert work.history.count() == versions + 1


def test_publishing_from_the_admin_appears_in_the_batch_history(editor_client, travel):
    from tests.factories import BatchThemeCountFactory, RecommendationFactory

    batch = BatchFactory(initiative=travel, number=5, status=Batch.Status.DRAFT)
    count = BatchThemeCountFactory(batch=batch)
    RecommendationFactory(batch=batch, theme=count.theme)
    editor_client.post(reverse("admin:initiatives_batch_publish", args=[batch.pk]), {})
    record = batch.history.first()
    assert record.status == "published"
    assert record.history_change_reason == "Published"
    assert record.history_user.username == "editor"
    page = editor_client.get(reverse("admin:initiatives_batch_history", args=[batch.pk]))
    assert "Published" in page.content.decode()


def test_a_deleted_work_can_be_found_in_its_history(editor_client):
    work = WorkFactory(title="Short Lived")
    pk = work.pk
    response = editor_client.post(reverse("admin:catalog_work_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Work.objects.filter(pk=pk).exists()
    assert Work.history.filter(id=pk, history_type="-").get().history_user.username == "editor"

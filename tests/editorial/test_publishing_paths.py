"""Every way an editor makes or removes a record keeps drafts out of public view: the
batch form's "+" pop-up, the spreadsheet import, inline listings, deletes (single and bulk,
with a warning listing what leaves the public site), reverting to an older version. The
admin shows each record's public state, filters on it, and says what makes it public."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from catalog.models import Organisation, Place, Source, Work
from core.models import PublicRecord, PublicState
from initiatives.imports import run_import
from initiatives.models import Batch
from initiatives.services import batch_publish, batch_unpublish
from tests.editorial.conftest import SAMPLE_CSV
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    PlaceFactory,
    RecommendationFactory,
    UserFactory,
    WorkFactory,
    WorkPlaceFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC_MODELS = [m for m in apps.get_models() if issubclass(m, PublicRecord)]


def visible(client, work) -> bool:
    """Public: what a visitor gets (a signed-in editor previews drafts, so not `client`)."""
    visitor = Client()
    page = visitor.get(f"/works/{work.slug}/").status_code == 200
    api = visitor.get(f"/api/v1/works/{work.slug}/").status_code == 200
    assert page == api
    return page


def test_a_work_made_in_the_pop_up_stays_hidden_even_when_the_batch_form_then_fails(
    client, editor_client, travel
):
    BatchFactory(initiative=travel, number=4, status=Batch.Status.PUBLISHED)
    response = editor_client.post(
        reverse("admin:catalog_work_add") + "?_popup=1&_to_field=id",
        {
            "title": "Made in a Pop-up",
            "slug": "made-in-a-pop-up",
            "titles-TOTAL_FORMS": 0,
            "titles-INITIAL_FORMS": 0,
            "place_links-TOTAL_FORMS": 0,
            "place_links-INITIAL_FORMS": 0,
            "organisation_links-TOTAL_FORMS": 0,
            "organisation_links-INITIAL_FORMS": 0,
            "recommendations-TOTAL_FORMS": 0,
            "recommendations-INITIAL_FORMS": 0,
            "_popup": 1,
        },
    )
    assert response.status_code == 200, response.content  # the pop-up's closing page
    work = Work.objects.get(slug="made-in-a-pop-up")
    assert not visible(client, work)

    # The batch form it was made for fails: batch 4 exists already.
    response = editor_client.post(
        reverse("admin:initiatives_batch_add"),
        {
            "initiative": travel.pk,
            "number": 4,
            "announced_precision": "day",
            "theme_counts-TOTAL_FORMS": 0,
            "theme_counts-INITIAL_FORMS": 0,
            "recommendations-TOTAL_FORMS": 1,
            "recommendations-INITIAL_FORMS": 0,
            "recommendations-0-work": work.pk,
        },
    )
    assert response.status_code == 200
    assert "already has a batch 4" in response.content.decode()
    assert not visible(client, work)


def test_records_an_import_makes_stay_hidden_until_the_batch_is_published(client, travel):
    result = run_import(name=SAMPLE_CSV.name, content=SAMPLE_CSV.read_bytes(), commit=True)
    assert result.committed

    new_names = ["Sample Village", "Sample Studio", "Sample Video Platform"]
    for address in ["/places/", "/organisations/", "/works/", "/api/v1/places/"]:
        page = client.get(address).content.decode()
        for name in [*new_names, "Sample: "]:
            assert name not in page, (address, name)
    assert not Source.objects.public().filter(title__startswith="SAMPLE").exists()

    batch_publish(batch=result.batch, user=UserFactory(), confirm_over_announced=True)
    assert "Sample Village" in client.get("/places/").content.decode()
    assert Organisation.objects.public().filter(name="Sample Studio").exists()
    assert Source.objects.public().filter(title__startswith="SAMPLE").exists()


def test_the_delete_page_of_a_published_batch_lists_what_would_leave_the_public_site(
    editor_client, travel
):
    published = BatchFactory(initiative=travel, number=4, status=Batch.Status.PUBLISHED)
    only_here = WorkFactory(title="Listed Only Here")
    RecommendationFactory(batch=published, work=only_here)
    WorkPlaceFactory(
        work=only_here, place=PlaceFactory(name="A Place Only It Shows", published_directly=False)
    )
    elsewhere = WorkFactory(title="Listed Elsewhere Too")
    RecommendationFactory(batch=published, work=elsewhere)
    RecommendationFactory(batch=BatchFactory(initiative=travel, number=3), work=elsewhere)

    page = editor_client.get(
        reverse("admin:initiatives_batch_delete", args=[published.pk])
    ).content.decode()

    assert "This takes records off the public site." in page
    assert "Listed Only Here" in page
    assert "A Place Only It Shows" in page
    assert "Listed Elsewhere Too" not in page.split("This takes records off")[1].split("</div>")[0]
    assert Batch.objects.filter(pk=published.pk).exists(), "a preview deletes nothing"


def test_the_delete_page_of_a_draft_gives_no_warning(editor_client, travel):
    draft = BatchFactory(initiative=travel, number=5, status=Batch.Status.DRAFT)
    RecommendationFactory(batch=draft)
    page = editor_client.get(reverse("admin:initiatives_batch_delete", args=[draft.pk]))
    assert "This takes records off the public site." not in page.content.decode()


def test_deleting_selected_batches_warns_first_then_withdraws_what_only_they_showed(
    client, editor_client, travel
):
    published = BatchFactory(initiative=travel, number=4, status=Batch.Status.PUBLISHED)
    work = RecommendationFactory(batch=published, work=WorkFactory(title="Going Away")).work
    url = reverse("admin:initiatives_batch_changelist")
    data = {"action": "delete_selected", "_selected_action": [published.pk]}

    confirmation = editor_client.post(url, data)
    assert "Going Away" in confirmation.content.decode()
    assert visible(client, work)

    editor_client.post(url, {**data, "post": "yes"})
    assert not Batch.objects.filter(pk=published.pk).exists()
    assert not visible(client, work)


def test_reverting_a_batch_to_a_published_version_keeps_it_a_draft(client, editor_client, travel):
    batch = BatchFactory(initiative=travel, number=4, status=Batch.Status.DRAFT)
    BatchThemeCountFactory(batch=batch, theme=travel.themes.first(), announced=1)
    work = RecommendationFactory(batch=batch, theme=travel.themes.first()).work
    batch_publish(batch=batch, user=UserFactory())
    published_version = batch.history.first()
    batch_unpublish(batch=batch, user=UserFactory())

    url = reverse(
        "admin:initiatives_batch_simple_history",
        args=[batch.pk, published_version.history_id],
    )
    form = {
        "initiative": travel.pk,
        "number": 4,
        "announced_precision": "day",
        "event": "Reverted",
        "theme_counts-TOTAL_FORMS": 0,
        "theme_counts-INITIAL_FORMS": 0,
        "recommendations-TOTAL_FORMS": 0,
        "recommendations-INITIAL_FORMS": 0,
    }
    response = editor_client.post(url, form)
    assert response.status_code == 302, response.content

    batch.refresh_from_db()
    assert batch.event == "Reverted"
    assert batch.status == Batch.Status.DRAFT
    assert not visible(client, work)


def test_an_editors_change_to_a_public_work_goes_live_and_moves_the_validators(
    client, editor_client
):
    work = WorkFactory(title="Before")
    etag = client.get("/api/v1/works/")["ETag"]
    response = editor_client.post(
        reverse("admin:catalog_work_change", args=[work.pk]),
        {
            "title": "After",
            "slug": work.slug,
            "sources": list(work.sources.values_list("pk", flat=True)),
            "titles-TOTAL_FORMS": 0,
            "titles-INITIAL_FORMS": 0,
            "place_links-TOTAL_FORMS": 1,
            "place_links-INITIAL_FORMS": 0,
            "place_links-0-place": PlaceFactory(name="New Place", published_directly=False).pk,
            "place_links-0-relation": "filmed_at",
            "organisation_links-TOTAL_FORMS": 0,
            "organisation_links-INITIAL_FORMS": 0,
            "recommendations-TOTAL_FORMS": 0,
            "recommendations-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content

    assert client.get("/api/v1/works/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert "After" in client.get(f"/works/{work.slug}/").content.decode()
    # The place it now shows is public with it.
    assert Place.objects.public().filter(name="New Place").exists()


def test_an_editors_work_on_drafts_moves_no_validator(client, editor_client, travel):
    WorkFactory()
    draft = BatchFactory(initiative=travel, number=9, status=Batch.Status.DRAFT)
    RecommendationFactory(
        batch=draft, work=WorkFactory(published_directly=False), theme=travel.themes.first()
    )
    before = client.get("/api/v1/works/")
    state = PublicState.current().version

    editor_client.post(
        reverse("admin:initiatives_batch_change", args=[draft.pk]),
        {
            "initiative": travel.pk,
            "number": 9,
            "announced_precision": "day",
            "event": "Edited while a draft",
            "theme_counts-TOTAL_FORMS": 0,
            "theme_counts-INITIAL_FORMS": 0,
            "recommendations-TOTAL_FORMS": 0,
            "recommendations-INITIAL_FORMS": 0,
        },
    )

    assert PublicState.current().version == state
    after = client.get("/api/v1/works/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 304
    assert after["Last-Modified"] == before["Last-Modified"]


@pytest.mark.parametrize("model", PUBLIC_MODELS, ids=lambda m: m._meta.label)
def test_every_public_list_in_the_admin_shows_and_filters_on_the_public_state(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = admin_client.get(url, {"public": "no"})
    assert response.status_code == 200
    assert "public_state" in response.context["cl"].list_display
    assert any(spec.title == "public" for spec in response.context["cl"].filter_specs)


def test_a_works_admin_page_says_which_published_batch_makes_it_public(editor_client, travel):
    published = BatchFactory(initiative=travel, number=4, status=Batch.Status.PUBLISHED)
    work = RecommendationFactory(batch=published).work
    page = editor_client.get(reverse("admin:catalog_work_change", args=[work.pk]))
    html = page.content.decode()
    assert str(published) in html[html.index("Public because") :]

    draft_only = RecommendationFactory(
        batch=BatchFactory(initiative=travel, number=5, status=Batch.Status.DRAFT)
    ).work
    page = editor_client.get(reverse("admin:catalog_work_change", args=[draft_only.pk]))
    assert "not public: nothing published shows it" in page.content.decode()


def test_a_work_outside_any_batch_is_published_and_withdrawn_from_the_admin(client, editor_client):
    work = WorkFactory(title="The Bone Whistle of Hemudu", published_directly=False)
    assert not visible(client, work)
    url = reverse("admin:catalog_work_changelist")

    editor_client.post(url, {"action": "publish_on_their_own", "_selected_action": [work.pk]})
    assert visible(client, work)
    assert work.history.first().history_change_reason == "Published on its own"

    editor_client.post(url, {"action": "withdraw_on_their_own", "_selected_action": [work.pk]})
    assert not visible(client, work)


def test_withdrawing_a_work_a_published_batch_lists_keeps_it_public_and_says_why(
    client, editor_client, travel
):
    work = RecommendationFactory(
        batch=BatchFactory(initiative=travel, status=Batch.Status.PUBLISHED)
    ).work
    response = editor_client.post(
        reverse("admin:catalog_work_changelist"),
        {"action": "withdraw_on_their_own", "_selected_action": [work.pk]},
        follow=True,
    )
    assert visible(client, work)
    assert "Still public, because something published shows them" in response.content.decode()


def test_the_initiative_detail_is_not_kept_by_if_modified_since_after_its_batch_leaves(client):
    batch = BatchFactory(status=Batch.Status.PUBLISHED)
    RecommendationFactory(batch=batch)
    address = f"/api/v1/initiatives/{batch.initiative.slug}/"
    held = client.get(address)

    batch_unpublish(batch=batch, user=UserFactory())

    response = client.get(address, HTTP_IF_MODIFIED_SINCE=held["Last-Modified"])
    assert response.status_code == 200
    assert response.json()["batches"] == []

"""Recording a batch in the admin: inlines, duplicates refused by name, bad input at the field."""

import pytest
from django.urls import reverse

from initiatives.models import Batch, BatchThemeCount, Recommendation
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    RecommendationFactory,
    SourceFactory,
    WorkFactory,
)

ADD_URL = "admin:initiatives_batch_add"


def batch_post(initiative, *, counts=(), listings=(), **fields) -> dict:
    """The POST body of the batch form with its two inlines."""
    data = {
        "initiative": initiative.pk,
        "number": 5,
        "announced_on": "2026-01-15",
        "announced_precision": "day",
        "event": "Forum",
        "total_announced": "",
        "notes": "",
        "theme_counts-TOTAL_FORMS": len(counts),
        "theme_counts-INITIAL_FORMS": 0,
        "recommendations-TOTAL_FORMS": len(listings),
        "recommendations-INITIAL_FORMS": 0,
        **fields,
    }
    for i, (theme, announced) in enumerate(counts):
        data[f"theme_counts-{i}-theme"] = theme.pk
        data[f"theme_counts-{i}-announced"] = announced
    for i, (work, theme) in enumerate(listings):
        data[f"recommendations-{i}-work"] = work.pk
        data[f"recommendations-{i}-theme"] = theme.pk
        data[f"recommendations-{i}-basis"] = "stated"
    return data


@pytest.fixture
def relics(travel):
    return travel.themes.get(slug="cultural-relics")


def test_an_editor_records_a_batch_with_its_counts_and_works(editor_client, travel, relics):
    first, second = WorkFactory(title="First"), WorkFactory(title="Second")
    response = editor_client.post(
        reverse(ADD_URL),
        batch_post(travel, counts=[(relics, 4)], listings=[(first, relics), (second, relics)]),
    )
    assert response.status_code == 302, response.context["errors"]
    batch = Batch.objects.get(initiative=travel, number=5)
    assert batch.status == Batch.Status.DRAFT
    assert batch.slug == "travel-with-micro-dramas-5"
    assert batch.theme_counts.get().announced == 4
    assert set(batch.recommendations.values_list("work__title", flat=True)) == {"First", "Second"}


def test_the_same_work_twice_in_the_form_is_refused_with_its_name(editor_client, travel, relics):
    work = WorkFactory(title="Twice Told")
    response = editor_client.post(
        reverse(ADD_URL), batch_post(travel, listings=[(work, relics), (work, relics)])
    )
    assert response.status_code == 200
    assert "“Twice Told” is already listed in this batch." in response.content.decode()
    assert not Batch.objects.filter(number=5).exists()


def test_adding_a_work_already_listed_in_the_saved_batch_is_refused_with_its_name(
    editor_client, travel, relics
):
    batch = BatchFactory(initiative=travel, number=5, status=Batch.Status.DRAFT)
    listed = RecommendationFactory(batch=batch, theme=relics, work=WorkFactory(title="Listed"))
    data = batch_post(travel, listings=[(listed.work, relics), (listed.work, relics)])
    data["recommendations-INITIAL_FORMS"] = 1
    data["recommendations-0-id"] = listed.pk
    data["recommendations-0-batch"] = batch.pk
    data["recommendations-1-batch"] = batch.pk
    response = editor_client.post(reverse("admin:initiatives_batch_change", args=[batch.pk]), data)
    assert response.status_code == 200
    assert "“Listed” is already listed in this batch." in response.content.decode()
    assert Recommendation.objects.filter(batch=batch).count() == 1


def test_a_listing_changed_to_another_work_shows_that_work_when_the_form_comes_back(
    editor_client, travel, relics
):
    """A listing's autocomplete shows the work its row was read with (core.admin.
    LoadedAutocompleteSelect), without asking the database again. An editor who picked
    another work, and whose form came back for an error elsewhere, sees the work picked:
    that widget falls back to Django's own options, which read it."""
    batch = BatchFactory(initiative=travel, number=5, status=Batch.Status.DRAFT)
    listed = RecommendationFactory(batch=batch, theme=relics, work=WorkFactory(title="Saved"))
    picked = WorkFactory(title="Picked")
    data = batch_post(travel, listings=[(picked, relics)], announced_precision="sometime")
    data["recommendations-INITIAL_FORMS"] = 1
    data["recommendations-0-id"] = listed.pk
    data["recommendations-0-batch"] = batch.pk
    response = editor_client.post(reverse("admin:initiatives_batch_change", args=[batch.pk]), data)
    assert response.status_code == 200
    assert response.context["errors"]
    page = response.content.decode()
    assert f'<option value="{picked.pk}" selected>{picked}</option>' in page
    assert f'<option value="{listed.work.pk}" selected>{listed.work}</option>' not in page
    listed.refresh_from_db()
    assert listed.work.title == "Saved"  # nothing saved


def test_the_standalone_recommendation_form_also_names_the_duplicate(editor_client, travel):
    listed = RecommendationFactory(work=WorkFactory(title="Solo"))
    response = editor_client.post(
        reverse("admin:initiatives_recommendation_add"),
        {"batch": listed.batch.pk, "work": listed.work.pk, "theme": "", "source": ""},
    )
    assert response.status_code == 200
    assert "“Solo” is already listed in" in response.content.decode()


def test_a_theme_counted_twice_is_refused_with_its_name(editor_client, travel, relics):
    response = editor_client.post(
        reverse(ADD_URL), batch_post(travel, counts=[(relics, 1), (relics, 2)])
    )
    assert "“Cultural relics” already has a count in this batch." in response.content.decode()
    assert BatchThemeCount.objects.count() == 0


def test_a_duplicate_batch_number_is_refused_at_the_number_field(editor_client, travel):
    BatchFactory(initiative=travel, number=5)
    response = editor_client.post(reverse(ADD_URL), batch_post(travel))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["number"] == ["Travel with Micro-Dramas already has a batch 5."]
    assert Batch.objects.count() == 1


def test_saving_a_batch_again_under_its_own_number_is_not_refused_as_a_duplicate(
    editor_client, travel
):
    batch = BatchFactory(initiative=travel, number=5, status=Batch.Status.DRAFT)
    response = editor_client.post(
        reverse("admin:initiatives_batch_change", args=[batch.pk]),
        batch_post(travel, event="Renamed forum"),
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.event == "Renamed forum"


def test_saving_a_recommendation_again_is_not_refused_as_a_duplicate(editor_client, travel):
    listed = RecommendationFactory(work=WorkFactory(title="Solo"))
    response = editor_client.post(
        reverse("admin:initiatives_recommendation_change", args=[listed.pk]),
        {"batch": listed.batch.pk, "work": listed.work.pk, "theme": "", "source": ""},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("announced_on", "2026-02-30", "Enter a valid date."),
        ("announced_on", "last spring", "Enter a valid date."),
        ("total_announced", "-1", "Ensure this value is greater than or equal to 0."),
        ("number", "0", "Ensure this value is greater than or equal to 1."),
    ],
)
def test_bad_batch_input_is_refused_at_its_field(editor_client, travel, field, value, message):
    response = editor_client.post(reverse(ADD_URL), batch_post(travel, **{field: value}))
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field][0]
    assert not Batch.objects.exists()


def test_a_negative_theme_count_is_refused_and_nothing_is_saved(editor_client, travel, relics):
    response = editor_client.post(reverse(ADD_URL), batch_post(travel, counts=[(relics, -2)]))
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    assert not Batch.objects.exists()


def test_status_and_publication_fields_cannot_be_set_through_the_form(editor_client, travel):
    editor_client.post(
        reverse(ADD_URL), batch_post(travel, status="published", published_at="2026-01-01")
    )
    batch = Batch.objects.get(number=5)
    assert batch.status == Batch.Status.DRAFT
    assert batch.published_at is None


def test_the_batch_list_filters_by_status_and_shows_listed_counts(editor_client, travel):
    BatchFactory(initiative=travel, number=4, status=Batch.Status.PUBLISHED)
    draft = BatchFactory(initiative=travel, number=5, status=Batch.Status.DRAFT)
    BatchThemeCountFactory(batch=draft)
    RecommendationFactory(batch=draft)
    url = reverse("admin:initiatives_batch_changelist")
    response = editor_client.get(url, {"status__exact": "draft"})
    assert [batch.number for batch in response.context["cl"].result_list] == [5]
    assert response.context["cl"].result_list[0].listed_count == 1
    assert "draft: not public" in response.content.decode()
    assert "Import a batch" in response.content.decode()


def test_works_are_found_by_english_or_chinese_title(editor_client):
    WorkFactory(title="Salt Lake Mirror", title_original="天空之镜")
    WorkFactory(title="Something Else", title_original="别的")
    url = reverse("admin:catalog_work_changelist")
    for query in ["Salt Lake", "天空之镜", "天空"]:
        results = editor_client.get(url, {"q": query}).context["cl"].result_list
        assert [work.title for work in results] == ["Salt Lake Mirror"], query


def test_work_autocomplete_finds_works_by_chinese_title_for_the_batch_inline(editor_client):
    WorkFactory(title="Salt Lake Mirror", title_original="天空之镜")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "天空",
            "app_label": "initiatives",
            "model_name": "recommendation",
            "field_name": "work",
        },
    )
    assert [item["text"] for item in response.json()["results"]] == ["Salt Lake Mirror"]


def test_the_work_list_filters_works_hidden_in_drafts(editor_client):
    hidden = RecommendationFactory(batch=BatchFactory(status=Batch.Status.DRAFT)).work
    public = RecommendationFactory(batch=BatchFactory(status=Batch.Status.PUBLISHED)).work
    url = reverse("admin:catalog_work_changelist")
    assert list(editor_client.get(url, {"public": "no"}).context["cl"].result_list) == [hidden]
    assert list(editor_client.get(url, {"public": "yes"}).context["cl"].result_list) == [public]


def test_a_work_page_links_to_its_public_page(editor_client):
    work = WorkFactory(slug="linked-work")
    response = editor_client.get(reverse("admin:catalog_work_change", args=[work.pk]))
    assert response.context["has_absolute_url"]
    assert "View on site" in response.content.decode()


def test_the_add_work_popup_opens_from_the_batch_page(editor_client, travel):
    response = editor_client.get(reverse(ADD_URL))
    assert reverse("admin:catalog_work_add") in response.content.decode()
    popup = editor_client.post(
        reverse("admin:catalog_work_add") + "?_to_field=id&_popup=1",
        {
            "title": "Made In A Popup",
            "slug": "made-in-a-popup",
            "sources": [SourceFactory().pk],
            "_popup": "1",
            "titles-TOTAL_FORMS": 0,
            "titles-INITIAL_FORMS": 0,
            "place_links-TOTAL_FORMS": 0,
            "place_links-INITIAL_FORMS": 0,
            "organisation_links-TOTAL_FORMS": 0,
            "organisation_links-INITIAL_FORMS": 0,
            "recommendations-TOTAL_FORMS": 0,
            "recommendations-INITIAL_FORMS": 0,
        },
    )
    assert popup.status_code == 200
    assert "popup_response" in popup.content.decode()


def test_view_on_site_is_offered_only_for_what_the_public_can_see(editor_client, travel):
    draft = BatchFactory(initiative=travel, number=5, status=Batch.Status.DRAFT)
    published = BatchFactory(initiative=travel, number=4, status=Batch.Status.PUBLISHED)
    hidden = RecommendationFactory(batch=draft).work
    for obj, name, shown in [
        (draft, "initiatives_batch", False),
        (published, "initiatives_batch", True),
        (hidden, "catalog_work", False),
    ]:
        response = editor_client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
        assert response.context["has_absolute_url"] is shown, obj
    listing = editor_client.get(reverse("admin:catalog_work_changelist")).content.decode()
    assert "draft: not public" in listing

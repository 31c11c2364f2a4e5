"""An editor, in Chromium: log in, import the sample fifth batch, publish it, see it public."""

import re

import pytest

from initiatives.models import Batch, Initiative
from tests.editorial.conftest import (
    PASSWORD,
    SAMPLE_XLSX,
    make_editor,
)
from tests.factories import BatchFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def editor(transactional_db):
    return make_editor()


def test_an_editor_imports_the_sample_fifth_batch_publishes_it_and_sees_it_on_the_public_site(
    live_server, page, screenshot, seed_data, editor
):
    public_url = f"{live_server.url}/initiatives/travel-with-micro-dramas/batches/5/"
    assert set(Batch.objects.values_list("number", flat=True)) >= {1, 4}
    assert page.goto(f"{live_server.url}/initiatives/travel-with-micro-dramas/batches/4/").ok

    page.goto(f"{live_server.url}/admin/initiatives/batch/")
    assert "/admin/login/" in page.url
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/initiatives/batch/$"))

    page.click("text=Import a batch")
    page.set_input_files("input[type=file]", str(SAMPLE_XLSX))
    page.click("input[value=Preview]")
    page.wait_for_selector(".import-preview")
    assert "4 created, 0 changed, 0 matched unchanged, 0 with errors." in page.inner_text(
        ".import-totals"
    )
    assert page.locator("tr.row-created").count() == 4
    screenshot("editor-import-preview")
    assert not Batch.objects.filter(number=5).exists()  # nothing written before confirming

    page.click("input[value='Confirm import']")
    page.wait_for_selector("ul.messagelist li.success")
    assert "Imported travel-with-micro-dramas-batch-5-SAMPLE.xlsx" in page.inner_text(
        "ul.messagelist"
    )
    # A draft is not public: a visitor gets 404, while the editor sees a preview.
    visitor = page.context.browser.new_page()
    assert visitor.goto(public_url).status == 404
    visitor.close()
    assert page.goto(public_url).ok
    assert page.locator(".preview-banner").is_visible()

    page.go_back()
    page.click("text=Check and publish")
    page.click("input[value=Publish]")
    page.wait_for_selector("ul.messagelist li.success")
    assert "published" in page.inner_text("ul.messagelist")
    screenshot("editor-batch-published")

    batch = Batch.objects.get(initiative__slug="travel-with-micro-dramas", number=5)
    assert batch.is_public
    assert batch.published_by == editor

    response = page.goto(public_url)
    assert response.status == 200
    assert "Sample: Wetland Birdsong" in page.content()
    screenshot("public-batch-5")


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_the_batch_list_shows_every_column_at_1280_px_and_previews_a_draft(
    live_server, page, catalog_data, editor, prefix
):
    """Issue 13: the batch changelist pushed Status off-screen at 1280 px; an editor had no
    preview of a draft batch before publishing."""
    page.goto(f"{live_server.url}{prefix}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}{prefix}/admin/initiatives/batch/")
    width = page.evaluate("document.documentElement.clientWidth")
    for column in ("status", "public_state"):
        right = page.evaluate(
            f"document.querySelector('th.column-{column}').getBoundingClientRect().right"
        )
        assert right <= width, (column, right, width)

    # Every batch of the loaded record is published: an editor's new draft to preview.
    draft = BatchFactory(
        initiative=Initiative.objects.get(slug="travel-with-micro-dramas"),
        number=99,
        status=Batch.Status.DRAFT,
    )
    page.goto(f"{live_server.url}{prefix}/admin/initiatives/batch/{draft.pk}/change/")
    with page.expect_popup() as popup:
        page.click("a.batch-preview")
    preview = popup.value
    preview.wait_for_load_state()
    assert preview.locator(".preview-banner").is_visible()

"""Open Graph and Twitter card tags on every page, and the share images of works and batches."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from initiatives.models import Batch
from public import sharing
from tests.factories import BatchFactory, InitiativeFactory, RecommendationFactory, WorkFactory

pytestmark = pytest.mark.django_db

needs_font = pytest.mark.skipif(
    not sharing.font_available(),
    reason="No CJK font (apt-get install fonts-noto-cjk); .ci/run installs it",
)


def meta(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, value in re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html):
        found.setdefault(key, []).append(value)
    return found


@pytest.fixture
def work():
    return WorkFactory(title="Opera by the Sea", title_original="海边戏台", slug="opera")


@pytest.fixture
def batch():
    initiative = InitiativeFactory(
        name="Travel with Micro-Dramas", name_original="跟着微短剧去旅行", slug="travel"
    )
    return BatchFactory(initiative=initiative, number=4, total_announced=12)


@pytest.mark.parametrize(
    "path", ["/", "/works/", "/places/", "/themes/", "/initiatives/", "/organisations/"]
)
def test_every_page_has_open_graph_and_twitter_tags(client, path):
    tags = meta(client.get(path).content.decode())
    for key in (
        "og:title",
        "og:description",
        "og:url",
        "og:image",
        "og:locale",
        "og:locale:alternate",
        "twitter:card",
        "twitter:title",
        "twitter:image",
    ):
        assert tags.get(key), key
    assert tags["og:url"] == [f"http://testserver{path}"]
    assert tags["og:locale"] == ["en_US"]
    assert tags["og:locale:alternate"] == ["zh_CN"]
    assert tags["twitter:card"] == ["summary_large_image"]


def test_chinese_pages_say_their_locale_and_title_in_chinese(client, work):
    tags = meta(client.get("/zh-hans/works/opera/").content.decode())
    assert tags["og:locale"] == ["zh_CN"]
    assert tags["og:locale:alternate"] == ["en_US"]
    assert tags["og:title"] == ["海边戏台 · Opera by the Sea"]
    assert tags["og:url"] == ["http://testserver/zh-hans/works/opera/"]


@needs_font
def test_a_work_page_offers_its_own_share_image(client, work):
    tags = meta(client.get(reverse("catalog:work_detail", args=["opera"])).content.decode())
    assert tags["og:title"] == ["Opera by the Sea · 海边戏台"]
    assert tags["og:type"] == ["video.tv_show"]
    (image,) = tags["og:image"]
    assert image.startswith("http://testserver/works/opera/share.png?v=")
    response = client.get(image.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


@needs_font
def test_the_share_image_carries_both_titles_and_is_drawn_once(client, work, monkeypatch):
    calls = []
    real = sharing.render

    def spy(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(sharing, "render", spy)
    for _ in range(2):
        assert client.get("/works/opera/share.png").status_code == 200
    assert len(calls) == 1
    assert calls[0][:2] == ("海边戏台", "Opera by the Sea")


@needs_font
def test_an_edited_work_gets_a_new_image_address(client, work):
    before = meta(client.get("/works/opera/").content.decode())["og:image"]
    work.title = "Opera by the Bay"
    work.save()
    assert meta(client.get("/works/opera/?x=1").content.decode())["og:image"] != before


@needs_font
def test_a_batch_page_offers_its_share_image(client, batch, monkeypatch):
    calls = []
    real = sharing.render
    monkeypatch.setattr(sharing, "render", lambda *a: calls.append(a) or real(*a))
    tags = meta(client.get(batch.get_absolute_url()).content.decode())
    (image,) = tags["og:image"]
    assert image.startswith("http://testserver/initiatives/travel/batches/4/share.png?v=")
    response = client.get(image.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
    assert calls[0] == (
        "跟着微短剧去旅行",
        "Travel with Micro-Dramas",
        "第4批 · Batch 4 · 12 部 works",
    )


def test_no_share_image_for_a_draft_batch_or_a_work_only_it_lists(client, batch):
    draft = BatchFactory(initiative=batch.initiative, number=5, status=Batch.Status.DRAFT)
    hidden = WorkFactory(slug="hidden")
    RecommendationFactory(batch=draft, work=hidden)
    assert client.get("/initiatives/travel/batches/5/share.png").status_code == 404
    assert client.get("/works/hidden/share.png").status_code == 404
    assert client.get("/works/no-such-work/share.png").status_code == 404


def test_without_a_chinese_font_pages_offer_the_generic_image(client, work, settings):
    settings.SHARE_IMAGE_FONT = "/no/such/font.ttc"
    sharing._font_file.cache_clear()
    try:
        tags = meta(client.get("/works/opera/").content.decode())
        assert tags["og:image"] == ["http://testserver/static/img/share.png"]
        assert client.get("/works/opera/share.png").status_code == 404
    finally:
        sharing._font_file.cache_clear()


@needs_font
@pytest.mark.parametrize(
    "text",
    ["一部很长很长的微短剧标题" * 6, "A very long English title that goes on " * 6],
)
def test_a_long_title_is_cut_to_two_lines_with_an_ellipsis(text):
    from PIL import ImageDraw

    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font = sharing._font(76)
    lines = sharing._wrap(draw, text, font, 1000, 2)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert all(draw.textlength(line, font=font) <= 1000 for line in lines)

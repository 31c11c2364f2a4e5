"""The admin in Chinese for Chinese-speaking editors (issue 13): the batch list and a batch's
change form, asked for in Chinese, show none of this project's strings left in English. The
Chinese admin is at /zh-hans/admin/ (an address without a prefix is always English)."""

import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from initiatives.models import Batch
from tests.factories import BatchFactory, BatchThemeCountFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def our_english_strings() -> set[str]:
    """Every English string of ours, lower-cased (the admin capitalises verbose names)."""
    strings = set()
    for entry in polib.pofile(str(PO)):
        if entry.obsolete:
            continue
        for msgid in (entry.msgid, entry.msgid_plural):
            if msgid and not re.search(r"%\(|%s|\{|<", msgid) and re.search(r"[A-Za-z]{3}", msgid):
                strings.add(msgid.lower())
    return strings


def visible_texts(page: str) -> set[str]:
    # Code (a spreadsheet's column names) is not interface text.
    page = re.sub(r"<(script|style|code)[^>]*>.*?</\1>", " ", page, flags=re.S)
    texts = {html.unescape(t).strip().rstrip(":").strip() for t in re.split(r"<[^>]+>", page)}
    titles = re.findall(r'(?:title|aria-label|placeholder)="([^"]+)"', page)
    return {t for t in texts | {html.unescape(t) for t in titles} if t}


def test_every_string_of_ours_has_a_chinese_translation():
    untranslated = [
        entry.msgid
        for entry in polib.pofile(str(PO))
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    assert untranslated == []


@pytest.fixture
def batch(travel):
    batch = BatchFactory(initiative=travel, number=4, status=Batch.Status.DRAFT)
    theme = travel.themes.first()
    BatchThemeCountFactory(batch=batch, theme=theme, announced=3)
    RecommendationFactory(batch=batch, theme=theme)
    return batch


@pytest.mark.parametrize(
    "url",
    [
        "/zh-hans/admin/",
        "/zh-hans/admin/initiatives/batch/",
        "/zh-hans/admin/initiatives/batch/{pk}/change/",
        "/zh-hans/admin/initiatives/batch/{pk}/publish/",
        "/zh-hans/admin/initiatives/batch/import/",
        "/zh-hans/admin/catalog/work/",
    ],
)
def test_admin_pages_in_chinese_leave_none_of_our_strings_in_english(editor_client, batch, url):
    response = editor_client.get(url.format(pk=batch.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="zh-hans"' in page.lower()
    left = sorted(t for t in visible_texts(page) if t.lower() in our_english_strings())
    assert left == []


def test_the_english_admin_stays_at_admin(editor_client, batch):
    page = editor_client.get("/admin/initiatives/batch/").content.decode()
    assert "Select batch to change" in page
    assert "公布日期" in editor_client.get("/zh-hans/admin/initiatives/batch/").content.decode()


def test_the_chinese_admin_is_never_in_the_page_cache(client, db, settings):
    from core.caching import is_cacheable

    settings.PAGE_CACHE_SECONDS = 300
    request = client.get("/zh-hans/admin/login/").wsgi_request
    assert not is_cacheable(request)

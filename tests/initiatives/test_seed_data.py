"""The seed fixture checked against the two source documents it comes from."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from catalog.models import Organisation, Place, Source, Theme, Work, WorkOrganisation, WorkPlace
from initiatives.models import (
    Batch,
    BatchThemeCount,
    Figure,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
)

pytestmark = pytest.mark.django_db

TRAVEL = "travel-with-micro-dramas"
FOURTH = "travel-with-micro-dramas-4"
ANNOUNCED_PER_THEME = {
    "rural-revitalisation": 4,
    "historical-and-cultural-stories": 6,
    "intangible-cultural-heritage": 15,
    "cultural-relics": 5,
    "national-cultural-parks": 4,
    "industrial-development": 2,
    "urban-civilisation": 11,
    "ecological-civilisation": 8,
}
NAMED_IN_FOURTH_BATCH = {
    "rural-revitalisation": {"Water Rhythm and Emotion in Mentangxi"},
    "historical-and-cultural-stories": {"Haihun Line"},
    "intangible-cultural-heritage": {"Carry Bricks, Young Lady!", "The Sixth Awakened Lion"},
    "cultural-relics": {"True Detective: One Nine Two Seven"},
    "national-cultural-parks": {"Mythical Beast River Chronicles"},
    "industrial-development": {"Ningbo in 144 Hours"},
    "urban-civilisation": {"1818 Editing Department", "Stories of Macao"},
    "ecological-civilisation": {
        "Scenic Hunters: Chaka Salt Lake Edition",
        "Here Leads to the Stars",
    },
}


def source_text(source: Source) -> str:
    return (Path(settings.BASE_DIR) / source.reference).read_text(encoding="utf-8")


def model_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"catalog", "initiatives"}
    }


def test_travel_with_micro_dramas_has_the_eight_key_topics_in_order(seed_data):
    travel = Initiative.objects.get(slug=TRAVEL)
    assert [t.slug for t in travel.themes.order_by("position")] == list(ANNOUNCED_PER_THEME)


def test_fourth_batch_is_dated_announced_at_the_forum_and_counts_fifty_five(seed_data):
    batch = Batch.objects.with_counts().get(slug=FOURTH)
    assert str(batch.announced_on) == "2024-10-12"
    assert "How to Empower" in batch.event
    assert batch.total_announced == 55
    assert batch.announced_by_theme == 55
    assert batch.is_public


def test_fourth_batch_declares_the_count_announced_per_theme(seed_data):
    counts = {
        c.theme.slug: c.announced
        for c in BatchThemeCount.objects.filter(batch__slug=FOURTH).select_related("theme")
    }
    assert counts == ANNOUNCED_PER_THEME


def test_every_work_the_source_names_is_listed_under_its_theme_in_the_fourth_batch(seed_data):
    listed: dict[str, set[str]] = {}
    for rec in Recommendation.objects.filter(batch__slug=FOURTH).select_related("work", "theme"):
        listed.setdefault(rec.theme.slug if rec.theme else None, set()).add(rec.work.title)
    assert listed.pop(None) == {"Reunion"}
    assert listed == NAMED_IN_FOURTH_BATCH


def test_listed_works_never_exceed_the_count_announced_for_their_theme(seed_data):
    for count in BatchThemeCount.objects.select_related("batch", "theme"):
        listed = Recommendation.objects.filter(batch=count.batch, theme=count.theme).count()
        assert listed <= count.announced, count


def test_haihun_line_is_recorded_as_its_first_season(seed_data):
    work = Work.objects.get(slug="haihun-line-season-1")
    assert (work.title, work.season) == ("Haihun Line", 1)


def test_reunion_from_shanghai_is_in_the_fourth_batch_without_a_theme(seed_data):
    rec = Recommendation.objects.get(batch__slug=FOURTH, work__slug="reunion")
    assert rec.theme is None
    assert WorkPlace.objects.filter(
        work=rec.work, place__slug="shanghai", relation=WorkPlace.Relation.FROM
    ).exists()


def test_take_you_to_a_good_place_is_in_the_first_batch_with_its_filming_locations(seed_data):
    rec = Recommendation.objects.select_related("batch", "work").get(
        work__slug="take-you-to-a-good-place"
    )
    assert rec.batch.slug == "travel-with-micro-dramas-1"
    assert rec.batch.total_announced is None  # the source gives no count
    filmed_at = set(
        WorkPlace.objects.filter(work=rec.work, relation="filmed_at").values_list(
            "place__name", flat=True
        )
    )
    assert filmed_at == {"Yuyuan Ancient Village", "Huatian Meidi"}
    wuyi = Place.objects.get(slug="wuyi-county")
    assert [p.slug for p in wuyi.ancestors()] == ["zhejiang", "jinhua"]
    assert {p.slug for p in wuyi.children.all()} == {"yuyuan-ancient-village", "huatian-meidi"}


def test_brand_through_micro_drama_was_launched_under_nrta_guidance_by_the_paper(seed_data):
    brand = Initiative.objects.get(slug="brand-through-micro-drama")
    assert str(brand.launched_on) == "2024-10-12"
    roles = {
        (link.organisation.slug, link.role)
        for link in brand.organisation_links.select_related("organisation")
    }
    assert roles == {
        ("nrta-network-audio-visual-program-management-division", "guiding_authority"),
        ("the-paper", "initiator"),
    }
    division = Organisation.objects.get(
        slug="nrta-network-audio-visual-program-management-division"
    )
    assert division.parent.slug == "nrta"
    assert Figure.objects.get(initiative=brand).value == 18


def test_the_papers_brand_works_name_lianjia_and_dongfang_securities(seed_data):
    def partners(brand):
        return set(
            WorkOrganisation.objects.filter(
                organisation__slug=brand, role="brand_partner"
            ).values_list("work__title", flat=True)
        )

    assert partners("lianjia") == {"The Mysterious Phone Booth", "The Sewn Phone Number", "Dinner"}
    assert partners("dongfang-securities") == {
        "Crisis Moments – A Guide to Avoiding Pitfalls for Securities Practitioners"
    }
    produced = set(
        WorkOrganisation.objects.filter(
            organisation__slug="the-paper", role="producer"
        ).values_list("work__slug", flat=True)
    )
    assert len(produced) == 4


@pytest.mark.parametrize(
    "slug",
    [
        "drama-spotlight",
        "yuan-shen-pin-yao",
        "quality-eastern-plan",
        "quality-eastern-micro-theater",
        "several-measures-for-micro-drama-industry-shanghai",
        "zhejiang-travel-with-micro-dramas-selection-competition",
        "intangible-cultural-heritage-going-global",
    ],
)
def test_the_other_programmes_the_documents_name_are_recorded(seed_data, slug):
    assert Initiative.objects.filter(slug=slug).exists()


@pytest.mark.parametrize(
    "slug",
    [
        "come-to-fujian-happiness-is-enough",
        "the-bone-whistle-of-hemudu",
        "qiliangs-life",
        "future-revelation-from-sanxingdui",
        "glazed-beauty",
    ],
)
def test_works_named_outside_any_batch_are_recorded_without_a_recommendation(seed_data, slug):
    work = Work.objects.get(slug=slug)
    assert not work.recommendations.exists()
    assert Work.objects.public().filter(pk=work.pk).exists()


def test_come_to_fujian_follows_its_coastal_route_through_four_cities(seed_data):
    places = set(
        WorkPlace.objects.filter(work__slug="come-to-fujian-happiness-is-enough").values_list(
            "place__slug", flat=True
        )
    )
    assert places == {
        "fujian",
        "no-1-coastal-scenic-road",
        "fuzhou",
        "xiamen",
        "zhangzhou",
        "ningde",
    }


def test_micro_theater_batch_keeps_its_count_of_twelve_without_inventing_works(seed_data):
    batch = Batch.objects.with_counts().get(slug="quality-eastern-micro-theater-1")
    assert (batch.total_announced, batch.listed_count) == (12, 0)


def test_figures_quote_their_source_word_for_word(seed_data):
    figures = list(Figure.objects.select_related("source"))
    assert {f.slug for f in figures} >= {
        "micro-drama-users",
        "micro-drama-internet-usage-rate",
        "micro-drama-market-size-2024",
        "national-day-domestic-tourism-trips",
        "national-day-domestic-tourism-spending",
    }
    for figure in figures:
        text = source_text(figure.source)
        assert figure.quote in text, figure.slug
        assert figure.display in text, figure.slug
    assert Figure.objects.get(slug="micro-drama-users").value == 576_000_000


def test_every_excerpt_is_found_word_for_word_in_the_source_it_cites(seed_data):
    linked = [WorkPlace, WorkOrganisation, InitiativeOrganisation, BatchThemeCount, Recommendation]
    checked = 0
    for model in linked:
        for record in model.objects.select_related("source"):
            assert record.source is not None, record
            assert record.excerpt in source_text(record.source), record
            checked += 1
    assert checked > 40


def test_every_seed_record_cites_a_source(seed_data):
    for model in [Theme, Place, Organisation, Work, Initiative, Batch]:
        uncited = model.objects.filter(sources__isnull=True)
        assert not uncited.exists(), (model.__name__, list(uncited))
    assert not Figure.objects.filter(source__isnull=True).exists()


def test_every_record_name_appears_in_a_source_it_cites(seed_data):
    for model, attr in [(Work, "title"), (Organisation, "name"), (Theme, "position")]:
        for record in model.objects.prefetch_related("sources"):
            if attr == "position":
                continue
            texts = " ".join(source_text(s) for s in record.sources.all())
            assert getattr(record, attr) in texts, record


def test_what_the_sources_do_not_say_stays_empty(seed_data):
    assert not Place.objects.filter(latitude__isnull=False).exists()
    assert not Work.objects.exclude(title_original="").exists()
    assert not Work.objects.filter(episodes__isnull=False).exists()
    assert Place.objects.get(slug="ningbo").parent is None


def test_loading_the_seed_twice_changes_nothing_and_says_so(seed_data, capsys):
    before = model_counts()
    history_before = Work.history.count()
    call_command("load_seed_data", fixture=str(Path(settings.BASE_DIR) / "fixtures" / "seed.json"))
    out = capsys.readouterr().out
    assert "already up to date" in out
    assert model_counts() == before
    assert Work.history.count() == history_before

"""The benchmark harness's own pieces: the bare-view ceiling serves the same public rows as
the project (never a draft), and the search check finds no miss on generated works."""

import json

import pytest
from django.core.management import call_command
from django.test import override_settings

from bench import search_check
from catalog.models import Work
from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db

bare = override_settings(ROOT_URLCONF="bench.urls", MIDDLEWARE=[])


@pytest.fixture
def generated(seed_data):
    call_command("generate_catalog", "--works", "120", "--seed", "2", verbosity=0)


@bare
def test_the_bare_view_lists_50_public_works_of_a_theme_and_never_a_draft(generated, client):
    draft = WorkFactory(title="A draft", published_directly=False)
    theme = Work.objects.public().filter(slug__startswith="synthetic-").first().themes.first()
    draft.themes.add(theme)
    expected = set(Work.objects.public().filter(themes=theme).values_list("slug", flat=True))

    rows = json.loads(client.get(f"/works/?theme={theme.slug}").content)["results"]
    assert len(rows) == min(50, len(expected))
    assert {row["slug"] for row in rows} <= expected
    assert "A draft" not in {row["title"] for row in rows}
    assert client.get(f"/works/{draft.slug}/").status_code == 404

    # Keyset: the page after a (updated_at, id) pair starts past it.
    first = json.loads(client.get("/works/?page=1").content)["results"]
    assert len(first) == 50
    stamp = Work.objects.public().order_by("updated_at", "pk")[9]
    after = json.loads(
        client.get("/works/", {"after": f"{stamp.updated_at.isoformat()},{stamp.pk}"}).content
    )["results"]
    assert after[0]["id"] != stamp.pk
    assert len(after) == 50


@bare
def test_the_bare_search_finds_chinese_substrings(generated, client):
    title = Work.objects.public().filter(slug__startswith="synthetic-").first().title_original
    rows = json.loads(client.get("/search/", {"q": title[:2]}).content)["results"]
    assert rows
    assert all(title[:2] in row["title_original"] for row in rows)


def test_the_search_check_finds_no_miss_and_no_false_hit(generated, tmp_path):
    out = tmp_path / "check.json"
    assert search_check.main(["--per-length", "10", "--words", "10", "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert set(report["kinds"]) == {"zh1", "zh2", "zh4", "en"}
    assert all(kind["misses"] == 0 and kind["false_hits"] == 0 for kind in report["kinds"].values())

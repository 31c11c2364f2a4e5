"""Charts drawn as SVG on the batch, initiative and theme pages: the bars carry the numbers of
the table beside them, their lengths in proportion."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest

from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    InitiativeFactory,
    RecommendationFactory,
    ThemeFactory,
    published_at_the_end,
)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def chart(html: str) -> ET.Element:
    found = re.search(r'<svg class="chart".*?</svg>', html, re.S)
    assert found, "no chart on the page"
    return ET.fromstring(found.group(0))


def bars(svg) -> list[tuple[str, float, float, str]]:
    """(series class, value, width, tooltip) of every bar, top to bottom."""
    return [
        (
            rect.get("class").split()[1],
            float(rect.get("data-value")),
            float(rect.get("width")),
            rect.find(f"{SVG}title").text,
        )
        for rect in svg.iter(f"{SVG}rect")
        if "bar" in rect.get("class").split()
    ]


def table_rows(html: str, table_class: str = "") -> list[list[str]]:
    table = re.search(rf"<table[^>]*{table_class}[^>]*>.*?</table>", html, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def programme():
    with published_at_the_end():
        return _programme()


def _programme():
    heritage = ThemeFactory(name="Heritage", name_original="非遗", slug="heritage", position=1)
    rural = ThemeFactory(name="Rural", name_original="乡村", slug="rural", position=2)
    initiative = InitiativeFactory(name="Travel", name_original="旅行", slug="travel")
    first = BatchFactory(
        initiative=initiative,
        number=1,
        announced_on=datetime.date(2024, 3, 1),
        total_announced=10,
        total_basis="derived",
        total_arithmetic="8 + 2",
        running_total=10,
        running_total_basis="derived",
        running_total_arithmetic="10",
    )
    second = BatchFactory(
        initiative=initiative,
        number=2,
        announced_on=datetime.date(2024, 9, 1),
        total_announced=20,
        total_basis="derived",
        total_arithmetic="5 + 15",
        running_total=30,
        running_total_basis="derived",
        running_total_arithmetic="10 + 20",
    )
    BatchThemeCountFactory(batch=first, theme=heritage, announced=8)
    BatchThemeCountFactory(batch=first, theme=rural, announced=2)
    BatchThemeCountFactory(batch=second, theme=heritage, announced=5)
    BatchThemeCountFactory(batch=second, theme=rural, announced=15)
    for _ in range(4):
        RecommendationFactory(batch=first, theme=heritage)
    RecommendationFactory(batch=first, theme=rural)
    RecommendationFactory(batch=second, theme=rural)
    return {"initiative": initiative, "first": first, "second": second, "heritage": heritage}


def test_batch_chart_draws_announced_against_listed_per_theme(client, programme):
    html = client.get(programme["first"].get_absolute_url()).content.decode()
    found = bars(chart(html))
    assert [(series, value) for series, value, _w, _t in found] == [
        ("series-0", 8),
        ("series-1", 4),
        ("series-0", 2),
        ("series-1", 1),
    ]
    widths = {value: width for _s, value, width, _t in found}
    # Lengths in proportion: 8 is twice 4, four times 2, eight times 1.
    assert widths[8] == pytest.approx(2 * widths[4], abs=0.5)
    assert widths[8] == pytest.approx(8 * widths[1], abs=0.5)
    assert found[0][3] == "Heritage — Announced: 8"
    assert found[1][3] == "Heritage — Listed: 4"
    # The table beside it says the same.
    rows = table_rows(html, "per-theme")
    assert [row[:3] for row in rows] == [["Heritage", "8", "4"], ["Rural", "2", "1"]]


def test_batch_chart_labels_are_chinese_on_chinese_pages(client, programme):
    html = client.get("/zh-hans" + programme["first"].get_absolute_url()).content.decode()
    found = bars(chart(html))
    assert found[0][3].startswith("非遗 — ")
    assert "Heritage" not in found[0][3]


def test_initiative_chart_shows_each_batch_and_the_running_total(client, programme):
    html = client.get(programme["initiative"].get_absolute_url()).content.decode()
    found = bars(chart(html))
    assert [(series, value) for series, value, _w, _t in found] == [
        ("series-0", 10),
        ("series-1", 5),
        ("series-2", 10),
        ("series-0", 20),
        ("series-1", 1),
        ("series-2", 30),
    ]
    widths = [width for _s, _v, width, _t in found]
    assert widths[5] == pytest.approx(3 * widths[0], abs=0.5)  # 30 against 10
    assert found[5][3] == "Batch 2 · 2024-09 — Running total: 30"


def test_theme_chart_draws_the_theme_share_of_each_batch(client, programme):
    html = client.get(programme["heritage"].get_absolute_url()).content.decode()
    found = bars(chart(html))
    # Newest batch first, as the table: 5 of 20 is 25%, 8 of 10 is 80%.
    assert [value for _s, value, _w, _t in found] == [25.0, 80.0]
    assert found[1][2] == pytest.approx(3.2 * found[0][2], abs=0.5)
    assert found[0][3] == "Travel, batch 2 — Share of the batch: 25% (5 of 20)"
    rows = table_rows(html)
    assert [row[-1] for row in rows] == ["25%", "80%"]


def test_no_chart_for_an_initiative_without_published_batches(client):
    initiative = InitiativeFactory(slug="empty")
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert '<svg class="chart"' not in html

"""The `curl` lines in docs/api.md work as written, on the data `make run` loads (the seed, the
gazetteer and the public record): each is replayed through the test client, and the figures
the guide quotes are checked against the API."""

import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rest_framework.test import APIClient
from rest_framework_api_key.models import APIKey

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "api.md"
HOST = "http://127.0.0.1:8000"


def curl_lines():
    in_block, lines = False, []
    for line in GUIDE.read_text().splitlines():
        if line.startswith("```"):
            in_block = not in_block
        elif in_block and line.startswith("curl "):
            lines.append(line)
    return lines


def parse(line):
    words = shlex.split(line)
    url = next(w for w in words if w.startswith(HOST))
    headers = [words[i + 1] for i, w in enumerate(words) if w == "-H"]
    method = "head" if "-I" in words else "get"
    return url, headers, method


def test_the_guide_has_examples_for_the_common_tasks():
    lines = curl_lines()
    text = "\n".join(lines)
    assert len(lines) >= 15
    assert "theme=intangible-cultural-heritage" in text  # works in a theme
    assert "batches/travel-with-micro-dramas-4/" in text  # a batch
    assert "batch=travel-with-micro-dramas-4" in text  # a batch's list
    assert "mode=cursor&updated_since=" in text  # sync since a date
    assert "format=csv" in text  # CSV export
    assert "Authorization: Api-Key" in text  # a key


@pytest.mark.parametrize("line", curl_lines())
def test_a_curl_example_of_the_guide_works_on_the_data_make_run_loads(catalog_data, line):
    url, headers, method = parse(line)
    parts = urlsplit(url)
    path = f"{parts.path}?{parts.query}" if parts.query else parts.path
    client = APIClient(SERVER_NAME="127.0.0.1", SERVER_PORT="8000")
    extra, expected = {}, 200
    for header in headers:
        name, _, value = header.partition(": ")
        if "$CATALOG_API_KEY" in value:
            value = value.replace("$CATALOG_API_KEY", APIKey.objects.create_key(name="doc")[1])
        if name == "If-None-Match":
            value = client.get(path)["ETag"]
            expected = 304
        extra["HTTP_" + name.upper().replace("-", "_")] = value
    if "theme=romance" in url:
        expected = 400

    response = getattr(client, method)(path, **extra)

    assert response.status_code == expected, response.content[:500]
    if "format=csv" in url:
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert len(b"".join(response.streaming_content).splitlines()) > 1
    elif expected == 200 and method == "get":
        body = response.json()
        assert body.get("count", 1) > 0, f"{line} finds nothing in the data"


def test_the_fourth_batch_figures_quoted_in_the_guide_hold(catalog_data, api):
    batch = api.get("/api/v1/batches/travel-with-micro-dramas-4/").json()

    assert batch["total_announced"] == 55
    assert batch["announced_by_theme"] == 55
    assert [t["announced"] for t in batch["themes"]] == [4, 6, 15, 5, 4, 2, 11, 8]
    listed = sum(t["listed"] for t in batch["themes"]) + batch["listed_without_theme"]
    assert batch["listed_count"] == listed
    works = api.get("/api/v1/works/", {"batch": batch["slug"], "page_size": 100}).json()
    assert works["count"] == batch["listed_count"]
    assert re.search(rf'"listed_count": {batch["listed_count"]},', GUIDE.read_text())
    assert re.search(
        rf'"listed_without_theme": {batch["listed_without_theme"]},', GUIDE.read_text()
    )
    assert batch["total_excerpt"] in GUIDE.read_text()


def test_the_derived_count_quoted_in_the_guide_holds(catalog_data, api):
    batch = api.get("/api/v1/batches/travel-with-micro-dramas-6/").json()

    assert (batch["total_announced"], batch["total_basis"]) == (79, "derived")
    assert batch["total_arithmetic"] in GUIDE.read_text()
    assert batch["running_total_arithmetic"] in GUIDE.read_text()


def test_no_draft_batch_of_the_seed_is_visible(catalog_data, api):
    from initiatives.models import Batch

    drafts = set(Batch.objects.filter(status=Batch.Status.DRAFT).values_list("slug", flat=True))
    listed = {b["slug"] for b in api.get("/api/v1/batches/", {"page_size": 100}).json()["results"]}

    assert not drafts & listed

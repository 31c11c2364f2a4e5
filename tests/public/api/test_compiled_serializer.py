"""The compiled serializer (core.api.serializers.CompiledModelSerializer) answers exactly
what DRF's own ModelSerializer answers: every API list and detail, JSON and CSV, over the
whole catalog `make run` loads, compared byte for byte with DRF's walk of the same rows."""

import pytest
from rest_framework import serializers

from core.api.serializers import CompiledModelSerializer
from tests.factories import (
    RecommendationFactory,
    ThemeFactory,
    WorkFactory,
    WorkOrganisationFactory,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = ["works", "themes", "initiatives", "batches", "places", "organisations", "figures"]


def answers(api, paths):
    out = {}
    for path in paths:
        response = api.get(path)
        assert response.status_code == 200, (path, response.status_code)
        out[path] = b"".join(response.streaming_content) if response.streaming else response.content
    return out


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_compiled_representation_is_drfs(endpoint, api, catalog_data, monkeypatch, settings):
    settings.API_CACHE_SECONDS = 0
    listing = api.get(f"/api/v1/{endpoint}/", {"page_size": 100}).json()["results"]
    assert listing, "the catalog has records to compare"
    key = "slug" if "slug" in listing[0] else "id"
    paths = [
        f"/api/v1/{endpoint}/?page_size=100",
        f"/api/v1/{endpoint}/?format=csv",
        *(f"/api/v1/{endpoint}/{record[key]}/" for record in listing[:20]),
    ]
    compiled = answers(api, paths)
    monkeypatch.setattr(
        CompiledModelSerializer, "to_representation", serializers.ModelSerializer.to_representation
    )
    assert answers(api, paths) == compiled


def test_compiled_representation_keeps_drfs_rules_for_unusual_values():
    """A missing key falls back to the field's default or null, a None skips the field's
    representation, a callable source is called: DRF's rules, case by case."""
    from catalog.models import Theme

    class Summary(CompiledModelSerializer):
        label = serializers.CharField(source="get_label", read_only=True)
        missing = serializers.CharField(read_only=True, default="none given")
        empty = serializers.IntegerField(read_only=True, allow_null=True)

        class Meta:
            model = Theme
            fields = ["slug", "label", "missing", "empty"]

    class Row:
        slug = "a-theme"
        empty = None

        def get_label(self):
            return "A theme"

    rows = [Row(), {"slug": "b-theme", "get_label": "B", "empty": 3}]
    compiled = Summary(rows, many=True).data
    reference = [serializers.ModelSerializer.to_representation(Summary(), row) for row in rows]
    assert (
        compiled
        == reference
        == [
            {"slug": "a-theme", "label": "A theme", "missing": "none given", "empty": None},
            {"slug": "b-theme", "label": "B", "missing": "none given", "empty": 3},
        ]
    )


def test_a_request_builds_no_serializer_fields(api, settings, monkeypatch):
    """A ModelSerializer builds its fields from the model on every instance (a work's nine
    serializers on every request); the compiled one builds them once per class."""
    settings.API_CACHE_SECONDS = 0
    work = WorkFactory()
    RecommendationFactory(work=work)
    paths = [f"/api/v1/works/{work.slug}/", "/api/v1/works/", "/api/v1/batches/"]
    for path in paths:  # the first answers make the plans
        assert api.get(path).status_code == 200
    built = []
    original = serializers.ModelSerializer.get_fields

    def get_fields(self):
        built.append(type(self).__name__)
        return original(self)

    monkeypatch.setattr(serializers.ModelSerializer, "get_fields", get_fields)
    for path in paths:
        assert api.get(path).status_code == 200
    assert built == []


def test_absolute_urls_name_the_host_each_request_was_sent_to(api, settings):
    """The plan's fields are made once, by whichever request came first; each answer's URLs
    still come from its own request."""
    settings.API_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    recommendation = RecommendationFactory()
    work, batch = recommendation.work, recommendation.batch
    for host in ("one.example", "two.example", "one.example"):
        record = api.get(f"/api/v1/works/{work.slug}/", HTTP_HOST=host).json()
        assert record["url"] == f"http://{host}/works/{work.slug}/"
        (listed,) = api.get("/api/v1/batches/", HTTP_HOST=host).json()["results"]
        assert listed["works_url"] == f"http://{host}/api/v1/works/?batch={batch.slug}"
        assert listed["url"].startswith(f"http://{host}/")


def test_threads_representing_at_once_each_read_their_own_request():
    """Production runs threaded workers (gunicorn gthread): the plan's fields are shared by
    every thread, and each thread's answer must still take its URLs from its own request."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.test import override_settings
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from catalog.models import Theme
    from public.api.serializers import ThemeSerializer

    hosts = [f"host{n}.example" for n in range(8)]
    themes = [Theme(slug=f"theme-{n}", name=f"Theme {n}", position=n) for n in range(20)]
    for theme in themes:
        theme.initiative_rows, theme.source_rows = [], []
    start = Barrier(len(hosts))

    def represent(host):
        request = Request(APIRequestFactory().get("/api/v1/themes/", HTTP_HOST=host))
        start.wait()
        urls = set()
        for _ in range(50):
            data = ThemeSerializer(themes, many=True, context={"request": request}).data
            urls.update(record["url"].split("/themes/")[0] for record in data)
        return urls

    with override_settings(ALLOWED_HOSTS=hosts), ThreadPoolExecutor(len(hosts)) as pool:
        answers = list(pool.map(represent, hosts))

    assert answers == [{f"http://{host}"} for host in hosts]


def test_a_list_embeds_its_related_rows_as_the_database_wrote_them(api, settings, monkeypatch):
    """A work's related rows are JSON the list's query wrote in the serializers' own shape
    (public/api/rows.py): an answer embeds them, where it walked each row through its
    summary serializer. Keys come in the serializer's order, a missing address as null."""
    settings.API_CACHE_SECONDS = 0
    theme = ThemeFactory(slug="coastal-life", name="Coastal life", name_original="海岸生活")
    work = WorkFactory(slug="the-lighthouse", themes=[theme], sources=[])
    WorkOrganisationFactory(work=work, organisation__slug="harbour-films", url="")
    RecommendationFactory(work=work, theme=None)
    walked = []
    walk = CompiledModelSerializer.walk

    def spy(self, instance):
        walked.append(type(self).__name__)
        return walk(self, instance)

    monkeypatch.setattr(CompiledModelSerializer, "walk", spy)

    response = api.get("/api/v1/works/")

    assert response.status_code == 200
    assert walked == ["WorkSerializer"]
    body = response.content.decode()
    assert (
        '"themes":[{"slug":"coastal-life","name":"Coastal life","name_original":"海岸生活"}]'
        in body
    )
    assert '"role":"producer","watch_url":null}]' in body
    assert '"sources":[]' in body
    (listing,) = response.json()["results"][0]["recommendations"]
    assert list(listing) == ["initiative", "batch", "theme", "date"]
    assert listing["theme"] is None

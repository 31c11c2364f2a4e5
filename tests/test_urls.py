"""URL round trips: every public name reverses to the path a visitor or partner types."""

import pytest
from django.urls import resolve, reverse

ROUTES = [
    ("initiatives:home", {}, "/"),
    ("initiatives:initiative_list", {}, "/initiatives/"),
    (
        "initiatives:initiative_detail",
        {"slug": "travel-with-micro-dramas"},
        "/initiatives/travel-with-micro-dramas/",
    ),
    (
        "initiatives:batch_detail",
        {"slug": "travel-with-micro-dramas", "number": 4},
        "/initiatives/travel-with-micro-dramas/batches/4/",
    ),
    ("catalog:source_detail", {"slug": "a-source"}, "/sources/a-source/"),
    ("catalog:theme_list", {}, "/themes/"),
    ("catalog:theme_detail", {"slug": "cultural-relics"}, "/themes/cultural-relics/"),
    ("catalog:work_list", {}, "/works/"),
    ("catalog:work_detail", {"slug": "reunion"}, "/works/reunion/"),
    ("catalog:place_list", {}, "/places/"),
    ("catalog:place_detail", {"slug": "fujian"}, "/places/fujian/"),
    ("catalog:organisation_list", {}, "/organisations/"),
    ("catalog:organisation_detail", {"slug": "the-paper"}, "/organisations/the-paper/"),
    ("catalog:work_share_image", {"slug": "reunion"}, "/works/reunion/share.png"),
    (
        "initiatives:batch_share_image",
        {"slug": "travel-with-micro-dramas", "number": 4},
        "/initiatives/travel-with-micro-dramas/batches/4/share.png",
    ),
    ("feeds:batches", {}, "/feeds/batches/"),
    (
        "feeds:initiative_batches",
        {"slug": "travel-with-micro-dramas"},
        "/initiatives/travel-with-micro-dramas/feed/",
    ),
    ("robots_txt", {}, "/robots.txt"),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), ROUTES)
def test_url_names_reverse_to_their_paths_and_back(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == name
    assert {k: str(v) for k, v in match.kwargs.items()} == {k: str(v) for k, v in kwargs.items()}


@pytest.mark.django_db
def test_model_urls_point_at_their_pages(seed_data):
    from catalog.models import Work
    from initiatives.models import Batch

    assert Work.objects.get(slug="reunion").get_absolute_url() == "/works/reunion/"
    batch = Batch.objects.get(slug="travel-with-micro-dramas-4")
    assert batch.get_absolute_url() == "/initiatives/travel-with-micro-dramas/batches/4/"

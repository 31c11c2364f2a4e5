"""core.addresses.slug_address: reverse()'s address, reversed once per view, language and
script prefix, then filled with each record's slug."""

import pytest
from django.conf import settings
from django.urls import reverse, set_script_prefix
from django.utils import translation

from core import addresses
from core.addresses import slug_address

VIEWS = [
    "catalog:work_detail",
    "catalog:theme_detail",
    "catalog:place_detail",
    "catalog:organisation_detail",
    "catalog:source_detail",
    "initiatives:initiative_detail",
]


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("prefix", ["/", "/catalog/"])
def test_the_address_is_reverses(view, prefix, script_prefix):
    script_prefix(prefix)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for slug in ("the-lighthouse", "work-2024_b"):
                assert slug_address(view, slug) == reverse(view, kwargs={"slug": slug})


def test_each_address_is_reversed_once(monkeypatch):
    calls = []
    original = addresses.reverse

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(addresses, "_AROUND", {})
    monkeypatch.setattr(addresses, "reverse", counted)
    with translation.override("en"):
        paths = [slug_address("catalog:work_detail", f"work-{n}") for n in range(50)]
    with translation.override("zh-hans"):
        slug_address("catalog:work_detail", "work-1")

    assert len(calls) == 2  # one per language
    assert paths[7] == reverse("catalog:work_detail", kwargs={"slug": "work-7"})


def test_another_url_configuration_forgets_the_kept_addresses(settings):
    slug_address("catalog:work_detail", "work-1")
    assert addresses._AROUND
    settings.ROOT_URLCONF = "bench.urls"
    assert addresses._AROUND == {}

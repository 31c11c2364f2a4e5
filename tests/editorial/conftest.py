"""Fixtures for the editorial back office: editors, the Travel with Micro-Dramas themes (as
the seed names them)."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from catalog.models import Theme
from initiatives.models import Initiative
from tests.factories import InitiativeFactory, ThemeFactory, UserFactory

SAMPLES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "samples"
SAMPLE_CSV = SAMPLES / "travel-with-micro-dramas-batch-5-SAMPLE.csv"
SAMPLE_XLSX = SAMPLES / "travel-with-micro-dramas-batch-5-SAMPLE.xlsx"
PASSWORD = "a long editorial passphrase"

TRAVEL_THEMES = [
    ("rural-revitalisation", "Rural revitalisation", "乡村振兴"),
    ("historical-and-cultural-stories", "Historical and cultural stories", "历史文化故事"),
    ("intangible-cultural-heritage", "Intangible cultural heritage", "非物质文化遗产"),
    ("cultural-relics", "Cultural relics", "文物"),
    ("national-cultural-parks", "National cultural parks", "国家文化公园"),
    ("industrial-development", "Industrial development", "产业发展"),
    ("urban-civilisation", "Urban civilisation", "城市文明"),
    ("ecological-civilisation", "Ecological civilisation", "生态文明"),
]


@pytest.fixture
def travel(db) -> Initiative:
    """The initiative and its eight themes, with the slugs the seed fixture uses (the seed
    itself is loaded by the seed tests; these tests stay independent of it)."""
    for position, (slug, name, original) in enumerate(TRAVEL_THEMES):
        if not Theme.objects.filter(slug=slug).exists():
            ThemeFactory(slug=slug, name=name, name_original=original, position=position)
    initiative = Initiative.objects.filter(slug="travel-with-micro-dramas").first()
    if initiative is None:
        initiative = InitiativeFactory(
            slug="travel-with-micro-dramas",
            name="Travel with Micro-Dramas",
            name_original="跟着微短剧去旅行",
        )
    initiative.themes.add(*Theme.objects.filter(slug__in=[t[0] for t in TRAVEL_THEMES]))
    return initiative


def make_editor(username: str = "editor"):
    """An editor made the documented way, with `createeditor`."""
    call_command(
        "createeditor", username, password=PASSWORD, interactive=False, stdout=io.StringIO()
    )
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def admin_user_client(client, db):
    admin = UserFactory(username="chief", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client

"""Under `make run` (DEBUG) an unknown address shows the site's 404 page, not Django's
technical one (issue 13); TECHNICAL_404 brings the technical page back."""

import pytest

pytestmark = pytest.mark.django_db

LOCAL_404 = "core.middleware.SiteNotFoundPageMiddleware"


@pytest.fixture
def local_debug(settings):
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:-1], LOCAL_404, settings.MIDDLEWARE[-1]]


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/no-such-page/", "Page not found"),
        ("/works/no-such-work/", "Page not found"),  # a view raising Http404
        ("/zh-hans/no-such-page/", "页面不存在"),
    ],
)
def test_an_unknown_address_shows_the_sites_404_page_under_debug(client, local_debug, path, title):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert f"<title>{title}" in html
    assert "DEBUG = True" not in html
    assert 'name="viewport"' in html


def test_the_api_still_answers_json_under_debug(client, local_debug):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_missing_trailing_slash_still_redirects(client, local_debug):
    assert client.get("/works").status_code == 301


def test_local_settings_add_the_page_unless_the_technical_page_is_asked_for(monkeypatch):
    import importlib

    import config.settings.local as local

    monkeypatch.setenv("DEBUG", "true")
    monkeypatch.delenv("TECHNICAL_404", raising=False)
    assert LOCAL_404 in importlib.reload(local).MIDDLEWARE
    monkeypatch.setenv("TECHNICAL_404", "true")
    assert LOCAL_404 not in importlib.reload(local).MIDDLEWARE

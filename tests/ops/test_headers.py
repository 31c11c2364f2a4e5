"""What every public answer carries, and what it must not: a Content-Security-Policy
without 'unsafe-inline', a Permissions-Policy, and for anonymous visitors no cookie and no
`Vary: Cookie`, so a CDN can cache the page once for everyone."""

import re

import pytest

PUBLIC_PAGES = [
    "/",
    "/zh-hans/",
    "/works/",
    "/works/?theme=intangible-cultural-heritage&ordering=title",
    "/zh-hans/works/",
    "/works/carry-bricks-young-lady/",
    "/themes/",
    "/themes/intangible-cultural-heritage/",
    "/places/",
    "/places/ningbo/",
    "/organisations/",
    "/organisations/nrta/",
    "/initiatives/",
    "/initiatives/travel-with-micro-dramas/",
    "/initiatives/travel-with-micro-dramas/batches/4/",
    "/search/?q=Ningbo",
    "/zh-hans/search/?q=宁波",
    "/no/such/page/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_anonymous_public_pages_set_no_cookie_and_do_not_vary_on_cookies(client, seed_data, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert "Set-Cookie" not in response
    assert not response.cookies
    vary = [v.strip().lower() for v in response.get("Vary", "").split(",")]
    assert "cookie" not in vary


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_carry_a_strict_content_security_policy(client, seed_data, url):
    response = client.get(url)
    directives = [part.split(" ", 1) for part in response["Content-Security-Policy"].split("; ")]
    policy = dict(directives)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_have_no_inline_script_or_style(client, seed_data, url):
    """What the policy would block: a <script> without src (data blocks aside: JSON-LD, and
    the map's `json_script` data, which browsers never run), a <style> element, a style=""
    or on...="" attribute."""
    html = client.get(url).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or re.search(r'type="application/(ld\+)?json"', tag), tag
    assert "<style" not in html
    assert not re.search(r"<[^>]+\sstyle=", html)
    assert not re.search(r"<[^>]+\son[a-z]+=", html)


def csp(response) -> dict[str, str]:
    return dict(part.split(" ", 1) for part in response["Content-Security-Policy"].split("; "))


@pytest.mark.django_db
def test_the_swagger_ui_page_runs_under_the_strict_policy(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    html = page.content.decode()
    assert "<style" not in html
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))
    # Its start-up script is a URL of its own, not an inline block.
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_redoc_may_style_inline_but_runs_no_inline_script_and_loads_no_remote_font(client):
    page = client.get("/api/redoc/")
    policy = csp(page)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    html = page.content.decode()
    assert "fonts.googleapis.com" not in html
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))

"""Bad input gets a 400 whose JSON body names the parameter; unknown records a JSON 404;
nothing gets a 500."""

import json

import pytest

from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


def errors(api, path, params):
    response = api.get(path, params)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == "Invalid request parameters."
    return body["errors"]


def test_an_unknown_filter_value_names_the_parameter(api):
    assert errors(api, "/api/v1/works/", {"theme": "no-such-theme"}) == {
        "theme": ["Select a valid choice. no-such-theme is not one of the available choices."]
    }


def test_an_unknown_choice_names_the_parameter(api):
    assert list(errors(api, "/api/v1/works/", {"role": "director"})) == ["role"]
    assert list(errors(api, "/api/v1/places/", {"kind": "planet"})) == ["kind"]
    assert list(errors(api, "/api/v1/works/", {"ordering": "popularity"})) == ["ordering"]


def test_a_malformed_date_names_the_parameter(api):
    assert errors(api, "/api/v1/works/", {"updated_since": "last tuesday"}) == {
        "updated_since": [
            "Enter an ISO 8601 date or date-time, e.g. 2024-10-12 or 2024-10-12T08:00:00Z."
        ]
    }
    assert list(errors(api, "/api/v1/batches/", {"announced_after": "2024-13-01"})) == [
        "announced_after"
    ]


def test_a_year_out_of_range_names_the_parameter(api):
    assert list(errors(api, "/api/v1/works/", {"year": "12"})) == ["year"]
    assert list(errors(api, "/api/v1/works/", {"year": "soon"})) == ["year"]


def test_an_out_of_range_page_names_the_parameter(api):
    WorkFactory()

    assert errors(api, "/api/v1/works/", {"page": 2}) == {
        "page": ["Page 2 is out of range: the last page is 1."]
    }
    assert list(errors(api, "/api/v1/works/", {"page": 0})) == ["page"]
    assert list(errors(api, "/api/v1/works/", {"page": "last"})) == ["page"]


def test_an_empty_list_still_has_a_first_page(api):
    response = api.get("/api/v1/works/", {"page": 1})

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_too_large_page_size_names_the_parameter(api):
    assert errors(api, "/api/v1/works/", {"page_size": 1000}) == {
        "page_size": ["Enter a whole number from 1 to 100."]
    }


def test_an_unknown_format_names_the_parameter(api):
    assert errors(api, "/api/v1/works/", {"format": "xml"}) == {
        "format": ["Unknown format “xml”: use one of json, csv."]
    }


def test_an_unknown_mode_names_the_parameter(api):
    assert list(errors(api, "/api/v1/works/", {"mode": "offset"})) == ["mode"]


def test_a_too_long_search_names_the_parameter(api):
    assert list(errors(api, "/api/v1/works/", {"q": "x" * 101})) == ["q"]


def test_an_unknown_slug_is_a_json_404(api):
    response = api.get("/api/v1/works/no-such-work/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "No Work matches the given query."}


def test_an_unknown_address_under_the_api_is_a_json_404(api):
    response = api.get("/api/v1/dramas/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "params",
    [
        {"theme_id": "99999999999999999999999"},
        {"place_id": "-1"},
        {"batch_number": "99999999"},
        {"updated_since": "0001-01-01T00:00:00+15:00"},
        {"updated_since": "2024-01-01T00:00:00+23:59"},
        {"q": "\x00"},
        {"cursor": "%%%", "mode": "cursor"},
        {"page_size": "\uff11\uff10"},  # full-width digits
    ],
)
def test_odd_input_is_a_400_not_a_500(api, params):
    response = api.get("/api/v1/works/", params)

    assert response.status_code in (200, 400), response.content


def test_an_offset_postgresql_refuses_is_converted_not_rejected(api):
    WorkFactory()

    response = api.get("/api/v1/works/", {"updated_since": "2000-01-01T00:00:00+23:59"})

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_one_answer_names_every_bad_parameter(api):
    assert set(errors(api, "/api/v1/works/", {"theme": "romance", "page_size": 500})) == {
        "theme",
        "page_size",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/%0A",  # a newline: the catch-all route's `.*` stops at it
        "/api/v1/works/carry%0Abricks/",
        "/api/v1/works/%0A/",
        "/api",
        "/api/v2/",
    ],
)
def test_every_odd_address_under_the_api_is_a_json_404(client, path):
    response = client.get(path, follow=True)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_bad_host_under_the_api_is_a_json_400(client):
    response = client.get("/api/v1/works/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Bad request."}


def test_a_server_error_under_the_api_is_json_and_a_pages_is_html(rf):
    from public.views.errors import server_error

    api = server_error(rf.get("/api/v1/works/"))
    assert api.status_code == 500
    assert api["Content-Type"] == "application/json"
    assert json.loads(api.content) == {
        "detail": "Server error: the request could not be completed."
    }
    page = server_error(rf.get("/works/"))
    assert page["Content-Type"].startswith("text/html")


def test_an_error_raised_inside_an_api_view_is_a_json_500(client, monkeypatch):
    from public.api import views

    def explode(self, *args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(views.ThemeViewSet, "list", explode)
    client.raise_request_exception = False
    response = client.get("/api/v1/themes/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Server error: the request could not be completed."}

"""The API's JSON renderer (core.api.renderers.JSONRenderer) writes what DRF's own writes,
byte for byte, whatever the values: it only encodes them faster, and embeds JSON text that
is already written (orjson.Fragment) as it is."""

import datetime
import uuid
from decimal import Decimal

import orjson
import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers as drf

from core.api.renderers import JSONRenderer

VALUES = {
    "text": '微短剧 and “quotes”, a tab\t, a quote ", a backslash \\',
    "line separators": "one\u2028two\u2029three",
    "lazy": gettext_lazy("Invalid request parameters."),
    "decimal": Decimal("12.50"),
    "moment": datetime.datetime(2026, 11, 25, 8, 30, 1, 123456, tzinfo=datetime.UTC),
    "day": datetime.date(2024, 10, 12),
    "time": datetime.time(9, 5, 7, 250000),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "numbers": [0, -1, 2**40, 1.5, 30.274084, -0.1],
    "nothing": None,
    "flags": [True, False],
    "nested": {"a": [{"b": ()}], 3: "an integer key"},
}


@pytest.mark.parametrize("media_type", [None, "application/json", "application/json; indent=4"])
def test_the_bytes_are_drfs(media_type):
    ours = JSONRenderer().render(VALUES, media_type)
    assert ours == drf.JSONRenderer().render(VALUES, media_type)
    assert b"\\u2028" in ours
    assert "\u2028".encode() not in ours


def test_an_exponent_is_written_as_short_as_it_goes():
    """The one difference: orjson writes 1e-7 where Python writes 1e-07, the same number."""
    body = JSONRenderer().render({"tiny": 1e-7, "huge": 1.5e300})
    assert body == b'{"tiny":1e-7,"huge":1.5e+300}'
    assert orjson.loads(body) == {"tiny": 1e-7, "huge": 1.5e300}


def test_a_fragment_is_embedded_as_written():
    """JSON the database wrote goes into the answer unparsed, escapes included."""
    data = {"id": 1, "themes": orjson.Fragment(b'[{"slug":"a","name":"\\u2028"}]')}
    assert JSONRenderer().render(data) == b'{"id":1,"themes":[{"slug":"a","name":"\\u2028"}]}'
    indented = JSONRenderer().render(data, "application/json; indent=2")
    assert indented.decode().splitlines()[:3] == ["{", '  "id": 1,', '  "themes": [']


def test_nothing_renders_as_an_empty_body():
    assert JSONRenderer().render(None) == b""

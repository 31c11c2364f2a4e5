"""core.models.JSONRows keeps its compiled SQL, and a copy Django relabels compiles afresh."""

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.test.utils import CaptureQueriesContext

from catalog.models import Theme, Work
from public.api.views import WorkViewSet
from tests.factories import ThemeFactory, WorkFactory

pytestmark = pytest.mark.django_db


def test_a_queryset_built_once_compiles_its_json_columns_once(monkeypatch):
    WorkFactory().themes.add(ThemeFactory(), ThemeFactory())
    base = WorkViewSet.base_queryset()
    list(base.all())  # the first request compiles them
    compiled = []
    original = Subquery.as_sql

    def as_sql(self, *args, **kwargs):
        compiled.append(type(self).__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Subquery, "as_sql", as_sql)
    with CaptureQueriesContext(connection) as queries:
        (work,) = base.all()
    assert not [name for name in compiled if name.endswith("JSONRows")]
    assert len(queries) == 1
    list(WorkViewSet.build_queryset())  # a queryset built afresh compiles its own
    assert "SerializedJSONRows" in compiled
    assert list(work.theme_rows) == [
        {"slug": t.slug, "name": t.name, "name_original": t.name_original}
        for t in work.themes.order_by("position", "name")
    ]


def test_json_columns_of_a_queryset_used_inside_another_name_its_rows():
    """The works queryset as a subquery of a themes query: Django relabels its tables (U0,
    U1...), so its JSON columns must compile again, not reuse the SQL kept for the works
    list (which names "catalog_work")."""
    theme, other = ThemeFactory(), ThemeFactory()
    work = WorkFactory(title="Listed under one theme")
    work.themes.add(theme)
    base = WorkViewSet.base_queryset()
    assert [[row["slug"] for row in w.theme_rows] for w in base.all()] == [[theme.slug]]

    first_work_themes = Subquery(base.filter(themes=OuterRef("pk")).values("theme_rows")[:1])
    rows = dict(Theme.objects.annotate(first=first_work_themes).values_list("slug", "first"))

    assert rows[other.slug] is None
    assert [each["slug"] for each in rows[theme.slug]] == [theme.slug]
    assert Work.objects.count() == 1

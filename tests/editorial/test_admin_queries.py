"""Admin lists cost the same number of queries however many rows they show: a column that
follows a relation (a parent, a place, a source) must not query once per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    InitiativeFactory,
    InitiativeOrganisationFactory,
    OrganisationFactory,
    PlaceFactory,
    SourceFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
)

# Each maker adds one row whose optional relations are all filled in.
ROW_MAKERS = {
    "catalog_place": lambda: PlaceFactory(parent=PlaceFactory()),
    "catalog_organisation": lambda: OrganisationFactory(
        parent=OrganisationFactory(), place=PlaceFactory()
    ),
    "catalog_workplace": lambda: WorkPlaceFactory(source=SourceFactory()),
    "catalog_workorganisation": lambda: WorkOrganisationFactory(source=SourceFactory()),
    "initiatives_initiative": lambda: InitiativeFactory(parent=InitiativeFactory()),
    "initiatives_initiativeorganisation": lambda: InitiativeOrganisationFactory(
        source=SourceFactory()
    ),
}


def changelist_queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ROW_MAKERS)
def test_an_admin_list_takes_no_more_queries_with_more_rows(editor_client, name):
    make = ROW_MAKERS[name]
    make()
    few = changelist_queries(editor_client, name)
    for _ in range(4):
        make()

    assert changelist_queries(editor_client, name) == few

"""A work page's "Where to watch": the platforms its sources name, until a direct link exists."""

import pytest
from django.urls import reverse

from catalog.models import WorkOrganisation
from tests.factories import OrganisationFactory, WorkFactory, WorkOrganisationFactory

pytestmark = pytest.mark.django_db


def section(client, work, prefix=""):
    html = client.get(prefix + reverse("catalog:work_detail", args=[work.slug])).content.decode()
    if 'id="watch-heading"' not in html:
        return None
    start = html.index('id="watch-heading"')
    return html[start : html.index("</section>", start)]


def test_a_platform_without_a_link_is_listed_with_its_own_page(client):
    work = WorkFactory()
    douyin = OrganisationFactory(name="Douyin", name_original="抖音", slug="douyin")
    WorkOrganisationFactory(work=work, organisation=douyin, role=WorkOrganisation.Role.PLATFORM)
    WorkOrganisationFactory(work=work, role=WorkOrganisation.Role.PRODUCER)
    found = section(client, work)
    assert found is not None
    assert 'href="/organisations/douyin/"' in found
    assert "Douyin" in found
    assert "no direct link yet" in found
    # The producer is no place to watch it.
    assert found.count("<li>") == 1


def test_a_direct_link_wins_over_the_platform_page(client):
    work = WorkFactory()
    kuaishou = OrganisationFactory(name="Kuaishou", slug="kuaishou")
    WorkOrganisationFactory(
        work=work,
        organisation=kuaishou,
        role=WorkOrganisation.Role.PLATFORM,
        url="https://example.org/watch/1",
    )
    found = section(client, work)
    assert 'href="https://example.org/watch/1"' in found
    assert "/organisations/kuaishou/" not in found


def test_the_section_is_hidden_when_no_platform_is_known(client):
    work = WorkFactory()
    WorkOrganisationFactory(work=work, role=WorkOrganisation.Role.PRODUCER)
    assert section(client, work) is None


def test_the_section_is_in_chinese_under_zh_hans(client):
    work = WorkFactory()
    douyin = OrganisationFactory(name="Douyin", name_original="抖音", slug="douyin")
    WorkOrganisationFactory(work=work, organisation=douyin, role=WorkOrganisation.Role.PLATFORM)
    found = section(client, work, prefix="/zh-hans")
    assert "抖音" in found
    assert "Where to watch" not in found

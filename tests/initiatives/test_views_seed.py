"""The seed data's counts and works appear where the source documents put them."""

import re

from tests.catalog.test_views import text
from tests.sitemaps import sitemap_xml


def test_batch_4_shows_the_announced_counts_per_theme_beside_the_listed_works(client, seed_data):
    page = text(client.get("/initiatives/travel-with-micro-dramas/batches/4/"))
    assert "55 announced · 12 listed" in page
    for theme, announced, listed in [
        ("Rural revitalisation", 4, 1),
        ("Intangible cultural heritage", 15, 2),
        ("Urban civilisation", 11, 2),
        ("Ecological civilisation", 8, 2),
    ]:
        assert f"{theme} {announced} {listed} {announced} announced · {listed} listed" in page
    assert "No theme given by the source Reunion" in page
    assert "Total 55 12" in page


def test_intangible_cultural_heritage_lists_its_seed_works(client, seed_data):
    page = text(client.get("/themes/intangible-cultural-heritage/"))
    assert "Carry Bricks, Young Lady!" in page
    assert "The Sixth Awakened Lion" in page
    assert "Travel with Micro-Dramas, batch 4" in page


def test_home_lists_both_big_initiatives_with_their_chinese_names(client, seed_data):
    page = text(client.get("/"))
    assert "Travel with Micro-Dramas 跟着微短剧去旅行" in page
    assert "Brand Through Micro-Drama 微短剧里看品牌" in page
    assert "576 million" in page


def test_zhejiang_includes_the_works_of_its_counties_and_sites(client, seed_data):
    response = client.get("/works/", {"place": "zhejiang"})
    jinhua = client.get("/works/", {"place": "wuyi-county"})
    assert response.status_code == 200
    county_works = {w.pk for w in jinhua.context["works"]}
    assert county_works <= {w.pk for w in response.context["works"]}
    assert response.context["paginator"].count >= jinhua.context["paginator"].count >= 1


def test_batch_1_lists_take_you_to_a_good_place(client, seed_data):
    page = text(client.get("/initiatives/travel-with-micro-dramas/batches/1/"))
    assert "Take You to a Good Place" in page


def test_every_seed_page_in_the_sitemap_answers_200(client, seed_data):
    xml = sitemap_xml(client)
    urls = re.findall(r"<loc>http://testserver(/[^<]*)</loc>", xml)
    assert len(urls) > 50
    for url in urls:
        assert client.get(url).status_code == 200, url

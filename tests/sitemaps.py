"""Reading the sitemap as a crawler does: the index at /sitemap.xml, then each page it lists."""

import re
from urllib.parse import urlsplit


def sitemap_pages(client) -> list[str]:
    """The index's entries, as paths with their query (`/sitemap-works.xml?p=2`)."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", index.content.decode())
    return [
        urlsplit(loc).path + (f"?{urlsplit(loc).query}" if urlsplit(loc).query else "")
        for loc in locations
    ]


def sitemap_xml(client) -> str:
    """Every page of the sitemap, one after the other."""
    pages = []
    for path in sitemap_pages(client):
        response = client.get(path)
        assert response.status_code == 200, path
        pages.append(response.content.decode())
    return "\n".join(pages)

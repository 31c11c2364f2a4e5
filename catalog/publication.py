"""What a public catalog record shows, and so makes public (see core.publication)."""

from core.publication import belongs_to, shows

from .models import (
    Organisation,
    Place,
    Source,
    Theme,
    Work,
    WorkOrganisation,
    WorkPlace,
    WorkTitle,
)

# A public work's page names its themes, places and organisations and cites its sources.
shows(Work, Theme, "themes")
shows(Work, Place, "place_links__place")
shows(Work, Organisation, "organisation_links__organisation")
shows(
    Work,
    Source,
    "sources",
    "titles__source",
    "place_links__source",
    "organisation_links__source",
)
# A public place or organisation names what it is part of (Ningbo shows Zhejiang).
shows(Place, Place, "parent")
shows(Organisation, Organisation, "parent")
shows(Organisation, Place, "place")
shows(Place, Source, "sources")
shows(Organisation, Source, "sources")
shows(Theme, Source, "sources")

belongs_to(WorkTitle, "work")
belongs_to(WorkPlace, "work")
belongs_to(WorkOrganisation, "work")

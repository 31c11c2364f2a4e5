"""What a published batch and a public initiative or figure show, and so make public (see
core.publication). A batch's own state is its status, which only services.batch_publish and
services.batch_unpublish change."""

from catalog.models import Organisation, Place, Source, Theme, Work
from core.publication import belongs_to, shows

from .models import (
    Batch,
    BatchThemeCount,
    Figure,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
)

# A published batch lists works under themes, counts works per theme, and cites sources
# (for its listings, its per-theme counts, and the words that state its count and running
# total).
shows(Batch, Work, "recommendations__work")
shows(Batch, Initiative, "initiative")
shows(Batch, Theme, "recommendations__theme", "theme_counts__theme")
shows(
    Batch,
    Source,
    "sources",
    "recommendations__source",
    "theme_counts__source",
    "total_source",
    "running_total_source",
)
# A public initiative names what it is part of, its place, themes and organisations.
shows(Initiative, Initiative, "parent")
shows(Initiative, Place, "place")
shows(Initiative, Theme, "themes")
shows(Initiative, Organisation, "organisation_links__organisation")
shows(Initiative, Source, "sources", "organisation_links__source")
# A public figure names its source, and the place and initiative it is about.
shows(Figure, Source, "source")
shows(Figure, Place, "place")
shows(Figure, Initiative, "initiative")

belongs_to(InitiativeOrganisation, "initiative")
belongs_to(Recommendation, "batch")
belongs_to(BatchThemeCount, "batch")

"""What a published batch and a public initiative or figure show, and so make public (see
core.publication). A batch's own state is its status, which only services.batch_publish and
services.batch_unpublish change."""

from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from catalog.models import Organisation, Place, Source, Theme, Work
from core.publication import (
    CHUNK,
    Evaluated,
    after_refresh,
    belongs_to,
    derived_state_deferred,
    shows,
)

from .models import (
    Batch,
    BatchThemeCount,
    Figure,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
    ThemeWork,
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


#
# The works in each theme (ThemeWork), derived from the stored public state
#


def theme_pairs(work_ids=None):
    """(theme, work) of every public work in a theme, as one query: tagged with the theme,
    or listed under it in a published batch. `work_ids` narrows it to those works."""
    tagged = Work.themes.through.objects.filter(work__is_public=True)
    listed = Recommendation.objects.public().filter(work__is_public=True, theme__isnull=False)
    if work_ids is not None:
        tagged = tagged.filter(work_id__in=work_ids)
        listed = listed.filter(work_id__in=work_ids)
    columns = ("theme_id", "work_id")
    return tagged.order_by().values_list(*columns).union(listed.order_by().values_list(*columns))


def store_theme_works(work_ids=None) -> None:
    """Rewrite the ThemeWork rows of `work_ids` (of every work when None) from the rule:
    a delete and an INSERT … SELECT, so a million works never pass through Python."""
    rows = ThemeWork.objects.all()
    if work_ids is not None:
        rows = rows.filter(work_id__in=work_ids)
    rows.delete()  # one DELETE: no signals listen and nothing points at these rows
    connection = connections[rows.db]
    select, params = theme_pairs(work_ids).query.sql_with_params()
    table = connection.ops.quote_name(ThemeWork._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (theme_id, work_id) {select}", params)


@after_refresh(ThemeWork)
def refresh_theme_works(evaluated: Evaluated) -> None:
    """After a refresh: the works it evaluated (those a change touched, and those that
    flipped) may have joined or left a theme; nothing else can have."""
    if Work not in evaluated:
        return
    work_ids = evaluated[Work]
    if work_ids is None:
        store_theme_works()
        return
    ordered = sorted(work_ids)
    for start in range(0, len(ordered), CHUNK):
        store_theme_works(ordered[start : start + CHUNK])


# Between refreshes, a tag or a listing saved through the ORM (a script, the shell, a test)
# moves its works at once: what is public does not change, only which theme they are in.


@receiver(m2m_changed, sender=Work.themes.through, dispatch_uid="theme_works_tags")
def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or derived_state_deferred():
        return
    if not reverse:  # work.themes.add(...): the instance is the work
        store_theme_works([instance.pk])
    elif action == "post_clear":  # theme.works.clear(): the works it held
        works = ThemeWork.objects.filter(theme=instance).values_list("work_id", flat=True)
        store_theme_works(list(works))
    else:
        store_theme_works(sorted(pk_set))


@receiver(post_save, sender=Recommendation, dispatch_uid="theme_works_listing_saved")
@receiver(post_delete, sender=Recommendation, dispatch_uid="theme_works_listing_deleted")
def listing_changed(sender, instance, **kwargs):
    if not derived_state_deferred():
        store_theme_works([instance.work_id])

"""Multi-step writes of the editorial workflow: publishing a batch and taking it back to
draft. The admin calls these; so can a shell or a management command."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import Work

from .models import Batch


@dataclass(frozen=True)
class OverAnnounced:
    """A theme (or the whole batch) that lists more works than the source announced."""

    label: str
    listed: int
    announced: int

    def __str__(self) -> str:
        return _("%(label)s lists %(listed)d works but announced %(announced)d") % {
            "label": self.label,
            "listed": self.listed,
            "announced": self.announced,
        }


class BatchNotPublishable(ValidationError):
    """The batch fails a check; `problems` says which, `over_announced` lists the counts an
    editor may confirm on purpose (a source can name more works than its headline count)."""

    def __init__(self, problems: list[str], over_announced: list[OverAnnounced]):
        self.problems = problems
        self.over_announced = over_announced
        messages = problems + [str(item) for item in over_announced]
        super().__init__(messages)

    @property
    def needs_confirmation_only(self) -> bool:
        return not self.problems and bool(self.over_announced)


def batch_check(*, batch: Batch) -> tuple[list[str], list[OverAnnounced]]:
    """What stands between a batch and publication: hard problems, and listed-over-announced
    counts that need an explicit confirmation."""
    problems: list[str] = []
    over: list[OverAnnounced] = []

    recommendations = list(batch.recommendations.select_related("work", "theme"))
    counts = {tc.theme_id: tc for tc in batch.theme_counts.select_related("theme")}

    if not recommendations:
        problems.append(_("The batch lists no works."))

    listed_per_theme: dict[int, int] = {}
    themes = {}
    for rec in recommendations:
        if rec.theme_id is not None:
            listed_per_theme[rec.theme_id] = listed_per_theme.get(rec.theme_id, 0) + 1
            themes[rec.theme_id] = rec.theme
    for theme_id, listed in sorted(listed_per_theme.items(), key=lambda kv: str(themes[kv[0]])):
        theme = themes[theme_id]
        if theme_id not in counts:
            problems.append(
                _("Theme “%(theme)s” lists works but has no announced count.") % {"theme": theme}
            )
        elif listed > counts[theme_id].announced:
            over.append(OverAnnounced(str(theme), listed, counts[theme_id].announced))
    if batch.total_announced is not None and len(recommendations) > batch.total_announced:
        over.append(OverAnnounced(_("The batch"), len(recommendations), batch.total_announced))

    unsourced = (
        batch.recommendations.filter(source__isnull=True)
        .annotate(n_sources=Count("work__sources"))
        .filter(n_sources=0)
        .select_related("work")
        .order_by("work__title")
    )
    names = [f"“{rec.work}”" for rec in unsourced]
    if names:
        problems.append(
            ngettext(
                "This work has no source: %(works)s.",
                "These works have no source: %(works)s.",
                len(names),
            )
            % {"works": ", ".join(names)}
        )
    return problems, over


@transaction.atomic
def batch_publish(
    *, batch: Batch, user: AbstractBaseUser, confirm_over_announced: bool = False
) -> Batch:
    """Check the batch and make it public, recording who published it and when.

    Raises BatchNotPublishable (a ValidationError) and changes nothing when a check fails;
    listed-over-announced counts pass only with `confirm_over_announced=True`."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.is_published:
        return batch
    problems, over = batch_check(batch=batch)
    if problems or (over and not confirm_over_announced):
        raise BatchNotPublishable(problems, over)
    batch.status = Batch.Status.PUBLISHED
    batch.published_at = timezone.now()
    batch.published_by = user
    batch._change_reason = "Published"
    batch._history_user = user
    batch.save(update_fields=["status", "published_at", "published_by", "slug", "updated_at"])
    _touch_listed_works(batch)
    return batch


@transaction.atomic
def batch_unpublish(*, batch: Batch, user: AbstractBaseUser) -> Batch:
    """Take a batch back to draft: it and the works listed only in it leave the public site.
    The history keeps who published it and who took it back."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if not batch.is_published:
        return batch
    batch.status = Batch.Status.DRAFT
    batch.published_at = None
    batch.published_by = None
    batch._change_reason = "Back to draft"
    batch._history_user = user
    batch.save(update_fields=["status", "published_at", "published_by", "slug", "updated_at"])
    _touch_listed_works(batch)
    return batch


def _touch_listed_works(batch: Batch) -> None:
    """A work's visibility and recommendations change with its batch's status, so partners
    syncing works by `updated_since` must see them as changed."""
    Work.objects.filter(recommendations__batch=batch).update(updated_at=batch.updated_at)


#
# Editors
#

EDITORS_GROUP = "Editors"
EDITOR_APPS = ("catalog", "initiatives")


@transaction.atomic
def editors_group_sync() -> Group:
    """The "Editors" group with exactly the permissions on catalog and initiative records
    (their history tables included): nothing on users, groups, API keys or lockouts.
    The migration creates it; `createeditor` calls this again so models added later are
    covered too."""
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITOR_APPS))
    return group

"""Multi-step writes of the editorial workflow: publishing a batch or a record on its own,
and taking it back. The admin calls these; so can a shell or a management command. What the
public then sees is computed by core.publication."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import Work
from core import publication
from core.models import PublicState

from .models import Batch, BatchThemeCount, Recommendation


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
    batch = (
        Batch.objects.filter(pk=batch.pk)
        .prefetch_related(
            Prefetch("theme_counts", queryset=BatchThemeCount.objects.select_related("theme")),
            Prefetch("recommendations", queryset=Recommendation.objects.select_related("theme")),
        )
        .get()
    )
    tally = batch.tally()

    if not tally.listed:
        problems.append(_("The batch lists no works."))
    for row in sorted(tally.themes, key=lambda row: str(row.theme)):
        if row.listed and row.announced is None:
            problems.append(
                _("Theme “%(theme)s” lists works but has no announced count.")
                % {"theme": row.theme}
            )
        elif row.over_announced:
            over.append(OverAnnounced(str(row.theme), row.listed, row.announced))
    if batch.total_announced is not None and tally.listed > batch.total_announced:
        over.append(OverAnnounced(_("The batch"), tally.listed, batch.total_announced))

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
    """Check the batch and make it public, with the works it lists and what they show,
    recording who published it and when.

    Raises BatchNotPublishable (a ValidationError) and changes nothing when a check fails;
    listed-over-announced counts pass only with `confirm_over_announced=True`."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.is_public:
        return batch
    problems, over = batch_check(batch=batch)
    if problems or (over and not confirm_over_announced):
        raise BatchNotPublishable(problems, over)
    return _set_status(
        batch, user, Batch.Status.PUBLISHED, published_at=timezone.now(), reason="Published"
    )


@transaction.atomic
def batch_unpublish(*, batch: Batch, user: AbstractBaseUser) -> Batch:
    """Take a batch back to draft: it and what only it made public (works listed in no
    other published batch, places only those works show...) leave the public site. The
    history keeps who published it and who took it back."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if not batch.is_public:
        return batch
    return _set_status(batch, user, Batch.Status.DRAFT, published_at=None, reason="Back to draft")


def batches_published_in_bulk(batches, *, published_at) -> int:
    """Mark many new batches published in one UPDATE, with no history and no refresh: for
    generated catalogs (the generate_catalog command), whose caller stores the public state
    of what the batches show itself and refreshes the rest. Editors publish through
    batch_publish."""
    return batches.update(status=Batch.Status.PUBLISHED, published_at=published_at)


def _set_status(batch: Batch, user, status: str, *, published_at, reason: str) -> Batch:
    batch.status = status
    batch.published_at = published_at
    batch.published_by = user if published_at else None
    batch._change_reason = reason
    batch._history_user = user
    batch.save(update_fields=["status", "published_at", "published_by", "slug", "updated_at"])
    publication.refresh(publication.touched_by(batch))
    # Every listed work's recommendations change with the batch, whether or not the work's
    # own visibility did, so partners syncing works by `updated_since` see them all.
    Work.objects.filter(recommendations__batch=batch).update(updated_at=batch.updated_at)
    PublicState.bump()
    return batch


#
# Editors
#

EDITORS_GROUP = "Editors"
EDITOR_APPS = ("catalog", "initiatives")


@transaction.atomic
def editors_group_sync() -> Group:
    """The "Editors" group with exactly the permissions on catalog and initiative records
    (their history tables included): nothing on users, groups, API keys or lockouts, nor
    on the derived records core.publication writes (the works in each theme). The migration
    creates it; `createeditor` calls this again so models added later are covered too."""
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    derived = ContentType.objects.get_for_models(*publication.derived_models()).values()
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=EDITOR_APPS).exclude(
            content_type__in=list(derived)
        )
    )
    return group

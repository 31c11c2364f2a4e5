"""Publishing: the one place that decides what the public sees.

A record is public when an editor published it on its own (`published_directly`), or when a
public record shows it: a published batch shows the works it lists, a public work its themes,
places, organisations and sources, a public place its parent, and so on. The apps declare
what shows what with `shows()` when they start (catalog/publication.py,
initiatives/publication.py); this module holds no domain knowledge.

The result is stored in `is_public` (core.models.PublicRecord), which every read filters on
through `Model.objects.public()`. Only `refresh()` writes it: it re-evaluates the records a
change touched, in dependency order, follows what flipped to the records they show, stamps
`updated_at` on every record that flipped (so partners syncing by `updated_since` see them)
and bumps the PublicState stamp that the pages' and the API's validators derive from.

Why stored and not computed per request: a rule written as "listed in a published batch or
in none" leaked drafts whenever a draft was deleted, and cannot use an index at scale.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from graphlib import TopologicalSorter

from django.db import models, transaction
from django.db.models import (
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    ProtectedError,
    Q,
    RestrictedError,
)
from django.utils import timezone

from .models import PublicRecord, PublicState

# Records per `pk IN (...)` list: well under SQLite's limit on query parameters.
CHUNK = 500

Touched = dict[type[models.Model], set[int]]


@dataclass(frozen=True)
class Shows:
    """A public `source` record makes public the `target` records reached by `path`."""

    source: type[models.Model]
    target: type[models.Model]
    path: str


_shows: list[Shows] = []
# Link models (a work's place, a batch's listing) and the foreign keys of the records they
# belong to: saving or deleting a link changes what its owners show.
_owners: dict[type[models.Model], tuple[str, ...]] = {}


def shows(source: type[models.Model], target: type[models.Model], *paths: str) -> None:
    """Declare that a public `source` shows (so makes public) the `target` records at the end
    of each lookup path, e.g. `shows(Work, Place, "place_links__place")`."""
    for path in paths:
        item = Shows(source, target, path)
        if item not in _shows:
            _shows.append(item)
    _order.cache_clear()


Evaluated = dict[type[models.Model], set[int] | None]
_after_refresh: list[Callable[[Evaluated], None]] = []
_derived: list[type[models.Model]] = []
_deferred: ContextVar[bool] = ContextVar("derived_state_deferred", default=False)


def after_refresh(
    *derived: type[models.Model],
) -> Callable[[Callable[[Evaluated], None]], Callable[[Evaluated], None]]:
    """Register `func(evaluated)`, run at the end of every refresh, in its transaction, with
    the records whose state the refresh evaluated, by model (None: every record of it). For
    `derived` models holding state derived from the public state, such as the works in each
    theme (initiatives/publication.py): backups leave them out, a restore rebuilds them."""

    def register(func):
        _after_refresh.append(func)
        _derived.extend(model for model in derived if model not in _derived)
        return func

    return register


def derived_models() -> list[type[models.Model]]:
    return list(_derived)


def rebuild_derived() -> None:
    """Rebuild every derived model from the stored public state, whole."""
    evaluated: Evaluated = dict.fromkeys(_order())
    for func in _after_refresh:
        func(evaluated)


def derived_state_deferred() -> bool:
    """Whether signal handlers keeping derived state should leave it to a rebuild."""
    return _deferred.get()


@contextmanager
def deferring_derived_state():
    """Within it, signal handlers leave the derived models alone; on leaving without an
    error, they are rebuilt whole: for loads of many rows (a backup restore)."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)
    rebuild_derived()


def belongs_to(link_model: type[models.Model], *owners: str) -> None:
    """Declare that `link_model` records are part of the records their `owners` foreign keys
    point at (a WorkPlace belongs to its work)."""
    _owners[link_model] = owners


def is_derived(model: type[models.Model]) -> bool:
    return issubclass(model, PublicRecord)


@cache
def _order() -> list[type[models.Model]]:
    """Derived models, each after every model that can show it."""
    graph = defaultdict(set)
    for item in _shows:
        if item.source is not item.target:
            graph[item.target].add(item.source)
    for item in _shows:
        graph.setdefault(item.source, set())
    return [model for model in TopologicalSorter(graph).static_order() if is_derived(model)]


def rule(model: type[models.Model]) -> Q:
    """What makes a `model` record public, over the stored state of the records that can
    show it."""
    condition = Q(published_directly=True)
    for item in _shows:
        if item.target is model:
            shown_by = item.source._default_manager.public().filter(**{item.path: OuterRef("pk")})
            condition |= Exists(shown_by)
    return condition


#
# What a change touches
#


def _add(touched: Touched, model: type[models.Model], pks: Iterable) -> None:
    pks = {pk for pk in pks if pk is not None}
    if pks:
        touched.setdefault(model, set()).update(pks)


def _merge(into: Touched, other: Touched) -> Touched:
    for model, pks in other.items():
        _add(into, model, pks)
    return into


def _shown(model: type[models.Model], pks: Iterable[int]) -> Touched:
    """The records that `model` records `pks` show, as stored now."""
    touched: Touched = {}
    pks = list(pks)
    for item in _shows:
        if item.source is not model:
            continue
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            values = model._base_manager.filter(pk__in=chunk).values_list(item.path, flat=True)
            _add(touched, item.target, values)
    return touched


def touched_by(obj: models.Model) -> Touched:
    """The records whose public state can depend on `obj` as it is stored now: itself and the
    records it shows (for a link, those of the records it belongs to). Take it before a
    change and again after, and refresh both."""
    model = obj._meta.concrete_model
    if model in _owners:
        touched: Touched = {}
        for owner in _owners[model]:
            related = getattr(obj, owner, None)
            if related is not None and related.pk is not None:
                _merge(touched, touched_by(related))
        return touched
    if obj.pk is None:
        return {}
    touched = {model: {obj.pk}} if is_derived(model) else {}
    return _merge(touched, _shown(model, [obj.pk]))


#
# Recomputing
#


@dataclass
class Changes:
    """Records that became public or stopped being public, by model."""

    published: Touched = field(default_factory=dict)
    withdrawn: Touched = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.published or self.withdrawn)

    def count(self) -> int:
        return sum(map(len, self.published.values())) + sum(map(len, self.withdrawn.values()))


def _apply(model, candidates: set[int] | None, now) -> tuple[set[int], set[int]]:
    """Store the rule's verdict where it differs from the stored state: one query to find
    the differences (per chunk of candidates), one update per direction."""
    verdict = ExpressionWrapper(rule(model), output_field=models.BooleanField())
    chunks = [None] if candidates is None else _chunks(sorted(candidates))
    up, down = set(), set()
    for chunk in chunks:
        qs = model._base_manager.all()
        if chunk is not None:
            qs = qs.filter(pk__in=chunk)
        differing = (
            qs.annotate(should_be_public=verdict)
            .exclude(is_public=F("should_be_public"))
            .values_list("pk", "should_be_public")
        )
        for pk, should_be_public in differing:
            (up if should_be_public else down).add(pk)
    for pks, state in ((up, True), (down, False)):
        for chunk in _chunks(sorted(pks)):
            model._base_manager.filter(pk__in=chunk).update(is_public=state, updated_at=now)
    return up, down


def _chunks(pks: list[int]) -> list[list[int]]:
    return [pks[start : start + CHUNK] for start in range(0, len(pks), CHUNK)]


@transaction.atomic
def refresh(touched: Touched | None = None) -> Changes:
    """Recompute the public state of the `touched` records (all records when None) and of
    every record their flips reach; stamp what flipped and bump the public state if
    anything did."""
    now = timezone.now()
    changes = Changes()
    pending: dict[type[models.Model], set[int] | None] = {}
    evaluated: Evaluated = {}
    for model in _order():
        pending[model] = None if touched is None else set(touched.get(model, ()))
    for model in _order():
        while pending.get(model) is None or pending[model]:
            candidates = pending[model]
            pending[model] = set()
            if candidates is None:
                evaluated[model] = None
            elif evaluated.get(model, ()) is not None:
                evaluated.setdefault(model, set()).update(candidates)
            up, down = _apply(model, candidates, now)
            _add(changes.published, model, up)
            _add(changes.withdrawn, model, down)
            flipped = up | down
            if not flipped:
                break
            for target, pks in _shown(model, flipped).items():
                if pending.get(target) is not None:
                    pending[target] |= pks
    for func in _after_refresh:
        func(evaluated)
    if changes:
        PublicState.bump()
    return changes


def is_public(obj: models.Model) -> bool:
    """Whether the public sees `obj` now (for a link: whether all it belongs to is public)."""
    model = obj._meta.concrete_model
    if model in _owners:
        owners = [getattr(obj, owner, None) for owner in _owners[model]]
        return all(owner is not None and is_public(owner) for owner in owners)
    return model._default_manager.public().filter(pk=obj.pk).exists()


@transaction.atomic
def record_changed(obj: models.Model, *, before: Touched, was_public: bool) -> Changes:
    """After an editor saved `obj` (a form, an inline, a revert): refresh what it touched
    before and after the change. The public state moves when a public record changed, or
    when the change published or withdrew something; a change to drafts moves nothing."""
    changes = refresh(_merge(dict(before), touched_by(obj)))
    if not changes and (was_public or is_public(obj)):
        PublicState.bump()
    return changes


@transaction.atomic
def records_deleted(*, before: Touched, any_public: bool) -> Changes:
    """After records were deleted: refresh what they touched. Deleting drafts reveals
    nothing, since nothing is public unless something public shows it."""
    changes = refresh(before)
    if not changes and any_public:
        PublicState.bump()
    return changes


#
# Publishing a record on its own
#


@transaction.atomic
def record_publish(*, record: PublicRecord, user) -> Changes:
    """Publish a record on its own, outside any batch: a work a source names outside any
    list (such as "The Bone Whistle of Hemudu"), an initiative announced without batches,
    a figure. What it shows becomes public with it. Its history says who did it."""
    return _set_published_directly(record, True, user=user, reason="Published on its own")


@transaction.atomic
def record_unpublish(*, record: PublicRecord, user) -> Changes:
    """Withdraw a record published on its own. It stays public while a published batch or
    another public record still shows it (`record.is_public` says so afterwards)."""
    return _set_published_directly(record, False, user=user, reason="Withdrawn")


def _set_published_directly(record: PublicRecord, value: bool, *, user, reason: str) -> Changes:
    was_public = record._meta.model.objects.filter(pk=record.pk, is_public=True).exists()
    record.published_directly = value
    record._change_reason = reason
    record._history_user = user
    record.save(update_fields=["published_directly", "updated_at"])
    changes = refresh(touched_by(record))
    if not changes and was_public:
        PublicState.bump()  # nothing flipped, but a public record was saved
    record.refresh_from_db(fields=["is_public", "updated_at"])
    return changes


def shown_by(obj: models.Model, limit: int = 5) -> list[tuple[type[models.Model], list]]:
    """The public records that show `obj` (what keeps it public), up to `limit` per model."""
    found = []
    model = obj._meta.concrete_model
    for item in _shows:
        if item.target is model:
            records = list(
                item.source._default_manager.public()
                .filter(**{item.path: obj.pk})
                .distinct()[:limit]
            )
            if records:
                found.append((item.source, records))
    return found


def withdrawal_preview(objs: Iterable[models.Model]) -> Changes:
    """What would leave the public site if `objs` were deleted: computed by deleting them
    and rolling back. Deleting drafts withdraws nothing; a record others still protect
    (a listed work) cannot be deleted, and the preview says nothing of it."""
    objs = list(objs)
    preview = Changes()
    before: Touched = {}
    for obj in objs:
        _merge(before, touched_by(obj))
        if is_derived(obj._meta.concrete_model) and is_public(obj):
            _add(preview.withdrawn, obj._meta.concrete_model, [obj.pk])
    try:
        with transaction.atomic():
            for obj in objs:
                type(obj)._base_manager.filter(pk=obj.pk).delete()
            changes = refresh(before)
            raise _Rollback
    except (ProtectedError, RestrictedError):
        return preview
    except _Rollback:
        pass
    for model, pks in changes.withdrawn.items():
        _add(preview.withdrawn, model, pks)
    return preview


class _Rollback(Exception):
    pass

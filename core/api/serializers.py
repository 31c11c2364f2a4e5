"""The serializers' shared parts: a representation compiled once per class, and the
fields of the flat CSV serializers (one cell per field, related records by slug)."""

from collections.abc import Mapping
from contextvars import ContextVar
from operator import attrgetter
from types import MappingProxyType

from django.db.models.manager import BaseManager
from rest_framework import serializers
from rest_framework.fields import Field, SkipField, is_simple_callable
from rest_framework.relations import PKOnlyObject

from core.models import SerializedRows

# The context of the serializer being represented (its request, for absolute URLs), for the
# fields of the class's plan, which are built once per process (CompiledModelSerializer).
_live_context: ContextVar[Mapping] = ContextVar("serializer_context", default=MappingProxyType({}))


class _LiveContext(Mapping):
    """A plan's serializers' `context`: the context of the serializer now representing a
    record, whichever request it serves (a ContextVar, so threads and tasks each see
    their own)."""

    def __getitem__(self, key):
        return _live_context.get()[key]

    def __iter__(self):
        return iter(_live_context.get())

    def __len__(self):
        return len(_live_context.get())


LIVE_CONTEXT = _LiveContext()


class CompiledModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose `to_representation` walks a plan made once per class and
    process instead of DRF's per-row machinery (`_readable_fields`, the generic
    `get_attribute`, a nested serializer's own walk for each related row) and per-request
    fields (a ModelSerializer builds its fields from the model on every instance: about
    3.5 ms a request for a work's nine serializers, a seventh of its detail). The output is
    DRF's, key for key and value for value (tests/public/api/test_compiled_serializer.py
    compares both for every API serializer); a field's own `get_attribute` and
    `to_representation` still decide each value, so custom fields keep their meaning.

    The plan's fields belong to a template instance whose `context` is the live one
    (`LIVE_CONTEXT`): a field reading `self.context["request"]` gets the request being
    answered. So a subclass's fields must not depend on the arguments or the context an
    instance is made with, as a ModelSerializer's declared fields do not.

    Measured on the works list at 1M works (50 works a page, each with its themes, places,
    organisations, titles, sources and listings): see docs/benchmarks.md."""

    def to_representation(self, instance):
        context = self.context
        if context is LIVE_CONTEXT:  # a plan's own serializer: the context is set
            return self.walk(instance)
        token = _live_context.set(context)
        try:
            return self.walk(instance)
        finally:
            _live_context.reset(token)

    def walk(self, instance) -> dict:
        ret = {}
        for name, get, represent in self.plan():
            try:
                value = get(instance)
            except SkipField:
                continue
            ret[name] = None if value is None else represent(value)
        return ret

    @classmethod
    def plan(cls) -> list:
        """(key, read the value, represent it) for each readable field, made once per class
        from a template instance."""
        plan = cls.__dict__.get("_plan")
        if plan is None:
            template = cls(context=LIVE_CONTEXT)
            plan = [_step(field) for field in template._readable_fields]
            cls._plan = plan
        return plan


def _step(field):
    """(key, read the value from the instance, represent it) for one readable field."""
    if isinstance(field, serializers.ListSerializer) and isinstance(
        field.child, CompiledModelSerializer
    ):
        child = field.child.walk

        def represent(value):
            if isinstance(value, SerializedRows):  # written by the database as shown
                return value.fragment()
            return [
                child(item) for item in (value.all() if isinstance(value, BaseManager) else value)
            ]

    elif isinstance(field, CompiledModelSerializer):
        represent = field.walk
    else:
        # Looked up on each call, not kept: the plan outlives any one request, and a field
        # class changed since (a test's monkeypatch) must be seen.
        def represent(value):
            return field.to_representation(value)

    return field.field_name, _getter(field), represent


def _getter(field):
    """The field's value: the plain attribute or key path read directly where the field
    keeps DRF's own `get_attribute`, anything unusual (a missing key, a callable, a custom
    field) left to the field itself."""
    attrs = field.source_attrs
    if type(field).get_attribute is not Field.get_attribute or len(attrs) != 1:
        return _checked(field)
    (attr,) = attrs

    def get(instance):
        try:
            value = instance[attr] if isinstance(instance, Mapping) else getattr(instance, attr)
        except (KeyError, AttributeError):
            return field.get_attribute(instance)  # DRF's default, null or skip
        if is_simple_callable(value):
            return field.get_attribute(instance)
        return value

    return get


def _checked(field):
    """DRF's own reading, with its check of a primary-key-only object for None."""

    def get(instance):
        value = field.get_attribute(instance)
        if isinstance(value, PKOnlyObject) and value.pk is None:
            return None
        return value

    return get


class JoinedField(serializers.Field):
    """Related records in one cell, each as `item` gives it (the slug unless told): the
    CSV renderer joins them with `; `. Reads prefetched relations (a manager's `.all()`, or
    a list from `Prefetch(to_attr=...)`)."""

    def __init__(self, item=attrgetter("slug"), **kwargs):
        self.item = item
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        items = value.all() if hasattr(value, "all") else value
        return [self.item(each) for each in items]


class SlugField(serializers.SlugRelatedField):
    """A related record by its slug; empty when there is none."""

    def __init__(self, **kwargs):
        kwargs.update(slug_field="slug", read_only=True)
        super().__init__(**kwargs)

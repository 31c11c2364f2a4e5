"""The serializers' shared parts: a representation compiled once per request, and the
fields of the flat CSV serializers (one cell per field, related records by slug)."""

from collections.abc import Mapping
from operator import attrgetter

from django.db.models.manager import BaseManager
from rest_framework import serializers
from rest_framework.fields import Field, SkipField, is_simple_callable
from rest_framework.relations import PKOnlyObject


class CompiledModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose `to_representation` walks a plan made once per serializer
    instance (so once per request for every row of a page) instead of DRF's per-row
    machinery: `_readable_fields`, the generic `get_attribute` and a nested serializer's own
    walk for each related row. The output is DRF's, key for key and value for value
    (tests/public/api/test_compiled_serializer.py compares both for every API serializer); a
    field's own `get_attribute` and `to_representation` still decide each value, so custom
    fields keep their meaning.

    Measured on the works list at 1M works (50 works a page, each with its themes, places,
    organisations, titles, sources and listings): see docs/benchmarks.md."""

    def to_representation(self, instance):
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self._plan = [_step(field) for field in self._readable_fields]
        ret = {}
        for name, get, represent in plan:
            try:
                value = get(instance)
            except SkipField:
                continue
            ret[name] = None if value is None else represent(value)
        return ret


def _step(field):
    """(key, read the value from the instance, represent it) for one readable field."""
    if isinstance(field, serializers.ListSerializer) and isinstance(
        field.child, CompiledModelSerializer
    ):
        child = field.child.to_representation

        def represent(value):
            return [
                child(item) for item in (value.all() if isinstance(value, BaseManager) else value)
            ]

    else:
        represent = field.to_representation
    return field.field_name, _getter(field), represent


def _getter(field):
    """The field's value: the plain attribute or key path read directly where the field
    keeps DRF's own `get_attribute`, anything unusual (a missing key, a callable, a custom
    field) left to the field itself."""
    attrs = field.source_attrs
    if type(field).get_attribute is not Field.get_attribute or len(attrs) != 1:
        return _checked(field.get_attribute)
    (attr,) = attrs
    get_attribute = field.get_attribute

    def get(instance):
        try:
            value = instance[attr] if isinstance(instance, Mapping) else getattr(instance, attr)
        except (KeyError, AttributeError):
            return get_attribute(instance)  # DRF's default, null or skip
        if is_simple_callable(value):
            return get_attribute(instance)
        return value

    return get


def _checked(get_attribute):
    """DRF's own reading, with its check of a primary-key-only object for None."""

    def get(instance):
        value = get_attribute(instance)
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

"""Fields of the flat CSV serializers: one cell per field, related records by slug."""

from operator import attrgetter

from rest_framework import serializers


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

"""Filter fields and filters the FilterSets share: free text, "changed since" for sync,
years, and related records by id. Each turns a malformed value into a form error (a 400 on
the API, a message on the page), never a database error."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from .search import MAX_QUERY_LENGTH, normalise_query


class SearchQueryField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_query(super().to_python(value))


def _search_label():
    return gettext("Text search (English or Chinese), %(max)d characters at most") % {
        "max": MAX_QUERY_LENGTH
    }


# Lazy, so the label is in the visitor's language: `%` on a lazy string translates it at
# once, in the language active when the module is imported.
search_label = lazy(_search_label, str)


def state_in_schema(filter_, schema: dict) -> None:
    """Give the API schema what the form field checks (bounds, lengths), keeping the filter's
    description, which drf-spectacular drops when a schema is given by hand."""
    description = filter_.extra.get("help_text") or filter_.label
    extend_schema_field({**schema, **({"description": description} if description else {})})(
        filter_
    )


class SearchFilter(django_filters.CharFilter):
    """Free text, English or Chinese, from one character to MAX_QUERY_LENGTH, over the
    fields the model says it is searched by (`queryset.search()`, core.search)."""

    field_class = SearchQueryField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Text contains"))
        kwargs.setdefault("help_text", search_label())
        super().__init__(**kwargs)
        state_in_schema(self, {"type": "string", "maxLength": MAX_QUERY_LENGTH})

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.search(value)


class ChangedSinceField(forms.CharField):
    """An ISO 8601 date or date-time; a date means its midnight in the site's time zone."""

    default_error_messages = {
        "invalid": _(
            "Enter an ISO 8601 date or date-time, e.g. 2024-10-12 or 2024-10-12T08:00:00Z."
        )
    }

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            parsed = parse_datetime(value.replace(" ", "+")) or parse_date(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if not isinstance(parsed, datetime.datetime):
            parsed = datetime.datetime.combine(parsed, datetime.time.min)
        try:
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed)
            # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows, and a
            # moment with no UTC year 1-9999 is invalid rather than an overflow.
            return parsed.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class ChangedSinceFilter(django_filters.Filter):
    field_class = ChangedSinceField

    def __init__(self, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault(
            "label", _("Changed at or after this ISO 8601 date or date-time (for sync)")
        )
        super().__init__(**kwargs)


YEAR_MIN, YEAR_MAX = 1900, 2100


class ModelMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Related records chosen by the request. Nothing chosen cleans to `[]`, a value
    django-filter skips, rather than Django's `queryset.none()`, which it hands to the filter:
    each `if not value` there compiled that queryset (ten related filters on the works
    list: 10 of the 42 ms a work's detail took at 1M works)."""

    def clean(self, value):
        if not value and not self.required:
            return []
        return super().clean(value)


class IdMultipleChoiceField(ModelMultipleChoiceField):
    """Record ids: a number beyond a 64-bit integer is an invalid value (400), not a database
    overflow (500)."""

    def _check_values(self, value):
        for pk in value:
            try:
                out_of_range = abs(int(str(pk).strip())) >= 2**63
            except ValueError:
                continue  # the parent reports a non-number
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class IdFilter(django_filters.ModelMultipleChoiceFilter):
    """Related records by id (`theme_id=3`); several mean any of them."""

    field_class = IdMultipleChoiceField

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        state_in_schema(self, {"type": "integer"})


class SlugFilter(django_filters.ModelMultipleChoiceFilter):
    """Related records by slug (`theme=rural-revitalisation`); several mean any of them."""

    field_class = ModelMultipleChoiceField

    def __init__(self, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(**kwargs)
        state_in_schema(self, {"type": "string"})


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """One related record by slug (`within=zhejiang`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(**kwargs)
        state_in_schema(self, {"type": "string"})


class BoundedNumberFilter(django_filters.NumberFilter):
    """A whole number within bounds that the form checks and the schema states."""

    field_class = forms.IntegerField

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        state_in_schema(self, {"type": "integer", "minimum": min_value, "maximum": max_value})


class YearFilter(BoundedNumberFilter):
    def __init__(self, **kwargs):
        super().__init__(min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)


class StrictCSVField(django_filters.fields.BaseCSVField):
    """Comma-separated values with no empty one: `title,` and `,` are mistakes to report,
    not an empty sort key to hand to the database."""

    default_error_messages = {
        "empty_item": _("Leave out empty values: separate the sort keys with single commas.")
    }

    def clean(self, value):
        if value and any(item in self.empty_values for item in value):
            raise ValidationError(self.error_messages["empty_item"], code="empty_item")
        return super().clean(value)


def _descending(label) -> str:
    return gettext("%s (descending)") % label


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's ordering, which lets an empty sort key (`?ordering=,`) reach the
    database; here it is a form error like any other bad value."""

    base_field_class = StrictCSVField

    def build_choices(self, fields, labels):
        """django-filter's choices, with the descending labels translated when shown:
        django-filter formats "%s (descending)" when the FilterSet class is defined, in the
        language active then, so the Chinese works page offered "First recorded
        (descending)" beside "首次收录"."""
        choices = super().build_choices(fields, labels)
        ascending = dict(choices[::2])
        return [
            (param, labels.get(param, lazy(_descending, str)(ascending[param[1:]])))
            if param.startswith("-")
            else (param, label)
            for param, label in choices
        ]

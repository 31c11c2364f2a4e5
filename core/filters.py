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

from .search import MAX_QUERY_LENGTH, normalise_query, text_search


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


class SearchFilter(django_filters.CharFilter):
    """Free text over the given model fields: English or Chinese, any length from one
    character to MAX_QUERY_LENGTH."""

    field_class = SearchQueryField

    def __init__(self, *, search_fields, fuzzy_fields, **kwargs):
        self.search_fields = search_fields
        self.fuzzy_fields = fuzzy_fields
        kwargs.setdefault("label", search_label())
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return text_search(qs, self.search_fields, value, fuzzy_fields=self.fuzzy_fields)


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


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)


class IdMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
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


class IdMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Related records by id (`theme_id=3`); several mean any of them."""

    field_class = IdMultipleChoiceField


class YearFilter(django_filters.NumberFilter):
    # A class attribute: django-filter passes unknown keyword arguments (such as
    # `field_class=`) on to the form field, which rejects them.
    field_class = YearField

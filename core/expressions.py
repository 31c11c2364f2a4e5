"""Query expressions shared by the apps."""

from django.db.models import BooleanField, F, Func, Subquery
from django.db.models.expressions import RawSQL


class InSubquery(Func):
    """`field IN (subquery)`, written `field = ANY(ARRAY(subquery))` on PostgreSQL: there the
    subquery runs once and the outer query fetches its rows by the field's index, where
    `IN (subquery)` (or an OR of EXISTS) lets the planner scan the whole outer table and
    probe each row (issue 11: 850 ms for a theme's 13,000 works among 100,000, see
    docs/benchmarks-scale.md). The subquery may be a UNION of querysets (`.values()` of one
    column, unordered), or a RawSQL SELECT of one column."""

    output_field = BooleanField()
    conditional = True
    template = "%(expressions)s"
    arg_joiner = " IN "

    def __init__(self, field: str, queryset):
        rows = queryset if isinstance(queryset, RawSQL) else Subquery(queryset)
        super().__init__(F(field), rows)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="%(expressions)s)",
            arg_joiner=" = ANY(ARRAY",
            **extra_context,
        )

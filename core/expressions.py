"""Query expressions shared by the apps."""

from django.db.models import BooleanField, F, Func, Subquery


class InSubquery(Func):
    """`field IN (subquery)`, written `field = ANY(ARRAY(subquery))` on PostgreSQL: there the
    subquery runs once and the outer query fetches its rows by the field's index, where
    `IN (subquery)` (or an OR of EXISTS) lets the planner scan the whole outer table and
    probe each row (issue 11: 850 ms for a theme's 13,000 works among 100,000, see
    docs/benchmarks-scale.md). The subquery may be a UNION of querysets (`.values()` of one
    column, unordered), or an expression that renders a parenthesised SELECT of one column
    (a RawSQL)."""

    output_field = BooleanField()
    conditional = True
    template = "%(expressions)s"
    arg_joiner = " IN "

    def __init__(self, field: str, queryset):
        rows = Subquery(queryset) if hasattr(queryset, "query") else queryset
        super().__init__(F(field), rows)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="%(expressions)s)",
            arg_joiner=" = ANY(ARRAY",
            **extra_context,
        )

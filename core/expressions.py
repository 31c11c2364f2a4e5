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


class InValues(Func):
    """`field IN (the values)`, written `field = ANY(%s)` with the values as one array on
    PostgreSQL: one parameter however many values, where `__in` writes one placeholder per
    value (10,000 of them for a facet's bound of works)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, values):
        super().__init__(F(field))
        self.values = list(values)

    def as_sql(self, compiler, connection, **extra_context):
        field, params = compiler.compile(self.source_expressions[0])
        if not self.values:
            return "1 = 0", []
        placeholders = ", ".join(["%s"] * len(self.values))
        return f"{field} IN ({placeholders})", [*params, *self.values]

    def as_postgresql(self, compiler, connection, **extra_context):
        field, params = compiler.compile(self.source_expressions[0])
        return f"{field} = ANY(%s)", [*params, self.values]

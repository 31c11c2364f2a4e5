"""Editors' back office for initiatives, batches, recommendations, sources and figures."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Batch,
    BatchThemeCount,
    Figure,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
    Source,
)


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "reference"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "reference", "url"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"


class InitiativeOrganisationInline(admin.TabularInline):
    model = InitiativeOrganisation
    extra = 0
    autocomplete_fields = ["organisation", "source"]


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_original", "kind", "launched_on", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "name_original", "slug", "aims"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "place", "themes", "sources"]
    inlines = [InitiativeOrganisationInline]


@admin.register(InitiativeOrganisation)
class InitiativeOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "role", "organisation", "source"]
    list_filter = ["role", "initiative"]
    search_fields = ["initiative__name", "organisation__name", "organisation__name_original"]
    autocomplete_fields = ["initiative", "organisation", "source"]


class BatchThemeCountInline(admin.TabularInline):
    model = BatchThemeCount
    extra = 0
    autocomplete_fields = ["theme", "source"]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    autocomplete_fields = ["work", "theme", "source"]


@admin.register(Batch)
class BatchAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "initiative",
        "number",
        "announced_on",
        "total_announced",
        "status",
        "published_at",
    ]
    list_filter = ["status", "initiative"]
    search_fields = ["initiative__name", "initiative__name_original", "event", "slug"]
    autocomplete_fields = ["initiative", "sources"]
    readonly_fields = ["slug", "published_at", "published_by"]
    inlines = [BatchThemeCountInline, RecommendationInline]


@admin.register(BatchThemeCount)
class BatchThemeCountAdmin(SimpleHistoryAdmin):
    list_display = ["batch", "theme", "announced"]
    list_filter = ["theme", "batch__initiative"]
    search_fields = ["batch__initiative__name", "theme__name"]
    autocomplete_fields = ["batch", "theme", "source"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["work", "batch", "theme", "source"]
    list_filter = ["batch__initiative", "batch__status", "theme"]
    search_fields = ["work__title", "work__title_original", "batch__initiative__name"]
    autocomplete_fields = ["batch", "work", "theme", "source"]


@admin.register(Figure)
class FigureAdmin(SimpleHistoryAdmin):
    list_display = ["label", "display", "period", "source", "position"]
    list_filter = ["source"]
    search_fields = ["label", "quote", "attributed_to"]
    prepopulated_fields = {"slug": ["label"]}
    autocomplete_fields = ["place", "initiative", "source"]

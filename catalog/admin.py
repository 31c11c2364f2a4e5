"""Editors' back office for themes, places, organisations and works."""

from django.contrib import admin

from core.admin import HTTPS_URLS, LargeListAdmin, LoadedRelationsInline, PublicationAdmin

from .models import (
    Organisation,
    Place,
    Source,
    Theme,
    Work,
    WorkOrganisation,
    WorkPlace,
    WorkTitle,
)


@admin.register(Source)
class SourceAdmin(PublicationAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "publisher", "published_on", "reference"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "reference", "url"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"


@admin.register(Theme)
class ThemeAdmin(PublicationAdmin):
    list_display = ["name", "name_original", "slug", "position", "updated_at"]
    list_filter = ["initiatives"]
    search_fields = ["name", "name_original", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sources"]


@admin.register(Place)
class PlaceAdmin(PublicationAdmin):
    list_display = [
        "name",
        "name_original",
        "kind",
        "code",
        "parent",
        "latitude",
        "longitude",
        "coordinates_basis",
    ]
    list_select_related = ["parent"]
    list_filter = ["kind", "coordinates_basis"]
    search_fields = ["name", "name_original", "slug", "code"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sources"]


@admin.register(Organisation)
class OrganisationAdmin(PublicationAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "name_original", "kind", "parent", "place"]
    list_select_related = ["parent", "place"]
    list_filter = ["kind"]
    search_fields = ["name", "name_original", "slug"]
    autocomplete_fields = ["parent", "place"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sources"]


class WorkPlaceInline(LoadedRelationsInline, admin.TabularInline):
    model = WorkPlace
    loaded_relations = ("work", "place", "source")
    extra = 0
    autocomplete_fields = ["place", "source"]


class WorkTitleInline(LoadedRelationsInline, admin.TabularInline):
    model = WorkTitle
    loaded_relations = ("work", "source")
    extra = 0
    autocomplete_fields = ["source"]


class WorkOrganisationInline(LoadedRelationsInline, admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = WorkOrganisation
    loaded_relations = ("work", "organisation", "source")
    extra = 0
    autocomplete_fields = ["organisation", "source"]


@admin.register(Work)
class WorkAdmin(LargeListAdmin, PublicationAdmin):
    """Works with their places and organisations inline; initiatives/admin.py adds the
    batches that list each work."""

    list_display = [
        "title",
        "title_original",
        "season",
        "episodes",
        "year",
        "updated_at",
    ]
    list_filter = ["themes", "year"]
    # Each served by a trigram index on UPPER(field), as Django's `icontains` writes it; the
    # slug is matched whole (get_search_results).
    search_fields = ["title", "title_original", "synopsis"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["themes", "sources"]
    inlines = [WorkTitleInline, WorkPlaceInline, WorkOrganisationInline]

    def get_search_results(self, request, queryset, search_term):
        """The text fields as Django searches them, or the slug exactly (by its unique
        index). A slug among the fields searched by `icontains` (UPPER(slug), which no
        index serves) made every search read the whole table: 2 s at 1M works, whatever
        was searched."""
        searched, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            searched |= queryset.filter(slug=search_term.strip())
        return searched, may_have_duplicates


@admin.register(WorkTitle)
class WorkTitleAdmin(LargeListAdmin, PublicationAdmin):
    list_display = ["title", "language", "work", "source"]
    list_select_related = ["work", "source"]
    list_filter = ["language"]
    search_fields = ["title", "work__title", "work__title_original", "excerpt"]
    autocomplete_fields = ["work", "source"]


@admin.register(WorkPlace)
class WorkPlaceAdmin(LargeListAdmin, PublicationAdmin):
    list_display = ["work", "relation", "place", "source"]
    list_select_related = ["work", "place", "source"]
    list_filter = ["relation"]
    search_fields = ["work__title", "work__title_original", "place__name", "place__name_original"]
    autocomplete_fields = ["work", "place", "source"]


@admin.register(WorkOrganisation)
class WorkOrganisationAdmin(LargeListAdmin, PublicationAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["work", "role", "organisation", "source"]
    list_select_related = ["work", "organisation", "source"]
    list_filter = ["role"]
    search_fields = ["work__title", "work__title_original", "organisation__name"]
    autocomplete_fields = ["work", "organisation", "source"]

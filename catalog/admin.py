"""Editors' back office for themes, places, organisations and works."""

from django.contrib import admin
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from initiatives.models import Batch, Recommendation

from .models import Organisation, Place, Theme, Work, WorkOrganisation, WorkPlace

# An address typed without a scheme is taken as https:// (Django 6's default, today).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_original", "slug", "position", "updated_at"]
    list_filter = ["initiatives"]
    search_fields = ["name", "name_original", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sources"]


@admin.register(Place)
class PlaceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_original", "kind", "parent", "latitude", "longitude"]
    list_select_related = ["parent"]
    list_filter = ["kind"]
    search_fields = ["name", "name_original", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sources"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "name_original", "kind", "parent", "place"]
    list_select_related = ["parent", "place"]
    list_filter = ["kind"]
    search_fields = ["name", "name_original", "slug"]
    autocomplete_fields = ["parent", "place"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sources"]


class WorkPlaceInline(admin.TabularInline):
    model = WorkPlace
    extra = 0
    autocomplete_fields = ["place", "source"]


class WorkOrganisationInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = WorkOrganisation
    extra = 0
    autocomplete_fields = ["organisation", "source"]


class PublicFilter(admin.SimpleListFilter):
    """Whether the public sees the work: hidden while it is listed only in draft batches."""

    title = _("public")
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [("yes", _("public")), ("no", _("hidden (draft batches only)"))]

    def queryset(self, request, queryset):
        published = Work.objects.published().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=published)
        if self.value() == "no":
            return queryset.exclude(pk__in=published)
        return queryset


class RecommendationInline(admin.TabularInline):
    """The batches that list the work; a listing is added from the batch page."""

    model = Recommendation
    extra = 0
    fields = ["batch", "theme", "source"]
    autocomplete_fields = ["batch", "theme", "source"]
    verbose_name = _("listing in a batch")
    verbose_name_plural = _("listed in batches")


@admin.register(Work)
class WorkAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "title_original",
        "season",
        "episodes",
        "year",
        "updated_at",
        "public_page",
    ]
    list_filter = [PublicFilter, "themes", "year", "recommendations__batch__initiative"]
    search_fields = ["title", "title_original", "slug", "synopsis"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["themes", "sources"]
    inlines = [WorkPlaceInline, WorkOrganisationInline, RecommendationInline]

    def get_queryset(self, request):
        listed = Recommendation.objects.filter(work=OuterRef("pk"))
        published = listed.filter(batch__status=Batch.Status.PUBLISHED)
        # The same rule as Work.objects.published(), as a column, so the list needs no
        # query per row to know which works the public sees.
        return (
            super()
            .get_queryset(request)
            .annotate(
                is_public=ExpressionWrapper(Exists(published) | ~Exists(listed), BooleanField())
            )
        )

    @admin.display(description=_("public page"), ordering="is_public")
    def public_page(self, work):
        if not work.is_public:
            return _("hidden: listed only in draft batches")
        return format_html('<a href="{}">{}</a>', work.get_absolute_url(), _("view on site"))

    def view_on_site(self, work):
        # No "View on site" button to a page that answers 404 until a batch is published.
        if Work.objects.published().filter(pk=work.pk).exists():
            return work.get_absolute_url()
        return None


@admin.register(WorkPlace)
class WorkPlaceAdmin(SimpleHistoryAdmin):
    list_display = ["work", "relation", "place", "source"]
    list_select_related = ["work", "place", "source"]
    list_filter = ["relation"]
    search_fields = ["work__title", "work__title_original", "place__name", "place__name_original"]
    autocomplete_fields = ["work", "place", "source"]


@admin.register(WorkOrganisation)
class WorkOrganisationAdmin(SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["work", "role", "organisation", "source"]
    list_select_related = ["work", "organisation", "source"]
    list_filter = ["role"]
    search_fields = ["work__title", "work__title_original", "organisation__name"]
    autocomplete_fields = ["work", "organisation", "source"]

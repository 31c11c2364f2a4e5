"""API representations of every public record: works, themes, places, organisations,
initiatives and batches.

Related records appear as small summaries (slug, names, kind) so one request gives a partner
what a list needs; the full record is one request away at its own endpoint, by slug.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import (
    Organisation,
    Place,
    Source,
    Theme,
    Work,
    WorkOrganisation,
    WorkPlace,
    WorkTitle,
)
from core.api.serializers import CompiledModelSerializer, JoinedField, SlugField
from initiatives.models import Batch, Figure, Initiative, InitiativeOrganisation, Recommendation

#
# Shared
#


@extend_schema_field({"type": "string", "format": "uri", "description": "The public page."})
class PublicUrlField(serializers.Field):
    """The record's public page as an absolute URL, in the site's default language whatever
    the request's Accept-Language, so the same record always has the same `url`."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        # Activating a language and back cost 12 to 40 µs a record (up to 2 ms of a page of
        # 50 works): done only when another one is active.
        if translation.get_language() == settings.LANGUAGE_CODE:
            path = value.get_absolute_url()
        else:
            with translation.override(settings.LANGUAGE_CODE):
                path = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class OptionalURLField(serializers.URLField):
    """An address the source may not give: null rather than an empty string, so the value
    is either a URL or nothing."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, allow_null=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


class SourceSummarySerializer(CompiledModelSerializer):
    url = OptionalURLField(help_text="The document's own address, if any.")

    class Meta:
        model = Source
        fields = ["slug", "title", "publisher", "published_on", "url", "language"]


class ThemeSummarySerializer(CompiledModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name", "name_original"]


class PlaceSummarySerializer(CompiledModelSerializer):
    class Meta:
        model = Place
        fields = ["slug", "name", "name_original", "kind"]


class OrganisationSummarySerializer(CompiledModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "name_original", "kind"]


class InitiativeSummarySerializer(CompiledModelSerializer):
    class Meta:
        model = Initiative
        fields = ["slug", "name", "name_original"]


class BatchSummarySerializer(CompiledModelSerializer):
    class Meta:
        model = Batch
        fields = ["slug", "number", "announced_on", "announced_precision"]


#
# Works
#


# The link serializers below read the objects of public/api/rows.py: the linked record's
# fields and the link's own, side by side.


class WorkPlaceSerializer(CompiledModelSerializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    name_original = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Place.Kind.choices, read_only=True)

    class Meta:
        model = WorkPlace
        fields = ["slug", "name", "name_original", "kind", "relation"]


class WorkOrganisationSerializer(CompiledModelSerializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    name_original = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, read_only=True)
    watch_url = OptionalURLField(help_text="Where to watch the work on this platform, if known.")

    class Meta:
        model = WorkOrganisation
        fields = ["slug", "name", "name_original", "kind", "role", "watch_url"]


class WorkRecommendationSerializer(CompiledModelSerializer):
    """Reads the objects of rows.recommendation_rows()."""

    initiative = InitiativeSummarySerializer(read_only=True)
    batch = BatchSummarySerializer(read_only=True)
    theme = ThemeSummarySerializer(
        read_only=True, allow_null=True, help_text="Null where the source names no theme."
    )
    date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="When the batch was announced.",
    )

    class Meta:
        model = Recommendation
        fields = ["initiative", "batch", "theme", "date"]


class WorkTitleSerializer(CompiledModelSerializer):
    source = SourceSummarySerializer(read_only=True)

    class Meta:
        model = WorkTitle
        fields = ["title", "language", "source", "excerpt"]


class WorkSerializer(CompiledModelSerializer):
    """A micro-drama with everything a partner lists it by. `title` is its English title and
    `title_original` its Chinese one; either may be empty where no source gives it (never
    both). `titles` lists every rendering with the source that gives it."""

    url = PublicUrlField()
    titles = WorkTitleSerializer(
        source="title_rows",
        many=True,
        read_only=True,
        help_text="Each title as a source renders it, with the source's words.",
    )
    themes = ThemeSummarySerializer(source="theme_rows", many=True, read_only=True)
    places = WorkPlaceSerializer(source="place_rows", many=True, read_only=True)
    organisations = WorkOrganisationSerializer(
        source="organisation_rows", many=True, read_only=True
    )
    recommendations = WorkRecommendationSerializer(
        source="recommendation_rows",
        many=True,
        read_only=True,
        help_text="The published batches that list the work.",
    )
    sources = SourceSummarySerializer(source="source_rows", many=True, read_only=True)

    class Meta:
        model = Work
        fields = [
            "id",
            "slug",
            "url",
            "title",
            "title_original",
            "titles",
            "synopsis",
            "season",
            "episodes",
            "episode_minutes",
            "year",
            "themes",
            "places",
            "organisations",
            "recommendations",
            "sources",
            "created_at",
            "updated_at",
        ]


#
# Themes, places, organisations
#


class ThemeSerializer(CompiledModelSerializer):
    """A subject under which works are recommended."""

    url = PublicUrlField()
    initiatives = InitiativeSummarySerializer(source="initiative_rows", many=True, read_only=True)
    sources = SourceSummarySerializer(source="source_rows", many=True, read_only=True)

    class Meta:
        model = Theme
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "name_original",
            "description",
            "position",
            "initiatives",
            "sources",
            "created_at",
            "updated_at",
        ]


class PlaceSerializer(CompiledModelSerializer):
    """A province, city, county or site; `parent` is the place it lies in."""

    url = PublicUrlField()
    parent = PlaceSummarySerializer(read_only=True, allow_null=True)
    sources = SourceSummarySerializer(source="source_rows", many=True, read_only=True)

    class Meta:
        model = Place
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "name_original",
            "kind",
            "code",
            "parent",
            "latitude",
            "longitude",
            "coordinates_basis",
            "description",
            "sources",
            "created_at",
            "updated_at",
        ]


class OrganisationSerializer(CompiledModelSerializer):
    """A regulator, broadcaster, platform, producer, brand or association."""

    url = PublicUrlField()
    parent = OrganisationSummarySerializer(read_only=True, allow_null=True)
    place = PlaceSummarySerializer(read_only=True, allow_null=True)
    website = OptionalURLField()
    sources = SourceSummarySerializer(source="source_rows", many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "name_original",
            "kind",
            "parent",
            "place",
            "description",
            "website",
            "sources",
            "created_at",
            "updated_at",
        ]


#
# Initiatives
#


class InitiativeOrganisationSerializer(CompiledModelSerializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    name_original = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = InitiativeOrganisation
        fields = ["slug", "name", "name_original", "kind", "role"]


class InitiativeSerializer(CompiledModelSerializer):
    """A creation plan or programme, with its organisations, themes and published batches."""

    url = PublicUrlField()
    parent = InitiativeSummarySerializer(read_only=True, allow_null=True)
    place = PlaceSummarySerializer(read_only=True, allow_null=True)
    themes = ThemeSummarySerializer(source="theme_rows", many=True, read_only=True)
    organisations = InitiativeOrganisationSerializer(
        source="organisation_rows", many=True, read_only=True
    )
    batches = BatchSummarySerializer(
        source="batch_rows",
        many=True,
        read_only=True,
        help_text="Published batches, by number.",
    )
    sources = SourceSummarySerializer(source="source_rows", many=True, read_only=True)

    class Meta:
        model = Initiative
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "name_original",
            "kind",
            "parent",
            "launched_on",
            "launched_precision",
            "aims",
            "description",
            "place",
            "themes",
            "organisations",
            "batches",
            "sources",
            "created_at",
            "updated_at",
        ]


#
# Batches
#


class BatchThemeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    name_original = serializers.CharField()
    announced = serializers.IntegerField(
        allow_null=True, help_text="Works the batch announced under the theme, if known."
    )
    listed = serializers.IntegerField(help_text="Works the catalog lists under the theme.")


class BatchSerializer(CompiledModelSerializer):
    """A batch: what it announced (in all and per theme) next to what the catalog lists.
    The catalog lists only the works a source names, so `listed` can be below `announced`.

    `total_basis` says how the count is known: `stated` (the source and its words are in
    `total_source` and `total_excerpt`) or `derived` (computed from other counts, as
    `total_arithmetic` shows). `running_total` is the initiative's total after this batch,
    with the same three companions."""

    url = PublicUrlField()
    initiative = InitiativeSummarySerializer(read_only=True)
    announced_by_theme = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Sum of the per-theme announced counts; null when none is known.",
    )
    listed_count = serializers.IntegerField(
        read_only=True, help_text="Works the catalog lists in this batch."
    )
    themes = serializers.SerializerMethodField(
        help_text="Per theme: works announced and works listed."
    )
    listed_without_theme = serializers.SerializerMethodField(
        help_text="Works listed where the source names no theme (part of `listed_count`)."
    )
    works_url = serializers.SerializerMethodField(help_text="The API list of its works.")
    total_source = SourceSummarySerializer(
        read_only=True, allow_null=True, help_text="The source that states the count."
    )
    running_total_source = SourceSummarySerializer(
        read_only=True, allow_null=True, help_text="The source that states the running total."
    )
    sources = SourceSummarySerializer(source="source_rows", many=True, read_only=True)

    class Meta:
        model = Batch
        fields = [
            "id",
            "slug",
            "url",
            "initiative",
            "number",
            "announced_on",
            "announced_precision",
            "event",
            "total_announced",
            "total_basis",
            "total_arithmetic",
            "total_source",
            "total_excerpt",
            "running_total",
            "running_total_basis",
            "running_total_arithmetic",
            "running_total_source",
            "running_total_excerpt",
            "announced_by_theme",
            "listed_count",
            "themes",
            "listed_without_theme",
            "works_url",
            "sources",
            "published_at",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(BatchThemeSerializer(many=True))
    def get_themes(self, batch):
        return [
            {
                "slug": row.theme.slug,
                "name": row.theme.name,
                "name_original": row.theme.name_original,
                "announced": row.announced,
                "listed": row.listed,
            }
            for row in batch.tally().themes
        ]

    def get_listed_without_theme(self, batch) -> int:
        return len(batch.tally().without_theme)

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_works_url(self, batch):
        path = f"{reverse('api:work-list')}?{urlencode({'batch': batch.slug})}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


#
# Figures
#


class FigureSerializer(CompiledModelSerializer):
    """A statistic a source quotes, with who said it, their position, the period it covers
    and the source's own words."""

    place = PlaceSummarySerializer(read_only=True, allow_null=True)
    initiative = InitiativeSummarySerializer(read_only=True, allow_null=True)
    source = SourceSummarySerializer(read_only=True)
    value = serializers.DecimalField(
        max_digits=20, decimal_places=4, coerce_to_string=True, read_only=True
    )

    class Meta:
        model = Figure
        fields = [
            "id",
            "slug",
            "label",
            "value",
            "qualifier",
            "unit",
            "display",
            "period",
            "quote",
            "attributed_to",
            "speaker_position",
            "place",
            "initiative",
            "source",
            "created_at",
            "updated_at",
        ]


#
# CSV (`format=csv` on lists): flat, one column per field, related records by slug
#


def slug_and(relation: str):
    """A link (an object of public/api/rows.py) as `slug (role)`: the linked record's slug
    and the link's role or relation."""
    return lambda link: f"{link['slug']} ({link[relation]})"


def slug_of(row) -> str:
    return row["slug"]


class WorkCSVSerializer(CompiledModelSerializer):
    themes = JoinedField(slug_of, source="theme_rows")
    places = JoinedField(slug_and("relation"), source="place_rows")
    organisations = JoinedField(slug_and("role"), source="organisation_rows")
    batches = JoinedField(slug_of, source="batch_rows")
    url = PublicUrlField()

    class Meta:
        model = Work
        fields = [
            "id",
            "slug",
            "title",
            "title_original",
            "season",
            "episodes",
            "episode_minutes",
            "year",
            "themes",
            "places",
            "organisations",
            "batches",
            "url",
            "updated_at",
        ]


class ThemeCSVSerializer(CompiledModelSerializer):
    initiatives = JoinedField(slug_of, source="initiative_rows")
    url = PublicUrlField()

    class Meta:
        model = Theme
        fields = [
            "id",
            "slug",
            "name",
            "name_original",
            "position",
            "initiatives",
            "url",
            "updated_at",
        ]


class PlaceCSVSerializer(CompiledModelSerializer):
    parent = SlugField()
    url = PublicUrlField()

    class Meta:
        model = Place
        fields = [
            "id",
            "slug",
            "name",
            "name_original",
            "kind",
            "code",
            "parent",
            "latitude",
            "longitude",
            "coordinates_basis",
            "url",
            "updated_at",
        ]


class OrganisationCSVSerializer(CompiledModelSerializer):
    parent = SlugField()
    place = SlugField()
    website = OptionalURLField()
    url = PublicUrlField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "slug",
            "name",
            "name_original",
            "kind",
            "parent",
            "place",
            "website",
            "url",
            "updated_at",
        ]


class InitiativeCSVSerializer(CompiledModelSerializer):
    themes = JoinedField(slug_of, source="theme_rows")
    organisations = JoinedField(slug_and("role"), source="organisation_rows")
    batches = JoinedField(slug_of, source="batch_rows")
    url = PublicUrlField()

    class Meta:
        model = Initiative
        fields = [
            "id",
            "slug",
            "name",
            "name_original",
            "kind",
            "launched_on",
            "themes",
            "organisations",
            "batches",
            "url",
            "updated_at",
        ]


def theme_tally(row) -> str:
    announced = "?" if row.announced is None else row.announced
    return f"{row.theme.slug} ({announced} announced, {row.listed} listed)"


class BatchCSVSerializer(CompiledModelSerializer):
    initiative = SlugField()
    announced_by_theme = serializers.IntegerField(read_only=True, allow_null=True)
    listed_count = serializers.IntegerField(read_only=True)
    themes = serializers.SerializerMethodField()
    url = PublicUrlField()

    class Meta:
        model = Batch
        fields = [
            "id",
            "slug",
            "initiative",
            "number",
            "announced_on",
            "event",
            "total_announced",
            "total_basis",
            "total_arithmetic",
            "running_total",
            "running_total_basis",
            "running_total_arithmetic",
            "announced_by_theme",
            "listed_count",
            "themes",
            "url",
            "updated_at",
        ]

    def get_themes(self, batch) -> list[str]:
        return [theme_tally(row) for row in batch.tally().themes]


class FigureCSVSerializer(CompiledModelSerializer):
    value = serializers.DecimalField(max_digits=20, decimal_places=4, read_only=True)
    place = SlugField()
    initiative = SlugField()
    source = SlugField()

    class Meta:
        model = Figure
        fields = [
            "id",
            "slug",
            "label",
            "value",
            "qualifier",
            "unit",
            "display",
            "period",
            "attributed_to",
            "speaker_position",
            "place",
            "initiative",
            "source",
            "updated_at",
        ]

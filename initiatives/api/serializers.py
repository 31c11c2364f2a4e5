"""API representations of initiatives and batches."""

from collections import Counter

from django.urls import reverse
from django.utils.http import urlencode
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.api.serializers import (
    BatchSummarySerializer,
    InitiativeSummarySerializer,
    PlaceSummarySerializer,
    PublicUrlField,
    SourceSummarySerializer,
    ThemeSummarySerializer,
)
from initiatives.models import Batch, Initiative, InitiativeOrganisation

#
# Initiatives
#


class InitiativeOrganisationSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="organisation.slug", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    name_original = serializers.CharField(source="organisation.name_original", read_only=True)
    kind = serializers.CharField(source="organisation.kind", read_only=True)

    class Meta:
        model = InitiativeOrganisation
        fields = ["slug", "name", "name_original", "kind", "role"]


class InitiativeSerializer(serializers.ModelSerializer):
    """A creation plan or programme, with its organisations, themes and published batches."""

    url = PublicUrlField()
    parent = InitiativeSummarySerializer(read_only=True, allow_null=True)
    place = PlaceSummarySerializer(read_only=True, allow_null=True)
    themes = ThemeSummarySerializer(many=True, read_only=True)
    organisations = InitiativeOrganisationSerializer(
        source="organisation_links", many=True, read_only=True
    )
    batches = BatchSummarySerializer(
        source="published_batches",
        many=True,
        read_only=True,
        help_text="Published batches, by number.",
    )
    sources = SourceSummarySerializer(many=True, read_only=True)

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


class BatchSerializer(serializers.ModelSerializer):
    """A batch: what it announced (in all and per theme) next to what the catalog lists.
    The catalog lists only the works a source names, so `listed` can be below `announced`."""

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
    sources = SourceSummarySerializer(many=True, read_only=True)

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
        listed = Counter(rec.theme_id for rec in batch.recommendations.all() if rec.theme_id)
        themes = {count.theme_id: count.theme for count in batch.theme_counts.all()}
        announced = {count.theme_id: count.announced for count in batch.theme_counts.all()}
        for rec in batch.recommendations.all():
            if rec.theme_id:
                themes.setdefault(rec.theme_id, rec.theme)
        ordered = sorted(themes.values(), key=lambda t: (t.position, t.name, t.pk))
        return [
            {
                "slug": theme.slug,
                "name": theme.name,
                "name_original": theme.name_original,
                "announced": announced.get(theme.pk),
                "listed": listed.get(theme.pk, 0),
            }
            for theme in ordered
        ]

    def get_listed_without_theme(self, batch) -> int:
        return sum(1 for rec in batch.recommendations.all() if rec.theme_id is None)

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_works_url(self, batch):
        path = f"{reverse('api:work-list')}?{urlencode({'batch': batch.slug})}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

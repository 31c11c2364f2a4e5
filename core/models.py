"""Abstract models and managers every domain model builds on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Creation and change times; partners sync on `updated_at`."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class SlugNaturalKeyManager(models.Manager):
    """Fixtures refer to records by slug, so seed files stay readable and ids stay free."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugPairManager(models.Manager):
    """Natural keys of link records: the slugs of the two records they join, plus a role."""

    def get_by_natural_key(self, left, right, kind):
        first, second, field = self.model.NATURAL_KEY_FIELDS
        return self.get(**{f"{first}__slug": left, f"{second}__slug": right, field: kind})

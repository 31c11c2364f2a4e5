from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatives")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # What this app's public records show: declarations core.publication follows.
        from . import publication  # noqa: F401

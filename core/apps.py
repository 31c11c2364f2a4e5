from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Machinery the domain apps share; knows nothing of works, batches or initiatives."""

    name = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
        from .caching import publication_committed
        from .models import public_state_committed

        public_state_committed.connect(publication_committed, dispatch_uid="warm-public-values")

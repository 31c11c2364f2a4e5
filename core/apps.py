from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Machinery the domain apps share; knows nothing of works, batches or initiatives."""

    name = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from . import checks  # noqa: F401 - registers the deployment checks
        from .caching import publication_committed
        from .models import end_request_state, public_state_committed, start_request_state

        public_state_committed.connect(publication_committed, dispatch_uid="warm-public-values")
        # The public state is read once per request (PublicState.cached).
        request_started.connect(start_request_state, dispatch_uid="public-state-per-request")
        request_finished.connect(end_request_state, dispatch_uid="public-state-per-request")

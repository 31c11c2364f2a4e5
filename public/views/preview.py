"""Editors' preview: a signed-in editor who may view a record opens its public address
before it is public and sees the page with a "Draft, not public" banner. Everyone else still
gets a 404. A preview is never cached: `Cache-Control: private, no-store`, which
core.caching.PublicPageCacheMiddleware refuses to store (it does not cache signed-in
requests in the first place)."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


def can_preview(request, model) -> bool:
    # Without a session cookie nobody is signed in: do not touch request.user, which would
    # mark the session as read and add Vary: Cookie to every anonymous page.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = request.user
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    )


def previewable(request, queryset):
    """The public records, or every record for an editor who may preview them."""
    model = queryset.model
    return model.objects.all() if can_preview(request, model) else queryset


def mark_preview(response):
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


class PreviewMixin:
    """For a DetailView whose object has `is_public`: adds `preview` to the context and the
    never-cache headers to the response when the object is not public."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = not self.object.is_public
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if getattr(self, "object", None) is not None and not self.object.is_public:
            mark_preview(response)
        return response

"""Partner keys: `Authorization: Api-Key <key>`."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework_api_key.models import APIKey
from rest_framework_api_key.permissions import KeyParser

from .throttling import RefusedKeyThrottle


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <key>`, keys from djangorestframework-api-key (hashed, made and
    revoked by staff in the admin). No header: anonymous. A header we cannot accept (unknown,
    revoked or expired key, another scheme): 401, so a partner never silently falls back to
    the anonymous rate limit."""

    keyword = KeyParser.keyword

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        key = KeyParser().get_from_authorization(request)
        # A NUL cannot be in a key we gave out, and PostgreSQL refuses it in a query (500).
        if not key or "\x00" in key:
            self.refuse(request, _("Send the key as `Authorization: Api-Key <key>`."))
        try:
            api_key = APIKey.objects.get_from_key(key)
        except APIKey.DoesNotExist:
            self.refuse(request, _("Unknown or revoked API key."))
        if api_key.has_expired:
            self.refuse(request, _("This API key has expired."))
        return (AnonymousUser(), api_key)

    @staticmethod
    def refuse(request, message):
        """401, but each refused key spends the sender's anonymous budget first: guessing
        keys (a lookup and a hash check each) is throttled like anonymous reads."""
        throttle = RefusedKeyThrottle()
        if not throttle.allow_request(request, None):
            raise exceptions.Throttled(throttle.wait())
        raise exceptions.AuthenticationFailed(message)

    def authenticate_header(self, request):
        # Having a challenge makes DRF answer 401 (not 403) to a failed authentication.
        return f'{self.keyword} realm="api"'

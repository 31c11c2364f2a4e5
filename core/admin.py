"""Admin settings the domain apps' admins share."""

from django.db import models

# An address typed without a scheme is taken as https:// (Django 6's default, today).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

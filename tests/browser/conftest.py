"""The editorial fixtures (editor, themes, public-template fallback) for browser tests too."""

from tests.editorial.conftest import editor, public_templates, travel  # noqa: F401

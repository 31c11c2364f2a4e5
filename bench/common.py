"""What the in-process bench scripts (explain.py, query_counts.py) share."""


def sample_theme() -> str:
    """The slug of the first public theme (by slug) that has a public work: the theme
    whose works the scripts list."""
    from catalog.models import Theme

    return (
        Theme.objects.public()
        .filter(works__is_public=True)
        .values_list("slug", flat=True)
        .order_by("slug")
        .first()
    )

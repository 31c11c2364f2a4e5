"""Writes on catalog records that span several steps."""

from django.contrib.auth.models import AbstractBaseUser

from core import publication

from .models import Work


def work_publish(*, work: Work, user: AbstractBaseUser) -> Work:
    """Make public a work that stands outside any batch (a source names it outside any
    list, like "The Bone Whistle of Hemudu"), with the places, organisations and sources
    its page shows."""
    publication.record_publish(record=work, user=user)
    return work


def work_unpublish(*, work: Work, user: AbstractBaseUser) -> Work:
    """Withdraw a work published on its own; it stays public while a published batch
    lists it (`work.is_public` says which)."""
    publication.record_unpublish(record=work, user=user)
    return work

"""One number that changes whenever the data changes, so that pages computed from the data can
be cached and are never shown stale after a write.

Every save and delete of a model of ours (and every change of a many-to-many link) bumps the
number once the transaction commits; a service that writes with ``QuerySet.update()``, which
sends no signal, calls ``bump()`` itself. A cache key that holds ``data_version()`` is fresh for
as long as nothing was written. Time passing also changes what a page says (a meeting is over,
a feedback point has come), so callers add a time window to their keys as well.
"""

from __future__ import annotations

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

KEY = "mentorcraft:data-version"


def data_version() -> int:
    version = cache.get(KEY)
    if version is None:
        version = 1
        cache.add(KEY, version, timeout=None)
    return int(version)


def _bump_now() -> None:
    try:
        cache.incr(KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates
        cache.set(KEY, 2, timeout=None)


def bump() -> None:
    """The data changed: keys made from the version so far are stale once this commits (one
    bump per transaction, however many rows it writes)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        getattr(entry[1], "bump_pending", False) for entry in connection.run_on_commit
    ):
        return

    def after_commit() -> None:
        after_commit.bump_pending = False
        _bump_now()

    after_commit.bump_pending = True
    transaction.on_commit(after_commit)


def _on_change(sender: object, **kwargs: object) -> None:
    bump()


def watch_models() -> None:
    """Bump on every save and delete of the models of Mentorcraft's apps (called once, from
    core's ready())."""
    for model in apps.get_models():
        if model.__module__.startswith(("mentorcraft.", "config.")):
            dispatch = f"freshness:{model._meta.label}"
            post_save.connect(_on_change, sender=model, dispatch_uid=f"{dispatch}:save")
            post_delete.connect(_on_change, sender=model, dispatch_uid=f"{dispatch}:delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _on_change, sender=field.remote_field.through, dispatch_uid=f"{dispatch}:m2m"
                )

from __future__ import annotations

import datetime

from ninja import Schema


class AuditEntryOut(Schema):
    """One entry of a programme's audit log: who (``actor``, empty for the system), what
    (``action``, a word code can rely on, and ``detail``, the sentence), when (``at``) and on
    what (``target_type`` such as ``support.concern``, ``target_id`` and ``target``, its name)."""

    id: int
    at: datetime.datetime
    action: str
    detail: str
    actor_id: int | None
    actor: str
    target_type: str
    target_id: int | None
    target: str

"""Recommendations: the best mentors for one mentee, for self-match pages."""

from __future__ import annotations

import numpy as np

from mentorcraft.matching.engine.model import InstanceError, Pair
from mentorcraft.matching.engine.scoring import Prepared


def recommend(
    prepared: Prepared, mentee_id: str, *, n: int = 10, load: dict[str, int] | None = None
) -> list[Pair]:
    """Top ``n`` allowed mentors with a free place for this mentee, best first, with reasons.

    ``load`` counts the mentees each mentor already has (by mentor id); mentors at capacity are
    left out.
    """
    if mentee_id not in prepared.mentee_index:
        raise InstanceError(f"unknown mentee {mentee_id!r}")
    i = prepared.mentee_index[mentee_id]
    row = prepared.block(i, i + 1).total[0]
    remaining = prepared.capacity.copy()
    for mentor_id, taken in (load or {}).items():
        j = prepared.mentor_index.get(mentor_id)
        if j is not None:
            remaining[j] -= taken
    row[remaining <= 0] = -np.inf
    finite = int(np.isfinite(row).sum())
    k = min(n, finite)
    if k == 0:
        return []
    top = np.argpartition(-row, k - 1)[:k]
    top = top[np.argsort(-row[top], kind="stable")]
    return [
        Pair(
            mentee=mentee_id,
            mentor=prepared.mentors[j].id,
            score=float(row[j]),
            reasons=prepared.reasons(i, int(j)),
        )
        for j in top.tolist()
    ]

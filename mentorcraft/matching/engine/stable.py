"""Stable mode: the mentee-optimal stable matching with mentor capacities.

Deferred acceptance (Gale and Shapley; the hospitals/residents form): mentees propose down their
lists; each mentor holds their best proposals up to capacity in a heap and lets the worst go.
The work is linear in the total length of the preference lists. Rankings come from explicit
lists when given, otherwise from the scores (best first). A pair is acceptable only when both
rank each other and no hard constraint forbids it; locked pairs are made first.
"""

from __future__ import annotations

import heapq
import time

import numpy as np

from mentorcraft.matching.engine.model import Pair, Reason, Result, Unmatched
from mentorcraft.matching.engine.scoring import Prepared, check_locked


def _ranked_from_scores(prepared: Prepared) -> tuple[list[list[int]], np.ndarray]:
    """Each mentee's acceptable mentors best first, and each mentor's rank of every mentee."""
    n_e, n_m = prepared.n_mentees, prepared.n_mentors
    mentee_lists: list[list[int]] = []
    mentor_rank = np.full((n_m, n_e), -1, dtype=np.int64)
    columns: list[np.ndarray] = []
    for block in prepared.blocks():
        total = block.total
        order = np.argsort(-total, axis=1, kind="stable")
        finite = np.isfinite(np.take_along_axis(total, order, axis=1))
        for row in range(total.shape[0]):
            mentee_lists.append(order[row, finite[row]].tolist())
        columns.append(total)
    scores = np.vstack(columns) if columns else np.zeros((n_e, n_m))
    by_mentor = np.argsort(-scores.T, axis=1, kind="stable")
    ranks = np.empty_like(by_mentor)
    np.put_along_axis(ranks, by_mentor, np.arange(n_e)[None, :], axis=1)
    ranks[~np.isfinite(scores.T)] = -1
    mentor_rank[:, :] = ranks
    return mentee_lists, mentor_rank


def _ranked_from_lists(prepared: Prepared) -> tuple[list[list[int]], np.ndarray]:
    prefs = prepared.instance.preferences or {}
    e_index, m_index = prepared.mentee_index, prepared.mentor_index
    mentor_rank = np.full((prepared.n_mentors, prepared.n_mentees), -1, dtype=np.int64)
    for mentor_id, ranked in prefs.get("mentors", {}).items():
        rows = np.fromiter((e_index[x] for x in ranked), dtype=np.int64, count=len(ranked))
        mentor_rank[m_index[mentor_id], rows] = np.arange(len(ranked))
    mentee_lists: list[list[int]] = [[] for _ in range(prepared.n_mentees)]
    for mentee_id, ranked in prefs.get("mentees", {}).items():
        mentee_lists[e_index[mentee_id]] = [m_index[x] for x in ranked]
    # Hard constraints still hold: drop pairs the rules forbid.
    for block in prepared.blocks():
        forbidden_rows, forbidden_cols = np.nonzero(~np.isfinite(block.total))
        if len(forbidden_rows):
            mentor_rank[forbidden_cols, forbidden_rows + block.start] = -1
    return mentee_lists, mentor_rank


def solve_stable(prepared: Prepared) -> Result:
    started = time.perf_counter()
    locked = check_locked(prepared)
    if prepared.instance.preferences:
        mentee_lists, mentor_rank = _ranked_from_lists(prepared)
    else:
        mentee_lists, mentor_rank = _ranked_from_scores(prepared)
    built = time.perf_counter() - started
    capacity = prepared.capacity.copy()
    fixed = dict(locked)
    for j in fixed.values():
        capacity[j] -= 1
    lists = [[] if i in fixed else choices for i, choices in enumerate(mentee_lists)]
    engaged = stable_core(lists, mentor_rank, capacity)
    for i, j in fixed.items():
        engaged[i] = j
    pairs: list[Pair] = []
    unmatched: list[Unmatched] = []
    locked_rows = {i for i, _ in locked}
    first_choice = 0
    for i in range(prepared.n_mentees):
        j = int(engaged[i])
        mentee = prepared.mentees[i]
        if j < 0:
            reason = (
                Reason(
                    "outranked",
                    "every acceptable mentor filled their places with mentees they ranked higher",
                )
                if mentee_lists[i]
                else Reason("no_acceptable_mentor", "no acceptable mentor")
            )
            unmatched.append(Unmatched(mentee.id, reason))
            continue
        rank = mentee_lists[i].index(j) + 1 if j in mentee_lists[i] else None
        first_choice += rank == 1
        pairs.append(
            Pair(
                mentee=mentee.id,
                mentor=prepared.mentors[j].id,
                score=prepared.pair_score(i, j),
                reasons=prepared.reasons(i, j),
                locked=i in locked_rows,
                mentee_rank=rank,
            )
        )
    scores = [p.score for p in pairs]
    return Result(
        mode="stable",
        pairs=pairs,
        unmatched=unmatched,
        stats={
            "mentees": prepared.n_mentees,
            "mentors": prepared.n_mentors,
            "matched": len(pairs),
            "unmatched": len(unmatched),
            "first_choice": int(first_choice),
            "mean_score": round(float(np.mean(scores)), 2) if scores else 0.0,
            "lowest_score": round(float(np.min(scores)), 2) if scores else 0.0,
            "build_s": round(built, 3),
            "seconds": round(time.perf_counter() - started, 3),
        },
    )


def stable_core(
    mentee_lists: list[list[int]], mentor_rank: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    """Deferred acceptance on index lists alone (used by the benchmark and the tests)."""
    n_e = len(mentee_lists)
    capacity = capacity.copy()
    engaged = np.full(n_e, -1, dtype=np.int64)
    held: list[list[tuple[int, int]]] = [[] for _ in range(len(capacity))]
    next_choice = [0] * n_e
    free = list(range(n_e - 1, -1, -1))
    while free:
        i = free.pop()
        choices = mentee_lists[i]
        while next_choice[i] < len(choices):
            j = choices[next_choice[i]]
            next_choice[i] += 1
            rank = int(mentor_rank[j, i])
            if rank < 0 or capacity[j] <= 0:
                continue
            heap = held[j]
            if len(heap) < capacity[j]:
                heapq.heappush(heap, (-rank, i))
                engaged[i] = j
                break
            worst_rank, worst = heap[0]
            if rank < -worst_rank:
                heapq.heapreplace(heap, (-rank, i))
                engaged[i] = j
                engaged[worst] = -1
                free.append(worst)
                break
    return engaged

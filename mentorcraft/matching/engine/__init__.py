"""Mentorcraft's matching engine: pure Python with NumPy and SciPy, no Django.

Public API (plain data in, plain data out)::

    from mentorcraft.matching.engine import Instance, Person, solve, recommend, form_groups

    instance = Instance(mentees=[Person(id="m1", ...)], mentors=[Person(id="x1", capacity=2)])
    result = solve(instance, mode="optimal")        # or mode="stable"
    result.pairs, result.unmatched, result.stats    # Pair(mentee, mentor, score, reasons)
    recommend(instance, "m1", n=10, load={"x1": 1})  # best mentors with a free place
    form_groups(people, min_size=3, max_size=5, coaches=[Coach("c1", capacity=2)])

Bad input raises ``InstanceError`` with a message naming the offending entry. For repeated
calls on one instance (recommendations in a web page), build ``Prepared(instance)`` once and
pass it instead of the instance.
"""

from __future__ import annotations

from mentorcraft.matching.engine.groups import Coach, GroupResult, form_groups, peer_pairs
from mentorcraft.matching.engine.model import (
    DEFAULT_WEIGHTS,
    Instance,
    InstanceError,
    Pair,
    Person,
    Reason,
    Result,
    Unmatched,
)
from mentorcraft.matching.engine.optimal import solve_greedy, solve_optimal
from mentorcraft.matching.engine.recommend import recommend as _recommend
from mentorcraft.matching.engine.scoring import Prepared
from mentorcraft.matching.engine.stable import solve_stable

MODES = ("optimal", "stable")


def _prepared(instance: Instance | Prepared) -> Prepared:
    return instance if isinstance(instance, Prepared) else Prepared(instance)


def solve(instance: Instance | Prepared, mode: str = "optimal") -> Result:
    if mode not in MODES:
        raise InstanceError(f"unknown mode {mode!r}; use optimal or stable")
    prepared = _prepared(instance)
    return solve_optimal(prepared) if mode == "optimal" else solve_stable(prepared)


def recommend(
    instance: Instance | Prepared,
    mentee_id: str,
    *,
    n: int = 10,
    load: dict[str, int] | None = None,
) -> list[Pair]:
    return _recommend(_prepared(instance), mentee_id, n=n, load=load)


__all__ = [
    "DEFAULT_WEIGHTS",
    "MODES",
    "Coach",
    "GroupResult",
    "Instance",
    "InstanceError",
    "Pair",
    "Person",
    "Prepared",
    "Reason",
    "Result",
    "Unmatched",
    "form_groups",
    "peer_pairs",
    "recommend",
    "solve",
    "solve_greedy",
]

"""Which of the engine's reasons are concerns, decided by their codes (never by their words).

A coordinator reads every reason; the two people of a suggested pair read only what speaks
for the pair: "no topic in common" helps a coordinator decide, and only discourages the pair.
"""

from __future__ import annotations

from collections.abc import Iterable

from mentorcraft.matching.engine import Reason

# Reasons that make a coordinator look twice before pairing two people by hand.
WARNING_CODES = {"no_shared_topic", "not_more_experienced", "small_experience_gap"}
WARNING_TIME_ZONE_HOURS = 6


def is_warning(reason: Reason) -> bool:
    if reason.code == "time_zone_gap":
        return (reason.value or 0) > WARNING_TIME_ZONE_HOURS
    return reason.code in WARNING_CODES


def for_participants(reasons: Iterable[Reason]) -> list[str]:
    """The words the pair may read: the reasons that are not concerns."""
    return [str(r) for r in reasons if not is_warning(r)]

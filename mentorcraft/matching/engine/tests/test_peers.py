"""Peer pairs between mentors: the hard rules hold and the reasons say why."""

from __future__ import annotations

import random

from mentorcraft.matching.engine.model import Person
from mentorcraft.matching.engine.peers import peer_pairs


def mentor(pid: str, tier: str = "experienced", **kw) -> Person:  # noqa: ANN003
    return Person(id=pid, name=pid.title(), tier=tier, **kw)


def partners(result) -> set[frozenset[str]]:  # noqa: ANN001
    return {frozenset((p.first, p.second)) for p in result.pairs}


def test_a_tier_apart_beats_the_same_tier_and_the_more_experienced_comes_first() -> None:
    people = [
        mentor("vera", "veteran"),
        mentor("ned", "new"),
        mentor("eve", "experienced"),
        mentor("nia", "new"),
    ]
    result = peer_pairs(people)
    assert partners(result) == {frozenset(("eve", "ned")), frozenset(("nia", "vera"))} or (
        partners(result) == {frozenset(("eve", "nia")), frozenset(("ned", "vera"))}
    )
    for pair in result.pairs:
        assert pair.first in {"vera", "eve"}
        assert any(r.code == "experience" and r.value for r in pair.reasons)
    words = [str(r) for pair in result.pairs for r in pair.reasons if r.code == "experience"]
    assert any("is an experienced mentor" in w for w in words) or any(
        "is a veteran mentor" in w for w in words
    )


def test_never_a_line_manager_and_their_report_even_through_someone_outside_the_pool() -> None:
    # boss manages mid (not in the pool), who manages junior.
    people = [mentor("boss", "veteran"), mentor("junior", "new", manager="mid")]
    result = peer_pairs(people, managers={"mid": "boss"})
    assert result.pairs == []
    assert {r.code for r in result.unpaired.values()} == {"none"}
    # Without the line, they pair.
    assert len(peer_pairs([mentor("boss", "veteran"), mentor("junior", "new")]).pairs) == 1


def test_time_zones_further_apart_than_the_window_never_pair() -> None:
    people = [
        mentor("lon", "veteran", time_zone="Europe/London"),
        mentor("syd", "new", time_zone="Australia/Sydney"),
    ]
    assert peer_pairs(people, time_zone_window=4).pairs == []
    assert len(peer_pairs(people, time_zone_window=12).pairs) == 1


def test_shared_topics_and_help_wanted_are_reasons() -> None:
    people = [
        mentor("ana", "veteran", topics={"leadership": 2, "careers": 1}),
        mentor("bob", "experienced", topics={"leadership": 1}),
    ]
    result = peer_pairs(people, wants={"bob": frozenset({"experience"})})
    codes = {r.code for r in result.pairs[0].reasons}
    assert {"topics", "help", "experience", "timezone", "line"} <= codes
    assert "leadership" in next(r for r in result.pairs[0].reasons if r.code == "topics")


def test_an_odd_pool_leaves_one_with_a_reason_and_nobody_twice() -> None:
    rng = random.Random(7)
    tiers = ["new", "experienced", "veteran"]
    people = [mentor(f"m{i:03d}", rng.choice(tiers), years=rng.randint(0, 20)) for i in range(41)]
    result = peer_pairs(people)
    everyone = [p.first for p in result.pairs] + [p.second for p in result.pairs]
    assert len(everyone) == len(set(everyone)) == 40
    assert len(result.unpaired) == 1
    assert next(iter(result.unpaired.values())).code == "odd"


def test_a_leftover_is_rescued_when_a_swap_pairs_everyone() -> None:
    # Greedy pairs a-b (best); c can only pair with a, d only with b: swapping pairs all four.
    people = [
        mentor("a", "veteran", time_zone="Europe/London"),
        mentor("b", "experienced", time_zone="Europe/London"),
        mentor("c", "new", time_zone="America/New_York"),
        mentor("d", "new", time_zone="Asia/Dubai"),
    ]
    result = peer_pairs(people, time_zone_window=5)
    assert len(result.pairs) == 2
    assert result.unpaired == {}

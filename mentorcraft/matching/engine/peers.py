"""Peer pairs: two mentors who support each other.

A pair is worth more when one has more experience than the other (a tier apart is best: close
enough to be peers, far enough to have something to pass on), when they share topics, when they
are near in time zone, and when one wants what the other can give ("another mentor's experience
of something similar"). Two hard rules: never a line manager and their report (or anyone above
them in the line), and never further apart in time zone than the window. Pairs are chosen
greedily by worth and then improved by swapping partners between two pairs while that gains;
whoever is left has a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mentorcraft.matching.engine.model import Person, Reason, utc_offset_hours

TIER_RANK = {"new": 0, "experienced": 1, "veteran": 2}
TIER_WORDS = {"new": "new", "experienced": "experienced", "veteran": "veteran"}

# What a pair gains from each thing it has in common or apart.
WEIGHTS = {"experience": 3.0, "topics": 2.0, "timezone": 1.0, "help": 1.0}


@dataclass
class PeerPair:
    first: str  # the one with more experience
    second: str
    score: float
    reasons: list[Reason]


@dataclass
class PeerResult:
    pairs: list[PeerPair]
    unpaired: dict[str, Reason] = field(default_factory=dict)
    stats: dict = field(default_factory=dict)


def _line(person: Person, managers: dict[str, str | None]) -> set[str]:
    """Everyone above the person in the line, as far as the pool knows it."""
    above: set[str] = set()
    boss = person.manager
    while boss and boss not in above:
        above.add(boss)
        boss = managers.get(boss)
    return above


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _hours(gap: float) -> str:
    return f"{gap:g} hour{'' if gap == 1 else 's'}"


def _rank(person: Person) -> tuple[int, float]:
    return (TIER_RANK.get(person.tier, 0), person.years)


def _gap_hours(a: float, b: float) -> float:
    gap = abs(a - b) % 24
    return min(gap, 24 - gap)


class _Pool:
    def __init__(
        self,
        people: list[Person],
        *,
        wants: dict[str, frozenset[str]],
        managers: dict[str, str | None],
        window: float,
    ) -> None:
        self.people = {p.id: p for p in people}
        self.wants = wants
        self.window = window
        self.offsets = {p.id: utc_offset_hours(p.time_zone) for p in people}
        self.lines = {p.id: _line(p, managers) for p in people}
        self._cache: dict[tuple[str, str], float | None] = {}

    def worth(self, a_id: str, b_id: str) -> float | None:
        """The pair's worth, or None when a hard rule forbids it (cached; no words made)."""
        key = (a_id, b_id) if a_id < b_id else (b_id, a_id)
        if key not in self._cache:
            self._cache[key] = self._weigh(*key)
        return self._cache[key]

    def blocked(self, a_id: str, b_id: str) -> Reason | None:
        a, b = self.people[a_id], self.people[b_id]
        if a.id in self.lines[b.id] or b.id in self.lines[a.id]:
            return Reason("line", "in the same management line")
        gap = _gap_hours(self.offsets[a.id], self.offsets[b.id])
        if gap > self.window:
            return Reason("timezone", f"{_hours(gap)} apart in time zone", gap)
        return None

    def _facts(self, a: Person, b: Person) -> tuple[Person, Person, int, float, list[str], float]:
        more, less = (a, b) if _rank(a) >= _rank(b) else (b, a)
        tiers = TIER_RANK.get(more.tier, 0) - TIER_RANK.get(less.tier, 0)
        years = more.years - less.years
        shared = sorted(set(a.topics) & set(b.topics)) if a.topics and b.topics else []
        gap = _gap_hours(self.offsets[a.id], self.offsets[b.id])
        return more, less, tiers, years, shared, gap

    def _weigh(self, a_id: str, b_id: str) -> float | None:
        if a_id == b_id:
            return None
        a, b = self.people[a_id], self.people[b_id]
        if a_id in self.lines[b_id] or b_id in self.lines[a_id]:
            return None
        more, less, tiers, years, shared, gap = self._facts(a, b)
        if gap > self.window:
            return None
        score = 0.0
        if tiers == 1:
            score += WEIGHTS["experience"]
        elif tiers == 2:
            score += WEIGHTS["experience"] * 0.6
        elif years >= 3:
            score += WEIGHTS["experience"] * 0.4
        if shared:
            score += WEIGHTS["topics"] * min(len(shared), 3) / 3
        score += WEIGHTS["timezone"] * (1 - gap / max(self.window, 1))
        if "experience" in self.wants.get(less.id, ()) and (tiers or years >= 3):
            score += WEIGHTS["help"]
        return round(score, 3)

    def fit(self, a_id: str, b_id: str) -> tuple[float, list[Reason]] | None:
        """The pair's worth and the reasons for it, or None when a hard rule forbids it."""
        score = self.worth(a_id, b_id)
        if score is None:
            return None
        a, b = self.people[a_id], self.people[b_id]
        more, less, tiers, years, shared, gap = self._facts(a, b)
        reasons: list[Reason] = []
        if tiers:
            reasons.append(
                Reason(
                    "experience",
                    f"{more.name or more.id} is {_a(TIER_WORDS.get(more.tier, more.tier))} mentor, "
                    f"{less.name or less.id} {TIER_WORDS.get(less.tier, less.tier)}: "
                    "experience to pass on",
                    float(tiers),
                )
            )
        elif years >= 3:
            reasons.append(
                Reason(
                    "experience",
                    f"both {TIER_WORDS.get(more.tier, more.tier) or 'mentors'}, "
                    f"{years:g} years apart in experience",
                    years,
                )
            )
        else:
            reasons.append(Reason("experience", "at the same stage as mentors", 0.0))
        if shared:
            reasons.append(
                Reason("topics", "both work on " + ", ".join(shared[:4]), float(len(shared)))
            )
        reasons.append(
            Reason("timezone", "same time zone" if gap == 0 else f"{_hours(gap)} apart", gap)
        )
        if "experience" in self.wants.get(less.id, ()) and (tiers or years >= 3):
            reasons.append(
                Reason(
                    "help",
                    f"{less.name or less.id} wants another mentor's experience of something "
                    "similar",
                )
            )
        reasons.append(Reason("line", "not in each other's management line"))
        return score, reasons


def peer_pairs(
    people: list[Person],
    *,
    wants: dict[str, frozenset[str]] | None = None,
    managers: dict[str, str | None] | None = None,
    time_zone_window: float = 4.0,
) -> PeerResult:
    """Pair the people two by two, best pairs first. ``wants`` holds each person's help wanted
    (the supervision topics' codes); ``managers`` maps anyone's id to their line manager's, so
    that a line through people outside the pool still counts."""
    managers = dict(managers or {})
    for person in people:
        managers.setdefault(person.id, person.manager)
    pool = _Pool(people, wants=wants or {}, managers=managers, window=time_zone_window)
    ids = sorted(pool.people)
    edges = []
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            worth = pool.worth(a, b)
            if worth is not None:
                edges.append((worth, a, b))
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    partner: dict[str, str] = {}
    for _, a, b in edges:
        if a not in partner and b not in partner:
            partner[a], partner[b] = b, a
    # Leftovers: try to free a partner by re-pairing (a, b) + c into (a, c) or (b, c) when
    # the displaced one can pair with another leftover.
    _swap_improve(pool, partner)
    _rescue(pool, partner, ids)
    pairs = []
    seen: set[str] = set()
    for a in ids:
        b = partner.get(a)
        if b is None or a in seen:
            continue
        seen.update((a, b))
        score, reasons = pool.fit(a, b)  # type: ignore[misc]
        first, second = (a, b) if _rank(pool.people[a]) >= _rank(pool.people[b]) else (b, a)
        pairs.append(PeerPair(first=first, second=second, score=score, reasons=reasons))
    pairs.sort(key=lambda p: (-p.score, p.first))
    unpaired: dict[str, Reason] = {}
    for a in ids:
        if a in partner:
            continue
        possible = [b for b in ids if b != a and pool.worth(a, b) is not None]
        if not possible:
            unpaired[a] = Reason("none", "no one in the pool within the rules (line, time zone)")
        else:
            unpaired[a] = Reason("odd", "everyone they could pair with has a partner already")
    return PeerResult(
        pairs=pairs,
        unpaired=unpaired,
        stats={
            "people": len(ids),
            "pairs": len(pairs),
            "unpaired": len(unpaired),
            "score": round(sum(p.score for p in pairs), 3),
        },
    )


def _swap_improve(pool: _Pool, partner: dict[str, str], rounds: int = 3) -> None:
    """Swap partners between two pairs while the total worth rises."""
    for _ in range(rounds):
        improved = False
        firsts = sorted({min(a, b) for a, b in partner.items()})
        for i, a in enumerate(firsts):
            for c in firsts[i + 1 :]:
                b, d = partner[a], partner[c]
                if b == c:
                    continue
                now = pool.worth(a, b) + pool.worth(c, d)  # type: ignore[operator]
                for x, y, u, v in ((a, c, b, d), (a, d, b, c)):
                    one, two = pool.worth(x, y), pool.worth(u, v)
                    if one is not None and two is not None and one + two > now + 1e-9:
                        partner[x], partner[y], partner[u], partner[v] = y, x, v, u
                        improved = True
                        break
                # Two pairs may have changed: read the partners again before going on.
                if partner.get(a) != b:
                    break
        if not improved:
            return


def _rescue(pool: _Pool, partner: dict[str, str], ids: list[str]) -> None:
    """A leftover who can pair with someone already paired takes that place when the
    displaced person can pair with another leftover: more mentors get a partner."""
    changed = True
    while changed:
        changed = False
        left = [a for a in ids if a not in partner]
        for a in left:
            for b in ids:
                c = partner.get(b)
                if c is None or pool.worth(a, b) is None:
                    continue
                others = [d for d in left if d not in (a,) and d not in partner]
                for d in others:
                    if pool.worth(c, d) is not None:
                        partner[a], partner[b], partner[c], partner[d] = b, a, d, c
                        changed = True
                        break
                if changed:
                    break
            if changed:
                break

"""Vectorised scoring and hard constraints.

``Prepared`` turns an instance into arrays once. Scores for a block of mentees against every
mentor are computed with NumPy in one go (no Python loop over pairs), so that even 100,000 ×
20,000 pairs are scored block by block in memory that stays small. Pairs that break a hard
constraint score ``-inf``. Reasons in plain words are written only for the pairs a person will
read about.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from mentorcraft.matching.engine.model import (
    DEFAULT_WEIGHTS,
    Instance,
    InstanceError,
    Person,
    Reason,
    utc_offset_hours,
)

COMPONENTS = list(DEFAULT_WEIGHTS)
FORBIDDEN = -np.inf


def _topic_matrix(
    people: list[Person], vocabulary: dict[str, int], normalise: bool
) -> sparse.csr_matrix:
    rows, cols, values = [], [], []
    for row, person in enumerate(people):
        total = sum(person.topics.values()) or 1.0
        for topic, level in person.topics.items():
            rows.append(row)
            cols.append(vocabulary[topic.strip().lower()])
            level = min(max(float(level), 0.0), 3.0)
            values.append(level / total if normalise else level / 3.0)
    return sparse.csr_matrix(
        (np.asarray(values, dtype=np.float32), (rows, cols)),
        shape=(len(people), max(1, len(vocabulary))),
    )


def _management_chain(instance: Instance, ids: list[str], depth: int = 2) -> np.ndarray:
    """For each person, the global indices of their managers up to ``depth`` levels (-1: none)."""
    managers = dict(instance.managers)
    for person in (*instance.mentees, *instance.mentors):
        if person.manager:
            managers[person.id] = person.manager
    return np.array(
        [[_ancestor(managers, pid, level) for level in range(1, depth + 1)] for pid in ids],
        dtype=object,
    )


def _ancestor(managers: dict[str, str], person: str, level: int) -> str | None:
    current: str | None = person
    for _ in range(level):
        current = managers.get(current) if current is not None else None
    return current


@dataclass
class Block:
    """Scores of mentees ``start:stop`` against every mentor (``-inf`` where not allowed)."""

    start: int
    stop: int
    total: np.ndarray


class Prepared:
    """Arrays built once from an instance; every mode and the recommender use them."""

    def __init__(self, instance: Instance) -> None:
        instance.validate()
        self.instance = instance
        self.mentees, self.mentors = instance.mentees, instance.mentors
        self.n_mentees, self.n_mentors = len(self.mentees), len(self.mentors)
        self.mentee_index = {p.id: i for i, p in enumerate(self.mentees)}
        self.mentor_index = {p.id: j for j, p in enumerate(self.mentors)}
        weights = {**DEFAULT_WEIGHTS, **instance.weights}
        total = sum(weights.values()) or 1.0
        self.weights = {k: v / total for k, v in weights.items()}

        topics = sorted(
            {t.strip().lower() for p in (*self.mentees, *self.mentors) for t in p.topics}
        )
        topic_vocab = {name: i for i, name in enumerate(topics)}
        self.topics = topics
        self.mentee_topics = _topic_matrix(self.mentees, topic_vocab, normalise=True)
        # Dense (topics × mentors): one matrix product per block of mentees.
        self.mentor_topics_t = np.ascontiguousarray(
            _topic_matrix(self.mentors, topic_vocab, normalise=False).T.toarray()
        )

        self.mentee_years = np.array([p.years for p in self.mentees], dtype=np.float32)
        self.mentor_years = np.array([p.years for p in self.mentors], dtype=np.float32)
        self.mentee_tz = np.array([utc_offset_hours(p.time_zone) for p in self.mentees], np.float32)
        self.mentor_tz = np.array([utc_offset_hours(p.time_zone) for p in self.mentors], np.float32)
        self.mentee_hours = np.array([p.hours for p in self.mentees], dtype=np.float32)
        self.capacity = np.array([max(0, int(p.capacity)) for p in self.mentors], dtype=np.int64)
        per_mentee = np.array([p.hours for p in self.mentors], np.float32) / np.maximum(
            self.capacity, 1
        )
        self.mentor_hours_each = per_mentee.astype(np.float32)

        # Management chains as integer codes over every id involved (participants or not).
        ids = sorted(
            {p.id for p in (*self.mentees, *self.mentors)}
            | set(instance.managers)
            | set(instance.managers.values())
            | {p.manager for p in (*self.mentees, *self.mentors) if p.manager}
        )
        code = {pid: i for i, pid in enumerate(ids)}
        self.mentee_code = np.array([code[p.id] for p in self.mentees], dtype=np.int64)
        self.mentor_code = np.array([code[p.id] for p in self.mentors], dtype=np.int64)
        chain_e = _management_chain(instance, [p.id for p in self.mentees])
        chain_m = _management_chain(instance, [p.id for p in self.mentors])
        self.mentee_chain = (
            np.vectorize(lambda x: code.get(x, -1), otypes=[np.int64])(chain_e)
            if self.n_mentees
            else np.zeros((0, 2), np.int64)
        )
        self.mentor_chain = (
            np.vectorize(lambda x: code.get(x, -1), otypes=[np.int64])(chain_m)
            if self.n_mentors
            else np.zeros((0, 2), np.int64)
        )

        # Sparse pair rules: management chains (two levels, both ways), the same person on both
        # sides, avoid lists (either direction) and coordinator-forbidden pairs. Each person has
        # at most two managers above them, so these pairs are few and kept as lists.
        banned: set[tuple[int, int]] = set()
        mentor_by_code = {int(c): j for j, c in enumerate(self.mentor_code)}
        mentee_by_code = {int(c): i for i, c in enumerate(self.mentee_code)}
        for i, code_i in enumerate(self.mentee_code.tolist()):
            for up in (code_i, *self.mentee_chain[i].tolist()):
                if up in mentor_by_code:
                    banned.add((i, mentor_by_code[up]))
        for j in range(self.n_mentors):
            for up in self.mentor_chain[j].tolist():
                if up in mentee_by_code:
                    banned.add((mentee_by_code[up], j))
        self.managed = set(banned)
        for i, mentee in enumerate(self.mentees):
            for other in mentee.avoid:
                if other in self.mentor_index:
                    banned.add((i, self.mentor_index[other]))
        for j, mentor in enumerate(self.mentors):
            for other in mentor.avoid:
                if other in self.mentee_index:
                    banned.add((self.mentee_index[other], j))
        self.avoided = set(banned)
        for mentee, mentor in instance.forbidden:
            banned.add((self.mentee_index[mentee], self.mentor_index[mentor]))
        self.banned_by_row: dict[int, np.ndarray] = {}
        for i, j in banned:
            self.banned_by_row.setdefault(i, []).append(j)  # type: ignore[arg-type]
        self.banned_by_row = {
            i: np.array(js, dtype=np.int64) for i, js in self.banned_by_row.items()
        }
        self.forbidden = {
            (self.mentee_index[a], self.mentor_index[b]) for a, b in instance.forbidden
        }

        # People fall into few classes of (languages, time zone). One small table per class
        # pair holds the language and time-zone parts of the score, or -inf where no language is
        # shared (or the zones are too far apart): one gather per block instead of pair maths.
        self.mentee_class, e_classes = self._classes(self.mentees)
        self.mentor_class, m_classes = self._classes(self.mentors)
        table = np.zeros((len(e_classes), len(m_classes)), dtype=np.float32)
        for a, (langs_a, zone_a) in enumerate(e_classes):
            for b, (langs_b, zone_b) in enumerate(m_classes):
                # A person who lists no languages is unknown, not in conflict: the language rule
                # applies only when both list languages and share none.
                shared = len(langs_a & langs_b)
                conflict = bool(langs_a and langs_b) and shared == 0
                diff = abs(utc_offset_hours(zone_a) - utc_offset_hours(zone_b))
                diff = min(diff, 24.0 - diff)
                window = instance.max_timezone_gap
                if conflict or (window is not None and diff > window):
                    table[a, b] = FORBIDDEN
                    continue
                table[a, b] = 100.0 * (
                    self.weights["languages"] * min(shared, 2) / 2.0
                    + self.weights["timezone"] * max(0.0, 1.0 - diff / 12.0)
                )
        self.class_table = table

        # Stated preferences: a bonus that falls with the rank the mentee gave.
        self.preferred: dict[int, dict[int, float]] = {}
        for i, mentee in enumerate(self.mentees):
            ranked = [self.mentor_index[m] for m in mentee.prefers if m in self.mentor_index]
            if ranked:
                self.preferred[i] = {j: 1.0 - r / (len(ranked) + 1) for r, j in enumerate(ranked)}

        self.explicit: sparse.csr_matrix | None = None
        if instance.scores is not None:
            rows = [self.mentee_index[a] for a, _, _ in instance.scores]
            cols = [self.mentor_index[b] for _, b, _ in instance.scores]
            vals = [float(s) for _, _, s in instance.scores]
            matrix = sparse.coo_matrix(
                (vals, (rows, cols)), shape=(self.n_mentees, self.n_mentors)
            ).tocsr()
            matrix.sum_duplicates()
            self.explicit = matrix
            self.explicit_mask = sparse.csr_matrix(
                (np.ones(len(rows), dtype=bool), (rows, cols)),
                shape=(self.n_mentees, self.n_mentors),
            )

    @staticmethod
    def _classes(people: list[Person]) -> tuple[np.ndarray, list[tuple[frozenset[str], str]]]:
        keys: dict[tuple[frozenset[str], str], int] = {}
        ids = np.empty(len(people), dtype=np.int32)
        for row, person in enumerate(people):
            key = (frozenset(x.strip().lower() for x in person.languages), person.time_zone)
            ids[row] = keys.setdefault(key, len(keys))
        return ids, list(keys)

    # --- scoring ------------------------------------------------------------------------------

    def block(self, start: int, stop: int) -> Block:
        """Scores (0-100) of mentees start:stop against every mentor; -inf where not allowed.

        Everything is computed in place on float32 arrays of the block's size, so that memory
        stays at a few block-sized buffers whatever the programme's size.
        """
        if self.explicit is not None:
            total = self.explicit[start:stop].toarray().astype(np.float32)
            total[~self.explicit_mask[start:stop].toarray()] = FORBIDDEN
            self._apply_bans(total, start, stop)
            return Block(start=start, stop=stop, total=total)
        w = {k: 100.0 * v for k, v in self.weights.items()}
        total = np.asarray(self.mentee_topics[start:stop] @ self.mentor_topics_t, np.float32)
        total *= w["topics"]
        tmp = np.empty_like(total)
        if w["experience"]:
            need = max(self.instance.min_experience_gap, 0.5)
            np.subtract(self.mentor_years[None, :], self.mentee_years[start:stop, None], out=tmp)
            tmp *= 1.0 / need
            np.clip(tmp, 0.0, 1.0, out=tmp)
            tmp *= w["experience"]
            total += tmp
        if w["availability"]:
            hours = np.maximum(self.mentee_hours[start:stop, None], 0.5)
            np.divide(self.mentor_hours_each[None, :], hours, out=tmp)
            np.minimum(tmp, 1.0, out=tmp)
            tmp *= w["availability"]
            total += tmp
        # Languages and time zones by class, with -inf where no language is shared.
        np.take(self.class_table[self.mentee_class[start:stop]], self.mentor_class, axis=1, out=tmp)
        total += tmp
        if w["preferences"]:
            for i in range(start, stop):
                for j, bonus in self.preferred.get(i, {}).items():
                    total[i - start, j] += w["preferences"] * bonus
        self._apply_bans(total, start, stop)
        return Block(start=start, stop=stop, total=total)

    def _apply_bans(self, total: np.ndarray, start: int, stop: int) -> None:
        for i in range(start, stop):
            banned = self.banned_by_row.get(i)
            if banned is not None:
                total[i - start, banned] = FORBIDDEN

    def blocks(self, rows_per_block: int | None = None) -> Iterator[Block]:
        if rows_per_block is None:
            # About 8 million cells a block: tens of MB per buffer, whatever the size.
            rows_per_block = max(1, min(self.n_mentees, 8_000_000 // max(1, self.n_mentors)))
        for start in range(0, self.n_mentees, rows_per_block):
            yield self.block(start, min(self.n_mentees, start + rows_per_block))

    def pair_score(self, i: int, j: int) -> float:
        return float(self.block(i, i + 1).total[0, j])

    # --- explanations ------------------------------------------------------------------------

    def reasons(self, i: int, j: int) -> list[Reason]:
        """Why this pair, in plain words a coordinator can repeat, each with its code."""
        mentee, mentor = self.mentees[i], self.mentors[j]
        out: list[Reason] = []
        wanted = {t.strip().lower(): t for t in mentee.topics}
        offered = {t.strip().lower() for t in mentor.topics}
        shared_topics = [wanted[t] for t in wanted if t in offered]
        if shared_topics:
            count = len(shared_topics)
            text = f"{count} shared topic{'s' if count != 1 else ''}: {', '.join(shared_topics)}"
            out.append(Reason("shared_topics", text, count))
        else:
            out.append(Reason("no_shared_topic", "no topic in common"))
        langs = sorted(
            {x.strip().lower() for x in mentee.languages}
            & {x.strip().lower() for x in mentor.languages}
        )
        names = [x.title() for x in langs]
        if len(names) == 1:
            out.append(Reason("shared_language", f"both speak {names[0]}", 1))
        elif names:
            text = f"both speak {', '.join(names[:-1])} and {names[-1]}"
            out.append(Reason("shared_language", text, len(names)))
        gap = mentor.years - mentee.years
        if gap >= self.instance.min_experience_gap:
            out.append(
                Reason("experience_gap", f"mentor has {gap:g} more years of experience", gap)
            )
        elif gap > 0:
            text = f"mentor has only {gap:g} more years of experience"
            out.append(Reason("small_experience_gap", text, gap))
        else:
            out.append(Reason("not_more_experienced", "mentor is not more experienced", gap))
        diff = abs(utc_offset_hours(mentee.time_zone) - utc_offset_hours(mentor.time_zone))
        diff = min(diff, 24 - diff)
        if diff == 0:
            out.append(Reason("same_time_zone", "same time zone", 0.0))
        else:
            text = f"{diff:g} hour{'s' if diff != 1 else ''} apart"
            out.append(Reason("time_zone_gap", text, diff))
        if j in self.preferred.get(i, {}):
            rank = [self.mentor_index.get(m) for m in mentee.prefers].index(j) + 1
            text = f"the mentee asked for this mentor (choice {rank})"
            out.append(Reason("mentee_choice", text, rank))
        return out

    def why_not(self, i: int, j: int) -> Reason | None:
        """The hard constraint that forbids this pair, or None if it is allowed."""
        mentee, mentor = self.mentees[i], self.mentors[j]
        if mentee.id == mentor.id:
            return Reason("same_person", "cannot be matched with themselves")
        mentee_langs = {x.strip().lower() for x in mentee.languages}
        mentor_langs = {x.strip().lower() for x in mentor.languages}
        if mentee_langs and mentor_langs and not mentee_langs & mentor_langs:
            return Reason("no_shared_language", "no shared language")
        if (i, j) in self.managed:
            return Reason("management_chain", "one manages the other (within two levels)")
        if (i, j) in self.forbidden:
            return Reason("forbidden_by_coordinator", "the coordinator forbade this pair")
        if (i, j) in self.avoided:
            return Reason("avoid_list", "one asked not to be matched with the other")
        if self.explicit is not None and not self.explicit_mask[i, j]:
            return Reason("no_score", "no score was given for this pair")
        if self.instance.max_timezone_gap is not None:
            diff = abs(float(self.mentee_tz[i] - self.mentor_tz[j]))
            diff = min(diff, 24 - diff)
            if diff > self.instance.max_timezone_gap:
                return Reason("time_zones_too_far", "time zones too far apart", diff)
        return None


def check_locked(prepared: Prepared) -> list[tuple[int, int]]:
    """Locked pairs as indices; a locked pair that breaks a hard constraint is an input error."""
    pairs = []
    load = np.zeros(prepared.n_mentors, dtype=np.int64)
    for mentee, mentor in prepared.instance.locked:
        i, j = prepared.mentee_index[mentee], prepared.mentor_index[mentor]
        problem = prepared.why_not(i, j)
        if problem:
            raise InstanceError(f"locked pair ({mentee!r}, {mentor!r}) breaks a rule: {problem}")
        load[j] += 1
        if load[j] > prepared.capacity[j]:
            raise InstanceError(
                f"locked pairs give mentor {mentor!r} more mentees than their capacity "
                f"({prepared.capacity[j]})"
            )
        pairs.append((i, j))
    return pairs

"""Reading instances from JSON or CSV, and writing results, for the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from mentorcraft.matching.engine.groups import Coach
from mentorcraft.matching.engine.model import Instance, InstanceError, Person, Result

PERSON_FIELDS = {
    "id",
    "name",
    "languages",
    "topics",
    "years",
    "time_zone",
    "hours",
    "manager",
    "avoid",
    "capacity",
    "prefers",
    "tier",
}


def _person(data: Any, where: str) -> Person:
    if not isinstance(data, dict):
        raise InstanceError(f"{where} must be an object")
    unknown = set(data) - PERSON_FIELDS
    if unknown:
        raise InstanceError(f"{where} has unknown fields: {', '.join(sorted(unknown))}")
    if "id" not in data or data["id"] in (None, ""):
        raise InstanceError(f"{where} has no id")
    pid = str(data["id"])
    topics = data.get("topics", {})
    if isinstance(topics, list):
        topics = {str(t): 2.0 for t in topics}
    if not isinstance(topics, dict):
        raise InstanceError(f"{where} ({pid}): topics must be a list or an object")
    try:
        return Person(
            id=pid,
            name=str(data.get("name", "")),
            languages=frozenset(str(x) for x in data.get("languages", [])),
            topics={str(k): float(v) for k, v in topics.items()},
            years=float(data.get("years", 0)),
            time_zone=str(data.get("time_zone", "UTC")),
            hours=float(data.get("hours", 1)),
            manager=str(data["manager"]) if data.get("manager") not in (None, "") else None,
            avoid=frozenset(str(x) for x in data.get("avoid", [])),
            capacity=int(data.get("capacity", 1)),
            prefers=tuple(str(x) for x in data.get("prefers", [])),
            tier=str(data.get("tier", "")),
        )
    except (TypeError, ValueError) as exc:
        raise InstanceError(f"{where} ({pid}): {exc}") from exc


def _pairs(data: Any, name: str) -> list[tuple[str, str]]:
    if data is None:
        return []
    if not isinstance(data, list) or any(
        not isinstance(p, list | tuple) or len(p) != 2 for p in data
    ):
        raise InstanceError(f"{name} must be a list of [mentee_id, mentor_id] pairs")
    return [(str(a), str(b)) for a, b in data]


def instance_from_dict(data: Any) -> Instance:
    if not isinstance(data, dict):
        raise InstanceError("the instance must be a JSON object")
    for key in ("mentees", "mentors"):
        if not isinstance(data.get(key), list):
            raise InstanceError(f"'{key}' must be a list")
    scores = data.get("scores")
    if scores is not None:
        if not isinstance(scores, list) or any(
            not isinstance(s, list | tuple) or len(s) != 3 for s in scores
        ):
            raise InstanceError("'scores' must be a list of [mentee_id, mentor_id, score]")
        try:
            scores = [(str(a), str(b), float(s)) for a, b, s in scores]
        except (TypeError, ValueError) as exc:
            raise InstanceError(f"a score is not a number: {exc}") from exc
    weights = data.get("weights", {})
    if not isinstance(weights, dict):
        raise InstanceError("'weights' must be an object")
    preferences = data.get("preferences")
    if preferences is not None:
        if not isinstance(preferences, dict) or set(preferences) - {"mentees", "mentors"}:
            raise InstanceError('\'preferences\' must be {"mentees": {...}, "mentors": {...}}')
        preferences = {
            side: {str(k): [str(x) for x in v] for k, v in preferences.get(side, {}).items()}
            for side in ("mentees", "mentors")
        }
    try:
        weights = {str(k): float(v) for k, v in weights.items()}
    except (TypeError, ValueError) as exc:
        raise InstanceError(f"a weight is not a number: {exc}") from exc
    instance = Instance(
        mentees=[_person(p, f"mentee #{n + 1}") for n, p in enumerate(data["mentees"])],
        mentors=[_person(p, f"mentor #{n + 1}") for n, p in enumerate(data["mentors"])],
        weights=weights,
        scores=scores,
        forbidden=_pairs(data.get("forbidden"), "forbidden"),
        locked=_pairs(data.get("locked"), "locked"),
        preferences=preferences,
        managers={str(k): str(v) for k, v in data.get("managers", {}).items()},
        min_experience_gap=float(data.get("min_experience_gap", 3.0)),
    )
    instance.validate()
    return instance


def coaches_from_dict(data: dict) -> list[Coach]:
    coaches = []
    for n, c in enumerate(data.get("coaches", [])):
        if not isinstance(c, dict) or "id" not in c:
            raise InstanceError(f"coach #{n + 1} needs an id")
        coaches.append(
            Coach(
                id=str(c["id"]),
                capacity=int(c.get("capacity", 1)),
                time_zone=str(c.get("time_zone", "UTC")),
                manager=c.get("manager"),
            )
        )
    return coaches


def _split(value: str) -> list[str]:
    return [x.strip() for x in value.split(";") if x.strip()]


def instance_from_csv(path: Path) -> dict:
    """One row per person: role (mentee, mentor or member), id, and profile columns.

    Lists are separated by semicolons; topics may carry a level, as in ``negotiation:3``.
    """
    people: dict[str, list] = {"mentees": [], "mentors": [], "people": []}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "id" not in reader.fieldnames:
            raise InstanceError(f"{path}: the first row must name the columns, including 'id'")
        for line, row in enumerate(reader, start=2):
            role = (row.get("role") or "").strip().lower()
            target = {"mentee": "mentees", "mentor": "mentors", "member": "people"}.get(role)
            if target is None:
                raise InstanceError(f"{path}:{line}: role must be mentee, mentor or member")
            topics: dict[str, float] = {}
            for item in _split(row.get("topics", "")):
                name, _, level = item.partition(":")
                try:
                    topics[name.strip()] = float(level) if level else 2.0
                except ValueError as exc:
                    raise InstanceError(f"{path}:{line}: bad topic level in {item!r}") from exc
            entry: dict[str, Any] = {
                "id": row.get("id", "").strip(),
                "name": row.get("name", ""),
                "languages": _split(row.get("languages", "")),
                "topics": topics,
                "time_zone": row.get("time_zone") or "UTC",
                "avoid": _split(row.get("avoid", "")),
                "prefers": _split(row.get("prefers", "")),
                "tier": row.get("tier", ""),
            }
            if row.get("manager"):
                entry["manager"] = row["manager"].strip()
            for key, kind in (("years", float), ("hours", float), ("capacity", int)):
                if row.get(key):
                    try:
                        entry[key] = kind(row[key])
                    except ValueError as exc:
                        raise InstanceError(f"{path}:{line}: {key} must be a number") from exc
            people[target].append(entry)
    return people


def load(path: Path) -> dict:
    try:
        if path.suffix.lower() == ".csv":
            return instance_from_csv(path)
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InstanceError(f"{path}: no such file") from exc
    except json.JSONDecodeError as exc:
        raise InstanceError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    except UnicodeDecodeError as exc:
        raise InstanceError(f"{path}: not UTF-8 text") from exc


def write_result(result: Result, path: Path | None) -> str:
    if path is not None and path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["mentee", "mentor", "score", "reasons"])
            for pair in result.pairs:
                writer.writerow(
                    [pair.mentee, pair.mentor, f"{pair.score:.2f}", "; ".join(pair.reasons)]
                )
            for entry in result.unmatched:
                writer.writerow([entry.mentee, "", "", entry.reason])
        return str(path)
    text = json.dumps(result.as_dict(), indent=2, ensure_ascii=False)
    if path is not None:
        path.write_text(text + "\n", encoding="utf-8")
    return text

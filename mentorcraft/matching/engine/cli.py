"""``python -m mentorcraft.matching solve|groups|recommend INSTANCE`` for spreadsheet users."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mentorcraft.matching.engine import (
    InstanceError,
    form_groups,
    recommend,
    solve,
)
from mentorcraft.matching.engine.io import (
    _person,
    coaches_from_dict,
    instance_from_dict,
    load,
    write_result,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mentorcraft.matching",
        description="Match mentees with mentors, or form groups, from a JSON or CSV file.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("solve", help="match mentees with mentors")
    s.add_argument("instance", type=Path)
    s.add_argument("--mode", choices=["optimal", "stable"], default="optimal")
    s.add_argument("-o", "--output", type=Path, help="write the result here (.json or .csv)")
    g = sub.add_parser("groups", help="form groups (supervision circles, peer groups)")
    g.add_argument("instance", type=Path)
    g.add_argument("--min", dest="min_size", type=int, default=3)
    g.add_argument("--max", dest="max_size", type=int, default=5)
    g.add_argument("--window", type=float, default=4.0, help="widest time-zone spread, hours")
    g.add_argument("-o", "--output", type=Path)
    r = sub.add_parser("recommend", help="the best mentors for one mentee")
    r.add_argument("instance", type=Path)
    r.add_argument("mentee")
    r.add_argument("-n", type=int, default=10)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        data = load(args.instance)
        if args.command == "groups":
            people = data.get("people") if isinstance(data, dict) else None
            if not isinstance(people, list):
                raise InstanceError("'people' must be a list")
            members = [_person(p, f"person #{n + 1}") for n, p in enumerate(people)]
            result = form_groups(
                members,
                min_size=args.min_size,
                max_size=args.max_size,
                coaches=coaches_from_dict(data),
                time_zone_window=args.window,
            )
            text = json.dumps(result.as_dict(), indent=2, ensure_ascii=False)
            if args.output:
                args.output.write_text(text + "\n", encoding="utf-8")
            else:
                print(text)
            return 0
        instance = instance_from_dict(data)
        if args.command == "recommend":
            pairs = recommend(instance, args.mentee, n=args.n)
            print(json.dumps([p.as_dict() for p in pairs], indent=2, ensure_ascii=False))
            return 0
        result = solve(instance, mode=args.mode)
        text = write_result(result, args.output)
        print(text if args.output is None else f"wrote {text}")
        return 0
    except InstanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

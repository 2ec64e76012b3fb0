"""The API's contract, proved against a running demo: schemathesis over every operation of the
OpenAPI schema, as the demo coordinator and as the demo mentee, with ids each can really see.

    .venv/bin/python config/tests/api_contract.py            # both roles, the CI budget
    .venv/bin/python config/tests/api_contract.py --role mentee --examples 30 --keep

It makes a fresh SQLite database in a temporary folder, migrates it, seeds the demo, gives each
role a personal token, serves the app with gunicorn (two workers, SQLite in WAL mode) and runs
``schemathesis run`` once per role with a config file written for that role.
Every path parameter of every operation is filled with an id of something the role can see
(``id_sources``), so the generated requests get past the access helpers' 404 into the
endpoint's own rules; a parameter with no source is left to schemathesis and named in the
output. The exit status is non-zero when either run finds a failure. See docs/api.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SCHEMA_PATH = "/api/v1/openapi.json"
WORKERS = 2  # server processes, and schemathesis workers sending to them

# What schemathesis checks, and the statuses a check accepts where the default does not fit.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "ignored_auth",
]
# Input that the schema allows may still break a rule the schema cannot say (a meeting in the
# past, a second open request, a programme that ends before it starts): the service refuses it
# with 400 (a rule) or 409 (the wrong moment). What it must never get is 422, which says the
# schema itself was broken, nor a server error.
POSITIVE_STATUSES = ["2xx", "400", "401", "403", "404", "409", "413"]
# A body larger than the server takes (DATA_UPLOAD_MAX_MEMORY_SIZE) is 413, whether or not its
# fields are valid: JSON Schema can limit a string's characters but not the bytes they take once
# escaped (a people import's CSV may be a million characters). Operations that take such text
# document the 413; for the rest a body that size cannot be sent within their limits.
# schemathesis's own list for refusing bad input, with 413 added (server errors are the
# not_a_server_error check's to report).
NEGATIVE_STATUSES = [
    *("400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx")
]


def id_sources() -> dict[str, dict[str, Callable[[Any], int | None]]]:
    """For each router (the path's first part under /api/v1/) and path parameter, how to find
    one id the person can see. Imported late: Django must be set up first."""
    from django.db.models import Q

    from mentorcraft.communities import models as communities
    from mentorcraft.matching import models as matching
    from mentorcraft.mentorships import models as mentorships
    from mentorcraft.people.models import User
    from mentorcraft.programmes import models as programmes
    from mentorcraft.recognition import models as recognition
    from mentorcraft.support import models as support
    from mentorcraft.training import models as training

    def first(qs: Any) -> int | None:
        return qs.order_by("pk").values_list("pk", flat=True).first()

    def progs(user: User) -> Any:
        return programmes.Programme.objects.filter(roles__user=user).distinct()

    def pairs(user: User) -> Any:
        mine = Q(mentor=user) | Q(mentee=user)
        if mentorships.Mentorship.every.filter(mine).exists():
            return mentorships.Mentorship.every.filter(mine)
        return mentorships.Mentorship.every.filter(programme__in=progs(user))

    def in_progs(model: Any, user: User, through: str = "programme") -> Any:
        return model.objects.filter(**{f"{through}__in": progs(user)})

    def people(user: User) -> int | None:
        return user.pk

    def programme(user: User) -> int | None:
        # The programme of the person's own pair (the one with the most going on), else the
        # newest they take part in.
        pair = pairs(user).order_by("pk").first()
        return pair.programme_id if pair else first(progs(user).order_by("-pk"))

    def groups(user: User) -> Any:
        # Communities of practice the person belongs to: a mentee's are the mentees' ones.
        mine = programmes.ProgrammeRole.objects.filter(user=user)
        audiences = {f"{role}s" for role in mine.values_list("role", flat=True)}
        if "coordinators" in audiences:
            return in_progs(communities.Community, user)
        return in_progs(communities.Community, user).filter(audience__in=audiences)

    shared = {
        "programme_id": programme,
        "mentorship_id": lambda u: first(pairs(u)),
        "person_id": people,
        "user_id": people,
    }
    return {
        "people": {**shared},
        "programmes": {**shared},
        "applications": {
            "application_id": lambda u: (
                first(programmes.Application.objects.filter(applicant=u))
                or first(in_progs(programmes.Application, u))
            ),
        },
        "matching": {
            **shared,
            "run_id": lambda u: first(in_progs(matching.MatchRun, u)),
            "offer_id": lambda u: (
                first(matching.Offer.objects.filter(Q(mentee=u) | Q(mentor=u)))
                or first(in_progs(matching.Offer, u))
            ),
            "request_id": lambda u: (
                first(matching.MatchRequest.objects.filter(Q(mentee=u) | Q(mentor=u)))
                or first(in_progs(matching.MatchRequest, u))
            ),
        },
        "mentorships": {
            **shared,
            "goal_id": lambda u: first(mentorships.Goal.objects.filter(mentorship__in=pairs(u))),
            "meeting_id": lambda u: first(
                mentorships.Meeting.objects.filter(mentorship__in=pairs(u))
            ),
            "note_id": lambda u: first(mentorships.PrivateNote.objects.filter(author=u)),
        },
        "training": {
            **shared,
            "module_id": lambda u: first(training.Module.objects.all()),
            "session_id": lambda u: first(training.Session.objects.all()),
            "registration_id": lambda u: (
                first(training.Registration.objects.filter(person=u))
                or first(training.Registration.objects.all())
            ),
            "requirement_id": lambda u: first(in_progs(training.Requirement, u)),
        },
        "supervision": {
            **shared,
            "proposal_id": lambda u: first(in_progs(support.Formation, u)),
            "circle_id": lambda u: (
                first(support.Circle.objects.filter(members__mentor=u))
                or first(in_progs(support.Circle, u))
            ),
            "session_id": lambda u: first(in_progs(support.SupervisionSession, u)),
            "topic_id": lambda u: (
                first(support.Topic.objects.filter(mentor=u)) or first(in_progs(support.Topic, u))
            ),
            "concern_id": lambda u: (
                first(support.Concern.objects.filter(raised_by=u))
                or first(in_progs(support.Concern, u))
            ),
            "agreement_id": lambda u: first(in_progs(support.SupervisionAgreement, u)),
            "support_id": lambda u: first(in_progs(support.ExternalSupport, u)),
            "ask_id": lambda u: first(in_progs(support.SupportAsk, u)),
            "request_id": lambda u: (
                first(support.PeerRequest.objects.filter(mentor=u))
                or first(in_progs(support.PeerRequest, u))
            ),
            "round_id": lambda u: first(in_progs(support.PeerRound, u)),
            "pair_id": lambda u: first(
                support.PeerMatch.objects.filter(round__programme__in=progs(u))
            ),
        },
        "communities": {
            **shared,
            "community_id": lambda u: first(groups(u)),
            "event_id": lambda u: first(communities.Event.objects.filter(community__in=groups(u))),
            "thread_id": lambda u: first(
                communities.Thread.objects.filter(community__in=groups(u))
            ),
            "post_id": lambda u: first(
                communities.Post.objects.filter(thread__community__in=groups(u))
            ),
            "resource_id": lambda u: first(
                communities.Resource.objects.filter(community__in=groups(u))
            ),
        },
        "recognition": {
            **shared,
            "note_id": lambda u: first(
                recognition.ThankYouNote.objects.filter(Q(sender=u) | Q(recipient=u))
            ),
        },
    }


# Parameters that are not ids: a fixed value the role can use (strings, enumerations).
def _fixed_values() -> dict[str, dict[str, Callable[[Any], Any]]]:
    from mentorcraft.programmes.models import ProgrammeRole
    from mentorcraft.recognition.models import Certificate

    def audience(user: Any) -> str:
        roles = set(ProgrammeRole.objects.filter(user=user).values_list("role", flat=True))
        return "mentees" if roles == {"mentee"} else "mentors"

    return {
        "communities": {"audience": audience},
        "recognition": {
            "reference": lambda u: (
                Certificate.objects.filter(holder=u).values_list("reference", flat=True).first()
                or Certificate.objects.values_list("reference", flat=True).first()
            ),
        },
    }


def prepare(workdir: Path, roles: list[str]) -> dict[str, dict]:
    """Migrate and seed a fresh database; per role: a token and the values for every path
    parameter of the schema (``{path: {name: value}}``)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from config.api import api
    from mentorcraft.demo.people import DEMO_DOMAIN
    from mentorcraft.people.models import User
    from mentorcraft.people.services import api_token_create

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0)
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    sources, fixed = id_sources(), _fixed_values()
    found: dict[str, dict] = {}
    for role in roles:
        user = User.objects.get(email=f"{role}@{DEMO_DOMAIN}")
        token = api_token_create(user=user, name=f"api contract ({role})")[1]
        per_path: dict[str, dict[str, Any]] = {}
        missing: set[str] = set()
        for path in schema["paths"]:
            names = re.findall(r"{(\w+)}", path)
            if not names:
                continue
            router = path.removeprefix("/api/v1/").split("/", 1)[0]
            values = {}
            for name in names:
                source = sources.get(router, {}).get(name) or fixed.get(router, {}).get(name)
                value = source(user) if source else None
                if value is None:
                    missing.add(f"{router}/{{{name}}}")
                else:
                    values[name] = value
            if values:
                per_path[path] = values
        found[role] = {"token": token, "paths": per_path, "missing": sorted(missing)}
    connections.close_all()
    (workdir / "schema.json").write_text(json.dumps(schema))
    return found


def _toml(value: Any) -> str:
    return json.dumps(value)  # a JSON string, integer or list is TOML too


def write_config(
    path: Path, *, base_url: str, token: str, paths: dict, examples: int, coverage: bool
) -> None:
    lines = [
        f"base-url = {_toml(base_url)}",
        f"workers = {WORKERS}",
        "seed = 1",
        "continue-on-failure = true",
        'suppress-health-check = ["all"]',
        "",
        "[headers]",
        f"Authorization = {_toml('Bearer ' + token)}",
        "",
        "[generation]",
        f"max-examples = {examples}",
        "deterministic = true",
        "",
        # NUL is refused in every string by the middleware (422, as the API's description
        # says), including keys the endpoint would ignore: JSON Schema cannot say so.
        "allow-x00 = false",
        "",
        "[phases]",
        # The coverage phase (every boundary of every field) takes minutes per role: --coverage.
        f"coverage.enabled = {'true' if coverage else 'false'}",
        "stateful.enabled = false  # django-ninja writes no OpenAPI links to follow",
        "",
        "[checks]",
        "enabled = false",
        *(f"{check}.enabled = true" for check in CHECKS),
        f"positive_data_acceptance.expected-statuses = {_toml(POSITIVE_STATUSES)}",
        f"negative_data_rejection.expected-statuses = {_toml(NEGATIVE_STATUSES)}",
    ]
    for op_path, values in sorted(paths.items()):
        lines += [
            "",
            "[[operations]]",
            f"include-path = {_toml(op_path)}",
            "parameters = { "
            + ", ".join(f'"path.{name}" = {_toml(value)}' for name, value in values.items())
            + " }",
        ]
    path.write_text("\n".join(lines) + "\n")


def serve(env: dict, port: int, log: Path) -> subprocess.Popen:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(f"Something already listens on port {port}: stop it, or pass --port.")
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}{SCHEMA_PATH}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The server stopped at once; see {log}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=60):
                return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    stop(server)
    sys.exit(f"The server did not answer {url} in two minutes; see {log}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("API_CONTRACT_PORT", 8104)))
    parser.add_argument("--role", action="append", choices=["coordinator", "mentee", "mentor"])
    parser.add_argument("--examples", type=int, default=8, help="test cases per operation")
    parser.add_argument(
        "--coverage", action="store_true", help="also the coverage phase (slow: every boundary)"
    )
    parser.add_argument("--max-failures", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the folder with the database")
    parser.add_argument("extra", nargs="*", help="more arguments for `schemathesis run`")
    args = parser.parse_args()
    roles = args.role or ["coordinator", "mentee"]

    workdir = Path(tempfile.mkdtemp(prefix="api-contract-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # The project's own SQLite settings (WAL, writers queue on a busy timeout), so that two
        # server workers and two schemathesis workers can share the file.
        "SQLITE_PATH": str(workdir / "contract.sqlite3"),
        "DEBUG": "1",
        "REQUIRE_MFA_FOR_STAFF": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("DATABASE_URL", None)
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    print(f"Preparing the demo database in {workdir} …", flush=True)
    found = prepare(workdir, roles)
    server = serve(env, args.port, workdir / "server.log")
    failed = []
    try:
        for role in roles:
            info = found[role]
            config = workdir / f"schemathesis-{role}.toml"
            write_config(
                config,
                base_url=f"http://127.0.0.1:{args.port}",
                token=info["token"],
                paths=info["paths"],
                examples=args.examples,
                coverage=args.coverage,
            )
            print(f"\n=== schemathesis as the demo {role} ===", flush=True)
            if info["missing"]:
                print("No id the role can see for: " + ", ".join(info["missing"]), flush=True)
            command = [
                str(VENV_BIN / "schemathesis"),
                "--config-file",
                str(config),
                "run",
                f"http://127.0.0.1:{args.port}{SCHEMA_PATH}",
                "--no-color",
                "--report",
                "junit",
                "--report-dir",
                str(workdir / f"report-{role}"),
            ]
            if args.max_failures:
                command += ["--max-failures", str(args.max_failures)]
            started = time.monotonic()
            result = subprocess.run([*command, *args.extra], cwd=workdir, env=env, check=False)
            print(f"({role}: {time.monotonic() - started:.0f} s, exit {result.returncode})")
            if result.returncode:
                failed.append(role)
    finally:
        stop(server)
    if args.keep or failed:
        print(f"\nThe database, server log and reports are in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        print("API contract broken as: " + ", ".join(failed))
        return 1
    print("API contract holds for: " + ", ".join(roles))
    return 0


if __name__ == "__main__":
    sys.exit(main())

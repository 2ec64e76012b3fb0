"""Speed of the pages people open every day, at the demo's size and at fifty times it.

    python bench/pages_bench.py           # 1x and 50x the demo, 5 s of load a page
    python bench/pages_bench.py --quick   # 1x and 3x, 1 s a page: a smoke run (CI runs it)

For each size it builds a throwaway SQLite database (the demo organisation seeded N times over,
with one coordinator running every programme), counts each page's queries in-process, then
serves the site with gunicorn (2 workers) and loads each page with wrk (Debian's package; a
small Python client stands in when wrk is missing). Two baselines are served by the same workers
in the same run: a trivial ``HttpResponse`` view, and a plain 20-row page of this site (the
layout, for a signed-in person, a table of 20 rows from one query). The figures are ratios to
those baselines, so they compare across machines; p50 and p99 are the load tool's latencies.

The home pages are measured twice: as people get them (from the cache, fresh after any write)
and computed (HOME_CACHE_SECONDS=0), which is what the first visit after a write costs.
Writes bench/pages-results[-quick].json.

Targets (issue 9): query counts constant in the data; every page at 50x within 2x of its own
time at 1x; the home pages at least as fast as the plain 20-row page.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent

# (what, who is signed in, the page: a path, or a key of _urls)
PAGES = [
    ("home, coordinator", "coordinator", "/"),
    ("home, mentor", "mentor", "/"),
    ("home, mentee", "mentee", "/"),
    ("programmes", "coordinator", "/programmes/"),
    ("programme page", "coordinator", "programme"),
    ("applications", "coordinator", "applications"),
    ("review queue", "coordinator", "review"),
    ("matching workspace", "coordinator", "workspace"),
    ("run review", "coordinator", "run"),
    ("pairs", "coordinator", "pairs"),
    ("relationships board", "coordinator", "board"),
    ("pair page", "mentor", "pair"),
    ("API: programmes", "coordinator", "/api/v1/programmes/"),
    ("API: applications", "coordinator", "api-applications"),
    ("API: run proposals", "coordinator", "api-proposals"),
    ("API: board", "coordinator", "api-health"),
    ("training catalogue", "mentor", "/training/"),
    ("training sessions", "mentor", "/training/sessions/"),
    ("training record", "mentor", "/training/me/"),
    ("programme's training", "coordinator", "training"),
]
# The floor (no session, no template) and a plain page of this site: the layout, for a signed-in
# person, with a 20-row table from one query.
BASELINES = [
    ("trivial view", "", "/bench/trivial/"),
    ("plain 20-row page", "coordinator", "/bench/plain/"),
]
HOMES = {"home, coordinator", "home, mentor", "home, mentee"}
SIGNED_IN = ("coordinator", "mentor", "mentee")


# --- In a child process, on one database: build it, or inspect it ---------------------------------


def _django(path: str) -> None:
    os.environ["SQLITE_PATH"] = path
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def build(path: str, copies: int) -> None:
    """The demo organisation ``copies`` times over (each copy with its own people and three
    programmes), the first copy's coordinator coordinating every programme."""
    _django(path)
    from django.core.management import call_command
    from django.db import transaction

    from mentorcraft.demo import people as demo_people
    from mentorcraft.demo.seeding import seed_demo
    from mentorcraft.notifications.services import email_muted
    from mentorcraft.people.models import User
    from mentorcraft.programmes.models import Programme, Role
    from mentorcraft.programmes.services import programme_role_grant

    call_command("migrate", verbosity=0)
    domain, staff = demo_people.DEMO_DOMAIN, demo_people.STAFF_DOMAIN
    first_copy: dict[int, str] = {}
    for copy in range(copies):
        if copy:  # each later copy has its own e-mail addresses and programme names
            demo_people.DEMO_DOMAIN = f"copy{copy}.{domain}"
            demo_people.STAFF_DOMAIN = f"copy{copy}.{staff}"
            # Programme names are unique, so the copy seeded last steps aside first.
            for pk, name in Programme.objects.exclude(name__contains=" (copy ").values_list(
                "pk", "name"
            ):
                if copy == 1:
                    first_copy[pk] = name
                Programme.objects.filter(pk=pk).update(name=f"{name} (copy {copy - 1})")
        with email_muted(), transaction.atomic():
            seed_demo()
    demo_people.DEMO_DOMAIN, demo_people.STAFF_DOMAIN = domain, staff
    if copies > 1:  # the first copy keeps the demo's own names
        for pk, name in Programme.objects.exclude(name__contains=" (copy ").values_list(
            "pk", "name"
        ):
            Programme.objects.filter(pk=pk).update(name=f"{name} (copy {copies - 1})")
    for pk, name in first_copy.items():
        Programme.objects.filter(pk=pk).update(name=name)
    coordinator = User.objects.get(email=f"coordinator@{domain}")
    with email_muted(), transaction.atomic():
        for programme in Programme.objects.exclude(roles__user=coordinator):
            programme_role_grant(
                programme=programme, user=coordinator, role=Role.COORDINATOR, by=None
            )


def _urls() -> dict[str, str]:
    """The first copy's pages: the ones its demo logins open."""
    from django.urls import reverse

    from mentorcraft.demo.people import DEMO_DOMAIN
    from mentorcraft.matching.models import MatchRun
    from mentorcraft.mentorships.models import Mentorship
    from mentorcraft.programmes.models import Phase, Programme

    def first(phase: str) -> int:
        return Programme.objects.filter(phase=phase).order_by("pk").values_list("pk", flat=True)[0]

    recruiting, matching, running = (
        first(Phase.RECRUITING),
        first(Phase.MATCHING),
        first(Phase.RUNNING),
    )
    run = MatchRun.objects.filter(programme_id=matching).order_by("pk").first()
    pair = Mentorship.objects.get(mentor__email=f"mentor@{DEMO_DOMAIN}", programme_id=running)
    return {
        "programme": reverse("programmes:detail", args=[running]),
        "applications": reverse("programmes:applications", args=[recruiting]),
        "review": reverse("programmes:review_queue", args=[recruiting]),
        "workspace": reverse("matching:workspace", args=[matching]),
        "run": reverse("matching:run", args=[run.pk]),
        "pairs": reverse("mentorships:programme", args=[running]),
        "board": reverse("mentorships:board", args=[running]),
        "pair": pair.get_absolute_url(),
        "api-applications": f"/api/v1/programmes/{recruiting}/applications",
        "api-proposals": f"/api/v1/matching/runs/{run.pk}/proposals",
        "api-health": f"/api/v1/mentorships/programmes/{running}/health",
        "training": reverse("training:programme", args=[matching]),
    }


def inspect(path: str) -> None:
    """Print as JSON: each page's path and query count, a session to sign in with for each
    demo login used, and the size of the data."""
    _django(path)
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mentorcraft.demo.people import DEMO_DOMAIN
    from mentorcraft.matching.models import Proposal
    from mentorcraft.mentorships.models import Mentorship
    from mentorcraft.people.models import User
    from mentorcraft.programmes.models import Application, Programme

    sessions = {}
    for key in SIGNED_IN:
        user = User.objects.get(email=f"{key}@{DEMO_DOMAIN}")
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        sessions[key] = store.session_key
    urls = _urls()

    def queries(url: str, who: str) -> int:
        client = Client()
        client.cookies["sessionid"] = sessions[who]
        client.get(url)  # the first visit may create a settings row
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return len(captured.captured_queries)

    pages = {}
    for name, who, where in PAGES:
        url = urls.get(where, where)
        pages[name] = {"url": url, "queries": queries(url, who)}
    settings.HOME_CACHE_SECONDS = 0
    computed = {name: queries(pages[name]["url"], who) for name, who, _ in PAGES if name in HOMES}
    sizes = {
        "programmes": Programme.objects.count(),
        "pairs": Mentorship.objects.count(),
        "applications": Application.objects.count(),
        "people": User.objects.count(),
        "proposals": Proposal.objects.count(),
    }
    print(json.dumps({"pages": pages, "computed": computed, "sessions": sessions, "sizes": sizes}))


# --- In the parent: serve with gunicorn and load with wrk ---------------------------------------


def _child(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT
    )
    if result.returncode:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"{' '.join(args)} failed")
    return result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(path: str, **extra_env: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        **extra_env,
        "SQLITE_PATH": path,
        "DJANGO_SETTINGS_MODULE": "pages_site",
        "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT)]),
    }
    env.pop("DATABASE_URL", None)
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    server = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/bench/trivial/", timeout=1)
            return server, base
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _load_wrk(url: str, cookie: str, seconds: float) -> dict:
    command = ["wrk", "-t2", "-c4", f"-d{max(1, round(seconds))}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"{url}: some answers were not 2xx:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p: str) -> float:
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return round(float(value) * UNITS[unit], 2)

    return {"rps": rps, "p50_ms": percentile("50"), "p99_ms": percentile("99")}


def _load_python(url: str, cookie: str, seconds: float) -> dict:
    """The stand-in for wrk: four keep-alive connections from threads."""
    host, _, rest = url.removeprefix("http://").partition("/")
    path = "/" + rest
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(host, timeout=30)
        headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        mine = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{url}: {response.status}")
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    begun = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begun
    latencies.sort()
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 2),
    }


def load(url: str, cookie: str, seconds: float) -> dict:
    urllib.request.urlopen(
        urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {}),
        timeout=30,
    ).read()  # warm the workers' caches first
    if shutil.which("wrk"):
        return _load_wrk(url, cookie, seconds)
    return _load_python(url, cookie, seconds)


def measure(copies: int, seconds: float, workdir: str) -> dict:
    path = os.path.join(workdir, f"pages-{copies}x.sqlite3")
    started = time.perf_counter()
    _child("--build", path, "--copies", str(copies))
    built = time.perf_counter() - started
    facts = json.loads(_child("--inspect", path))
    server, base = serve(path)
    try:
        results = {
            name: load(base + where, facts["sessions"].get(who, ""), seconds)
            for name, who, where in BASELINES
        }
        for name, who, _where in PAGES:
            page = facts["pages"][name]
            results[name] = {**load(base + page["url"], facts["sessions"][who], seconds), **page}
    finally:
        server.terminate()
        server.wait(timeout=30)
    # The home pages again, computed on every visit (what the first visit after a write costs).
    server, base = serve(path, HOME_CACHE_SECONDS="0")
    try:
        for name, who, _where in PAGES:
            if name in HOMES:
                page = {**facts["pages"][name], "queries": facts["computed"][name]}
                url = base + page["url"]
                results[f"{name} (computed)"] = {
                    **load(url, facts["sessions"][who], seconds),
                    **page,
                }
    finally:
        server.terminate()
        server.wait(timeout=30)
    trivial, plain = results["trivial view"]["rps"], results["plain 20-row page"]["rps"]
    for row in results.values():
        row["vs_trivial"] = round(row["rps"] / trivial, 3)
        row["vs_plain"] = round(row["rps"] / plain, 3)
    return {"copies": copies, "sizes": facts["sizes"], "build_s": round(built, 1), "pages": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1x and 3x, 1 s a page")
    parser.add_argument("--large", type=int, help="how many times the demo for the large run")
    parser.add_argument("--seconds", type=float, help="seconds of load a page")
    parser.add_argument("--only", help="only the pages whose name contains this")
    parser.add_argument("--copies", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--build", help=argparse.SUPPRESS)
    parser.add_argument("--inspect", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        return build(args.build, args.copies)
    if args.inspect:
        return inspect(args.inspect)

    large, seconds = (3, 1.0) if args.quick else (50, 5.0)
    large, seconds = args.large or large, args.seconds or seconds
    if args.only:
        PAGES[:] = [page for page in PAGES if args.only in page[0]]
    tool = "wrk" if shutil.which("wrk") else "a Python client (install wrk for better figures)"
    print(f"Pages at 1x and {large}x the demo, {seconds:g} s of load each, with {tool}.")
    with tempfile.TemporaryDirectory() as workdir:
        small = measure(1, seconds, workdir)
        big = measure(large, seconds, workdir)
    print(f"  data 1x: {small['sizes']}\n  data {large}x: {big['sizes']}")
    big_rps, big_time = f"req/s {large}x", f"time {large}x/1x"
    header = (
        f"  {'page':<30} {'queries':>9} {'req/s 1x':>9} {big_rps:>10} "
        f"{'x trivial':>9} {'x plain':>8} {'p50 ms':>7} {'p99 ms':>7} {big_time:>12}"
    )
    print(header)
    verdicts = []
    for name, row in big["pages"].items():
        one = small["pages"][name]
        slower = round(one["rps"] / row["rps"], 2)
        row["time_vs_1x"] = slower
        queries = f"{one.get('queries', '-')}/{row.get('queries', '-')}"
        print(
            f"  {name:<30} {queries:>9} {one['rps']:>9.0f} {row['rps']:>10.0f} "
            f"{row['vs_trivial']:>9.3f} {row['vs_plain']:>8.3f} {row['p50_ms']:>7.1f} "
            f"{row['p99_ms']:>7.1f} {slower:>12.2f}"
        )
        if "queries" in row:
            verdicts.append((f"{name}: queries constant", one["queries"] == row["queries"]))
            verdicts.append((f"{name}: {large}x within 2x of 1x", slower <= 2.0))
        if name in HOMES:
            verdicts.append((f"{name}: as fast as the plain page", row["vs_plain"] >= 1.0))
    missed = [what for what, ok in verdicts if not ok]
    print(f"  targets met: {len(verdicts) - len(missed)} of {len(verdicts)}")
    for what in missed:
        print(f"  missed: {what}")
    out = BENCH / ("pages-results-quick.json" if args.quick else "pages-results.json")
    out.write_text(json.dumps({"1x": small, f"{large}x": big, "missed": missed}, indent=2) + "\n")


if __name__ == "__main__":
    main()

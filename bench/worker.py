"""A region's matching run end to end through a real worker: enqueue to proposals visible.

    DATABASE_URL=postgres://vanmatch:vanmatch@127.0.0.1:5432/vanmatch \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 python bench/worker.py [--repeat 3] [--nation] [--no-what-if]

`--nation` runs the national pool instead (150,000 newcomers, 100,000 volunteers), loaded once
into `<database>_bench_nation`; `--no-what-if` stops each attempt when its proposals are visible;
`--keep-problem FILE` writes the last run's problem, to solve it again by the command line.

It uses the region bench/pages.py loads (20,000 waiting newcomers, 15,000 approved volunteers
in one programme of `<database>_bench`), starts a real Celery worker process (prefork, one
child, as production runs it) on that database and the Redis broker, and asks for a run as a
coordinator's button does (`runs.run_request`). It follows the run's stages as the dashboard
does, polling the run's row every 0.1 s, and prints for each attempt: the whole path, from the
request to the proposals committed; the seconds of each stage (the engine's own stages as the
run records them, the time to write the proposals and the documents); the worker's peak memory
(the proportional set sizes of the worker and its pool child, summed, sampled four times a
second) and the run's time limit; then how much longer the worker takes to work out what would
help those the run left waiting (matching/whatif.py). After each attempt the run and its proposals are removed and
the queue the bench loaded is pending again, so pages.py still measures the same state.

Tests never assert on time; the figures go in bench/README.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import pages  # noqa: E402  (sets up Django's environment for the bench database)
from run import _pss_kb, _tree  # noqa: E402


def _worker(database: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database, "DEBUG": "false"}
    log = (HERE / "out" / "worker.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING", "--concurrency=1"]
        + ["--pool=prefork", "--without-gossip", "--without-mingle", f"--hostname=bench-{os.getpid()}@%h"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _sample(pid: int, peak: list[int], stop: threading.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], sum(_pss_kb(p) for p in _tree(pid)))
        time.sleep(0.25)


def _attempt(ids: dict, worker_pid: int, *, what_if: bool = True, keep_problem: str | None = None) -> dict:
    from accounts.models import User
    from coordinator.models import MatchingRun, Programme, Proposal
    from coordinator.services import runs

    programme = Programme.objects.get(pk=ids["programme"])
    coordinator = User.objects.get(pk=ids["coordinator"])
    earlier = MatchingRun.objects.filter(programme=programme, status="done").order_by("created_at").first()
    peak, stop = [0], threading.Event()
    sampler = threading.Thread(target=_sample, args=(worker_pid, peak, stop), daemon=True)
    sampler.start()
    stages: dict[str, float] = {}
    start = time.perf_counter()
    run = runs.run_request(programme=programme, by=coordinator)
    seen, since = "queued", start
    while True:
        row = MatchingRun.objects.filter(pk=run.pk).values("status", "phase").get()
        now = time.perf_counter()
        phase = row["phase"] or row["status"]
        if phase != seen:
            stages[seen] = stages.get(seen, 0.0) + now - since
            seen, since = phase, now
        if row["status"] in ("done", "failed"):
            break
        if now - start > 1800:
            raise SystemExit("no answer from the worker in 30 minutes")
        time.sleep(0.1)
    whole = time.perf_counter() - start
    stop.set()
    sampler.join()
    run.refresh_from_db()
    if run.status != "done":
        raise SystemExit(f"the run failed: {run.failure} {run.error}")
    if keep_problem:  # to solve again with `python -m matching solve --timings`, rounds and all
        from coordinator.models import RunDocuments

        Path(keep_problem).write_text(json.dumps(RunDocuments.objects.get(run=run).problem))
    # Then the answers for those it left waiting, which the worker works out after the run.
    while what_if and MatchingRun.objects.filter(runs.UNANSWERED, pk=run.pk).exists():  # not begun, or working
        if time.perf_counter() - start > 3600:
            raise SystemExit("no answers for those left waiting in an hour")
        time.sleep(0.2)
    what_if_seconds = time.perf_counter() - start - whole
    run.refresh_from_db()
    result = {
        "whole": whole,
        "stages": stages,
        "engine": run.stats.get("seconds", {}),
        "peak_mb": peak[0] / 1024,
        "limit": run.time_limit,
        "matched": run.matched_count,
        "proposals": Proposal.objects.filter(run=run).count(),
        "what_if_seconds": what_if_seconds,
        "what_if": len(run.what_if) if isinstance(run.what_if, list) else run.what_if,
    }
    # Back to the state pages.py measures: the bench's own queue pending again.
    Proposal.objects.filter(run=run).delete()
    run.delete()
    if earlier is not None:
        Proposal.objects.filter(run=earlier).update(state=Proposal.State.PENDING)
    return result


def _load_nation() -> dict:
    """The nation (bench/generate.py's national pool: 150,000 newcomers and 100,000 volunteers
    around 70 municipalities) waiting in one programme of `<database>_bench_nation`, loaded once."""
    from allauth.account.models import EmailAddress
    from django.db import transaction
    from generate import generate

    from accounts.models import Membership, Organisation, Role, User
    from coordinator.models import Programme

    organisation = Organisation.objects.filter(slug="sverige-bench").first()
    if organisation is None:
        started = time.perf_counter()
        problem = generate("national")
        with transaction.atomic():
            organisation = Organisation.objects.create(name="Sverige (bench)", slug="sverige-bench")
            programme = Programme.objects.create(organisation=organisation, name="Språkvän Sverige", kind="sprakvan")
            coordinator = User.objects.create_user(username="bench@se.se", email="bench@se.se", password=None)
            EmailAddress.objects.create(user=coordinator, email=coordinator.email, verified=True, primary=True)
            Membership.objects.create(user=coordinator, organisation=organisation, role=Role.COORDINATOR)
            pages.load_people(
                problem, organisation, programme, len(problem["newcomers"]), len(problem["volunteers"]), "Sverige"
            )
        print(f"loaded the nation in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    programme = Programme.objects.get(organisation=organisation)
    return {"programme": programme.pk, "coordinator": User.objects.get(email="bench@se.se").pk}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nation", action="store_true", help="the national pool instead of the region's")
    parser.add_argument("--no-what-if", action="store_true", help="do not wait for what would help those left waiting")
    parser.add_argument("--keep-problem", metavar="FILE", help="write the last run's problem document here")
    args = parser.parse_args()
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
        sys.exit("bench/worker.py measures the production path: set CELERY_BROKER_URL=redis://...")
    pages._database("_bench_nation" if args.nation else "_bench")
    ids = _load_nation() if args.nation else pages._load(reload=False)
    from django.conf import settings

    db = settings.DATABASES["default"]
    database = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    (HERE / "out").mkdir(exist_ok=True)
    worker = _worker(database)
    try:
        time.sleep(8)  # the worker's start-up (imports, the broker's connection) is not the run's time
        results = []
        for k in range(args.repeat):
            r = _attempt(ids, worker.pid, what_if=not args.no_what_if, keep_problem=args.keep_problem)
            results.append(r)
            stages = " | ".join(f"{name} {seconds:.1f}" for name, seconds in r["stages"].items())
            engine = " | ".join(f"{name} {seconds:.1f}" for name, seconds in r["engine"].items())
            after = (
                f"  then what would help those left waiting: {r['what_if_seconds']:.1f} s more ({r['what_if']} changes)"
                if not args.no_what_if
                else "  (what would help those left waiting: not waited for)"
            )
            print(
                f"attempt {k + 1}: {r['whole']:.1f} s enqueue to proposals visible; {r['matched']} matched, "
                f"{r['proposals']} proposals; worker peak {r['peak_mb']:.0f} MB; limit {r['limit']} s\n"
                f"  stages seen: {stages}\n  engine: {engine}\n{after}",
                flush=True,
            )
        wholes = [r["whole"] for r in results]
        print(f"median {statistics.median(wholes):.1f} s, slowest {max(wholes):.1f} s; load {os.getloadavg()[0]:.1f}")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    main()

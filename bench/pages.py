"""A region's pool in PostgreSQL, and how long the coordinator's pages and actions take on it.

    DATABASE_URL=postgres://vanmatch:vanmatch@127.0.0.1:5432/vanmatch python bench/pages.py [--repeat 5]

It loads, into a database of its own (the configured one's name with `_bench` added, kept
between runs; `--reload` loads it afresh), one organisation with a programme of the region's
size: 20,000 waiting newcomers, 15,000 approved volunteers, and a finished run whose 16,000
proposals are pending and whose documents are the region's real problem (bench/generate.py)
and a solution of its size. Then it times, through Django's test client in this process (so:
server time, no network, no browser), each page a coordinator opens and each action she takes,
and prints the median, the slowest, the HTML size and the number of queries of each.

Tests never assert on time; the figures go in bench/README.md by hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("VANMATCH_CACHE_URL", "redis://127.0.0.1:6379/1")  # production's cache: Redis
os.environ["DEBUG"] = "false"

SIZE = {"newcomers": 20_000, "volunteers": 15_000, "proposals": 16_000}


def _database(suffix: str = "_bench") -> None:
    """Point Django at the bench database, creating it (and its tables) when missing."""
    import django
    from django.conf import settings

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/pages.py measures PostgreSQL: set DATABASE_URL=postgres://...")
    django.setup()
    # Static files as in development: no collectstatic manifest is needed to render a page.
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    from django.db import connection

    name = settings.DATABASES["default"]["NAME"] + suffix
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    settings.DATABASES["default"]["NAME"] = name
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_people(
    problem: dict, organisation, programme, n: int, m: int, locality: str = "Göteborg"
) -> tuple[list, list]:
    """The first n newcomers and m volunteers of a generated pool, waiting and approved in the
    programme, written in batches (inside the caller's transaction)."""
    from django.utils import timezone

    from coordinator.models import Newcomer, Volunteer

    now = timezone.now()

    def shared(p: dict) -> dict:  # what both sides of the pool carry
        return {
            "organisation": organisation, "last_name": "Bench", "languages": p["languages"],
            "availability": p["availability"], "latitude": p["location"]["lat"], "longitude": p["location"]["lon"],
            "locality": locality, "gender": p["gender"], "birth_year": p["birth_year"],
        }  # fmt: skip

    newcomers = Newcomer.objects.bulk_create(
        [
            Newcomer(
                **shared(p),
                first_name=f"Nyanländ{i}",
                swedish_level=p["swedish_level"],
                registered_on=date.fromisoformat(p["registered_on"]),
                target_group="nyanland",
                consent_given_at=now,
                consent_method="written",
                consent_shareable=["first_name"],
            )
            for i, p in enumerate(problem["newcomers"][:n])
        ],
        batch_size=2000,
    )
    Newcomer.programmes.through.objects.bulk_create(
        [Newcomer.programmes.through(newcomer=x, programme=programme) for x in newcomers], batch_size=5000
    )
    volunteers = Volunteer.objects.bulk_create(
        [
            Volunteer(
                **shared(p),
                first_name=f"Volontär{j}",
                email=f"v{j}@bench.se",
                capacity=p["capacity"],
                status=Volunteer.Status.APPROVED,
                status_changed_at=now,
                background_check_date=date(2026, 6, 1) if p["background_checked"] else None,
                background_check_expires=date(2027, 6, 1) if p["background_checked"] else None,
            )
            for j, p in enumerate(problem["volunteers"][:m])
        ],
        batch_size=2000,
    )
    Volunteer.programmes.through.objects.bulk_create(
        [Volunteer.programmes.through(volunteer=x, programme=programme) for x in volunteers], batch_size=5000
    )
    return newcomers, volunteers


def _load(reload: bool) -> dict:
    """The region, loaded once; returns the ids the timings need."""
    from allauth.account.models import EmailAddress
    from django.db import connection, transaction
    from django.utils import timezone
    from generate import generate

    from accounts.models import Membership, Organisation, Role, User
    from coordinator.models import MatchingRun, Newcomer, Programme, Proposal, RunDocuments

    if reload:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            tables = [t for (t,) in cursor.fetchall() if t != "django_migrations"]
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
    organisation = Organisation.objects.filter(slug="vastra-gotaland").first()
    if organisation is not None:
        programme = Programme.objects.get(organisation=organisation)
        newcomer = Newcomer.objects.filter(programmes=programme).order_by("pk").values_list("pk", flat=True).first()
        coordinator_id = User.objects.get(email="bench@vg.se").pk
        return {"programme": programme.pk, "coordinator": coordinator_id, "newcomer": newcomer}

    started = time.perf_counter()
    problem = generate("region")
    with transaction.atomic():
        organisation = Organisation.objects.create(name="Västra Götalandsregionen", slug="vastra-gotaland")
        programme = Programme.objects.create(
            organisation=organisation, name="Språkvän Västra Götaland", kind="sprakvan"
        )
        coordinator = User.objects.create_user(username="bench@vg.se", email="bench@vg.se", password=None)
        EmailAddress.objects.create(user=coordinator, email=coordinator.email, verified=True, primary=True)
        Membership.objects.create(user=coordinator, organisation=organisation, role=Role.COORDINATOR)
        now = timezone.now()
        newcomers, volunteers = load_people(problem, organisation, programme, SIZE["newcomers"], SIZE["volunteers"])
        run = MatchingRun.objects.create(
            programme=programme,
            status=MatchingRun.Status.DONE,
            started_at=now - timedelta(seconds=20),
            finished_at=now,
            newcomers_count=len(newcomers),
            volunteers_count=len(volunteers),
            matched_count=SIZE["proposals"],
            unmatched=[[n.pk, "no_volunteer_in_reach"] for n in newcomers[SIZE["proposals"] :]],
            gaps={"languages": [{"language": "ti", "unmatched": 900}], "slots": [], "areas": []},
        )
        parts = {
            "language": 1.0,
            "interests": 0.5,
            "availability": 0.67,
            "distance": 0.8,
            "distance_km": 4.2,
            "shared_languages": ["sv"],
            "shared_slots": ["mon-evening", "sat-morning"],
            "shared_interests": ["cooking"],
        }
        proposals = [
            Proposal(run=run, newcomer=newcomers[k], volunteer=volunteers[k % len(volunteers)], score=0.5 + k / 1e5)
            for k in range(SIZE["proposals"])
        ]
        for p in proposals:
            p.parts = parts
        Proposal.objects.bulk_create(proposals, batch_size=2000)
        solution = {
            "format": "vanmatch.solution/1",
            "matches": [
                {"newcomer": f"n{p.newcomer_id}", "volunteer": f"v{p.volunteer_id}", "score": p.score, "reasons": parts}
                for p in proposals
            ],
            "unmatched": [{"newcomer": f"n{pk}", "code": code, "reason": ""} for pk, code in run.unmatched],
        }
        RunDocuments.objects.create(run=run, problem=problem, solution=solution)
    print(f"loaded the region in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    newcomer = Newcomer.objects.filter(programmes=programme).order_by("pk").values_list("pk", flat=True).first()
    return {"programme": programme.pk, "coordinator": coordinator.pk, "newcomer": newcomer}


def _client(user_id: int):
    from django.test import Client

    from accounts.models import User

    user = User.objects.get(pk=user_id)
    client = Client()
    client.force_login(user)
    session = client.session  # the whole log-in, second factor included (as tests/conftest.py)
    at = time.time() - 3600
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": at, "email": user.email},
        {"method": "mfa", "at": at, "type": "totp"},
    ]
    session.save()
    return client


def _queries(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def _row(name: str, seconds: list[float], size: int | None, queries: int) -> str:
    kb = f"{size / 1024:.0f} KB" if size is not None else ""
    return f"| {name} | {statistics.median(seconds) * 1000:.0f} ms | {max(seconds) * 1000:.0f} ms | {kb} | {queries} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reload", action="store_true", help="load the region afresh")
    args = parser.parse_args()

    _database()
    ids = _load(args.reload)
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from coordinator.models import Proposal

    setup_test_environment()  # the test client's own response attributes
    client = _client(ids["coordinator"])
    programme = ids["programme"]
    pages = {
        "start page": reverse("home"),
        "programme dashboard": reverse("programme_dashboard", args=[programme]),
        "proposal queue, first page": reverse("proposal_queue", args=[programme]),
        "proposal queue, page 400": reverse("proposal_queue", args=[programme]) + "?sida=400",
        "matches": reverse("match_list", args=[programme]),
        "proposal queue, filtered (area, language, interpreter)": reverse("proposal_queue", args=[programme])
        + "?area=1&language=ar&interpreter=no",
        "pair by hand, empty": reverse("pair_by_hand", args=[programme]),
        "pair by hand, two searches": reverse("pair_by_hand", args=[programme]) + "?nyanland=Amal&volontar=Karin",
        "programme's newcomers, first page": reverse("programme_newcomers", args=[programme]),
        "programme's newcomers, a search": reverse("programme_newcomers", args=[programme]) + "?q=Amal+1990",
        "programme's volunteers, page 300": reverse("programme_volunteers", args=[programme]) + "?sida=300",
        "a newcomer's page": reverse("programme_newcomer", args=[programme, ids["newcomer"]]),
        "the volunteers to screen": reverse("volunteer_list"),
    }
    print("| page or action | median | slowest | HTML | queries |")
    print("|---|---|---|---|---|")
    for name, url in pages.items():
        client.get(url)  # warm: templates compiled, connection open
        seconds, size = [], 0
        for _ in range(args.repeat):
            t = time.perf_counter()
            response = client.get(url)
            seconds.append(time.perf_counter() - t)
            assert response.status_code == 200, (name, response.status_code)
            size = len(response.content)
        print(_row(name, seconds, size, _queries(lambda url=url: client.get(url))), flush=True)

    pending = list(
        Proposal.objects.filter(run__programme_id=programme, state=Proposal.State.PENDING)
        .order_by("-score")
        .values_list("pk", flat=True)[: args.repeat + 1]
    )
    seconds = []
    for pk in pending[:-1]:
        t = time.perf_counter()
        response = client.post(reverse("proposal_approve", args=[programme, pk]))
        seconds.append(time.perf_counter() - t)
        assert response.status_code == 302, response.status_code
    last = pending[-1]
    queries = _queries(lambda: client.post(reverse("proposal_approve", args=[programme, last])))
    print(_row("approve a proposal (web)", seconds, None, queries), flush=True)

    # The exports, with the password just given again (an export asks for it).
    from coordinator.models import Programme

    slug = Programme.objects.select_related("organisation").get(pk=programme).organisation.slug
    for what in ("volunteers", "newcomers"):
        url = reverse("export", args=[slug, what, "csv"])
        seconds, size = [], 0
        for _ in range(max(1, args.repeat // 2)):
            _reauthenticated(client)
            t = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content)
            seconds.append(time.perf_counter() - t)
            assert response.status_code == 200, (url, response.status_code)
            size = len(body)
        print(_row(f"export {what} (CSV, streamed)", seconds, size, 0), flush=True)
    # XLSX: asked for in a request, written by the worker's task (here in this process), downloaded.
    from coordinator.models import ExportFile
    from worker import tasks

    for what in ("volunteers", "newcomers"):
        asked, built, fetched, size = [], [], [], 0
        for _ in range(max(1, args.repeat // 2)):
            ExportFile.objects.all().delete()
            t = time.perf_counter()
            client.post(reverse("export_files", args=[slug]), {"what": what})
            asked.append(time.perf_counter() - t)
            export = ExportFile.objects.get()
            t = time.perf_counter()
            assert tasks.export_build(export.pk) == "ready"
            built.append(time.perf_counter() - t)
            _reauthenticated(client)
            t = time.perf_counter()
            response = client.get(reverse("export_file_download", args=[slug, export.pk]))
            fetched.append(time.perf_counter() - t)
            assert response.status_code == 200, response.status_code
            size = len(response.content)
        print(_row(f"export {what} (XLSX): ask", asked, None, 0), flush=True)
        print(_row(f"export {what} (XLSX): the worker writes it", built, size, 0), flush=True)
        print(_row(f"export {what} (XLSX): download", fetched, size, 0), flush=True)
    # The run's documents, to reproduce it with python -m matching.
    from coordinator.models import MatchingRun

    run = MatchingRun.objects.filter(programme_id=programme).latest("pk").pk
    for document in ("problem", "solution"):
        url = reverse("run_download", args=[programme, run, document])
        seconds, size = [], 0
        for _ in range(max(1, args.repeat // 2)):
            _reauthenticated(client)
            t = time.perf_counter()
            response = client.get(url)
            seconds.append(time.perf_counter() - t)
            assert response.status_code == 200, (url, response.status_code)
            size = len(response.content)
        print(_row(f"the run's {document} document (JSON)", seconds, size, 0), flush=True)


def _reauthenticated(client) -> None:
    session = client.session
    session["account_authentication_methods"].append({"method": "password", "at": time.time(), "reauthenticated": True})
    session.save()


if __name__ == "__main__":
    main()

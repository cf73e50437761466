"""The README's run command, as a newcomer to the project types it, on embedded defaults."""

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def quickstart(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"VANMATCH_DATA_DIR": str(tmp_path), "VANMATCH_PORT": str(port), "VANMATCH_HEARTBEAT_SECONDS": "2"})
    log = tmp_path / "run.log"
    proc = subprocess.Popen(
        ["./scripts/run.sh"], cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )
    yield proc, log, tmp_path
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def wait_until(check, timeout, what, log):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except (OSError, sqlite3.Error):
            pass
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}; output:\n{log.read_text(errors='replace')[-4000:]}")


@pytest.mark.worker
def test_the_run_command_serves_the_site_runs_the_worker_and_the_demo_logins_work(quickstart):
    proc, log, data = quickstart
    url = wait_until(lambda: re.search(r"starting on\s+(http://\S+)", log.read_text()), 180, "the URL", log).group(1)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    home = wait_until(lambda: opener.open(url, timeout=5), 60, "the home page", log)
    assert home.status == 200
    assert opener.open(url + "admin/login/", timeout=5).status == 200

    login_page = opener.open(url + "konto/login/", timeout=5).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": "samordnare@ekero.demo", "password": "vanmatch-demo-2026"}
    ).encode()
    request = urllib.request.Request(url + "konto/login/", data=form, headers={"Referer": url})
    code_page = opener.open(request, timeout=10).read().decode()
    # A coordinator gives a code after her password; the demo prints the one its logins take.
    code = re.search(r"asked for a code after the password: (\d+)", log.read_text()).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', code_page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "code": code}).encode()
    request = urllib.request.Request(url + "konto/2fa/authenticate/", data=form, headers={"Referer": url})
    assert "Välkommen, Sanna" in opener.open(request, timeout=10).read().decode()

    # Beat enqueues a heartbeat through the embedded broker; a separate worker process records it.
    def heartbeats():
        with sqlite3.connect(data / "vanmatch.sqlite3") as db:
            row = db.execute("SELECT count FROM worker_heartbeat WHERE source = 'beat'").fetchone()
            return row and row[0] >= 1

    wait_until(heartbeats, 60, "the worker to consume a task from beat", log)
    # The e-mails the worker prints (the demo's matches) link to where this service is reached.
    wait_until(lambda: f"{url}mitt-uppdrag/" in log.read_text(), 60, "an e-mail linking to this address", log)
    assert proc.poll() is None

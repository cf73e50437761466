"""Load: people signing up, coordinators browsing their programmes and approving proposals.

    ./bench/load/run.sh        # PostgreSQL and Redis on this machine, gunicorn, 50 users, 2 minutes

Every request must succeed (locust counts a 4xx/5xx as a failure); run.sh then checks the
database: every sign-up that succeeded is one user, every approval one match, none twice.
"""

import base64
import hashlib
import hmac
import itertools
import os
import random
import re
import struct
import time
import uuid

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PROGRAMME = re.compile(r'href="/program/(\d+)/"')
PROPOSAL = re.compile(r'action="/program/(\d+)/forslag/(\d+)/godkann/"')
COORDINATORS = itertools.count()  # coordinator-N@load.test, made by run.sh, one per simulated user
SECRET = os.environ.get("LOAD_TOTP_SECRET", "")
ACCEPTED = os.environ.get("VANMATCH_LOAD_ACCEPTED", "bench/out/load/accepted.txt")
PASSWORD = "vanmatch-demo-2026"  # noqa: S105 (the demo's published password)


def code_from_app(secret: str) -> str:
    """What an authenticator app shows now (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits)."""
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def token(html: str) -> str:
    match = CSRF.search(html)
    if not match:
        raise AssertionError("no CSRF token on the page")
    return match.group(1)


class Volunteer(HttpUser):
    """Someone who finds the site and signs up."""

    weight = 2
    wait_time = between(1, 3)

    @task
    def sign_up(self):
        self.client.get("/")
        self.client.get("/bli-volontar/")
        page = self.client.get("/konto/signup/")
        email = f"load-{uuid.uuid4().hex[:12]}@example.se"
        with self.client.post(
            "/konto/signup/",
            {
                "csrfmiddlewaretoken": token(page.text),
                "email": email,
                "password1": "ett-langt-losenord-1",
                "password2": "ett-langt-losenord-1",
            },
            allow_redirects=False,
            catch_response=True,
            name="/konto/signup/ [POST]",
        ) as response:
            # allauth sends the new user to "check your e-mail" (/konto/confirm-email/).
            if response.status_code == 302 and response.headers.get("Location", "").endswith("/konto/confirm-email/"):
                response.success()
                with open(ACCEPTED, "a") as accepted:  # for run.sh to check each one against the database
                    accepted.write(email + "\n")
            else:
                response.failure(f"sign-up not accepted: {response.status_code}")
        self.client.cookies.clear()


class Coordinator(HttpUser):
    """A coordinator who logs in, looks at the programmes and approves proposals."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        page = self.client.get("/konto/login/")
        email = f"coordinator-{next(COORDINATORS)}@load.test"
        code_page = self.client.post(
            "/konto/login/",
            {"csrfmiddlewaretoken": token(page.text), "login": email, "password": PASSWORD},
            name="/konto/login/ [POST]",
        )
        self.client.post(
            "/konto/2fa/authenticate/",
            {"csrfmiddlewaretoken": token(code_page.text), "code": code_from_app(SECRET)},
            name="/konto/2fa/authenticate/ [POST]",
        )
        home = self.client.get("/", name="/ (logged in)")
        self.programmes = PROGRAMME.findall(home.text)

    @task(3)
    def browse(self):
        if not self.programmes:
            return
        pk = random.choice(self.programmes)
        self.client.get(f"/program/{pk}/", name="/program/[id]/")
        self.client.get("/volontarer/", name="/volontarer/")
        self.client.get(f"/program/{pk}/matchningar/", name="/program/[id]/matchningar/")

    @task(1)
    def approve(self):
        if not self.programmes:
            return
        pk = random.choice(self.programmes)
        queue = self.client.get(f"/program/{pk}/forslag/", name="/program/[id]/forslag/")
        proposals = PROPOSAL.findall(queue.text)
        if not proposals:
            return
        programme, proposal = random.choice(proposals[:20])
        # Two coordinators may pick the same proposal: the second is told it is decided (a
        # redirect with a message), never an error.
        self.client.post(
            f"/program/{programme}/forslag/{proposal}/godkann/",
            {"csrfmiddlewaretoken": token(queue.text)},
            name="/program/[id]/forslag/[id]/godkann/",
        )

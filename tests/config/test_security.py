"""Hardening: a clean `check --deploy` in production, __Host- cookies, Argon2, a strict
Content-Security-Policy, session timeouts, lockout after failed logins, logins logged."""

import json
import subprocess
import sys
import time

import pytest
from django.urls import reverse

from accounts.middleware import LAST_SEEN, LOGGED_IN_AT
from tests import factories
from tests.config.test_settings import CLEAN, ROOT

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7Jq2vR9pL4mN8sT1wY6zB3cF5hK0dG2aE7uI9oP4lQ1rS6tV8nM3bX5yZ0cW2eD",
    "ALLOWED_HOSTS": "vanmatch.example.se",
    "HTTPS": "true",
    "VANMATCH_CACHE_URL": "redis://127.0.0.1:6379/1",  # settings only: nothing here connects to it
}


def run(tmp_path, *args, **env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in CLEAN.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},  # set by the browser tests
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "VANMATCH_DATA_DIR": str(tmp_path),
            **PRODUCTION,
            **env,
        },
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PROXY_PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "from rest_framework.settings import api_settings as a; "
    "from django.test import RequestFactory; from axes.helpers import get_client_ip_address; "
    "r = RequestFactory().get('/', REMOTE_ADDR='172.18.0.5', HTTP_X_FORWARDED_FOR='198.51.100.1, 203.0.113.9'); "
    "print(json.dumps([s.SECURE_PROXY_SSL_HEADER, s.SECURE_REDIRECT_EXEMPT, a.NUM_PROXIES, "
    "s.ALLAUTH_TRUSTED_PROXY_COUNT, get_client_ip_address(r)]))"
)


def test_a_client_sent_x_forwarded_proto_or_for_is_not_believed_without_a_proxy_of_ours(tmp_path):
    """gunicorn reached directly: a client saying X-Forwarded-Proto: https is not made secure, and
    its X-Forwarded-For names no address for rate limits or lockouts."""
    result = run(tmp_path, "-c", PROXY_PROBE)
    assert json.loads(result.stdout) == [None, ["^health/$"], 0, 0, "172.18.0.5"], result.stderr


def test_behind_the_compose_proxy_its_forwarded_headers_are_believed(tmp_path):
    result = run(tmp_path, "-c", PROXY_PROBE, VANMATCH_TRUSTED_PROXIES="1")
    assert json.loads(result.stdout) == [
        ["HTTP_X_FORWARDED_PROTO", "https"],
        ["^health/$"],
        1,
        1,
        "203.0.113.9",  # the address our one proxy saw, not what the client claimed before it
    ], result.stderr


def test_the_compose_file_publishes_only_the_tls_proxy():
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert [name for name, s in services.items() if s.get("ports")] == ["proxy"]
    assert services["proxy"]["ports"] == ["80:80", "443:443"]
    assert services["web"]["environment"]["VANMATCH_TRUSTED_PROXIES"] == "1"
    assert "reverse_proxy web:8000" in (ROOT / "config" / "Caddyfile").read_text()


def test_production_cookies_are_host_only_and_passwords_argon2(tmp_path):
    probe = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.PASSWORD_HASHERS[0], s.VANMATCH_IDLE_MINUTES, s.VANMATCH_SESSION_HOURS]))"
    )
    result = run(tmp_path, "-c", probe)
    assert json.loads(result.stdout) == [
        "__Host-vanmatch-session",
        "__Host-vanmatch-csrftoken",
        True,
        True,
        31536000,
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        30,
        10,
    ]


@pytest.mark.parametrize("url", ["/", "/konto/login/", "/bli-volontar/", "/api/schema/", "/api/docs/"])
def test_every_page_forbids_plugins_base_and_inline_script(client, db, url):
    policy = client.get(url)["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "script-src 'self';", "frame-ancestors 'none'"):
        assert directive in policy
    if url != "/api/docs/":  # Swagger UI sets inline styles; its scripts are files
        assert "unsafe-inline" not in policy


def test_our_pages_carry_no_inline_script_or_style(client, alice, solvik, sprakvan):
    client.force_login(alice)
    for url in ["/", reverse("programme_dashboard", args=[sprakvan.pk]), reverse("volunteer_list")]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and " style=" not in html and "onclick" not in html


def test_a_session_ends_after_the_absolute_limit_however_active(client, alice, settings):
    client.force_login(alice)
    assert client.get(reverse("volunteer_list")).status_code == 200
    session = client.session
    session[LOGGED_IN_AT] = time.time() - settings.VANMATCH_SESSION_HOURS * 3600 - 1
    session.save()
    response = client.get(reverse("volunteer_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_session_ends_after_half_an_hour_without_a_request(client, alice, settings):
    client.force_login(alice)
    session = client.session
    session[LAST_SEEN] = time.time() - settings.VANMATCH_IDLE_MINUTES * 60 - 1
    session.save()
    response = client.get(reverse("volunteer_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_an_active_session_goes_on(client, alice):
    client.force_login(alice)
    session = client.session
    session[LAST_SEEN] = time.time() - 120
    session.save()
    assert client.get(reverse("volunteer_list")).status_code == 200
    assert client.session[LAST_SEEN] > time.time() - 10


def test_refused_access_is_logged_with_who_and_where(client, bob, olle, sam, solvik, sprakvan, caplog):
    amal = factories.newcomer(solvik, [sprakvan], registered_by=sam)
    with caplog.at_level("INFO", logger="vanmatch.security"):
        client.force_login(bob)
        client.get(reverse("newcomer_detail", args=[amal.pk]))  # another organisation's: a 404
        client.force_login(olle)
        client.get(reverse("audit_search"))  # not his to search: a 403
    messages = [r.getMessage() for r in caplog.records if r.name == "vanmatch.security"]
    assert f"refused user={bob.pk} status=404 GET {reverse('newcomer_detail', args=[amal.pk])}" in messages
    assert f"refused user={olle.pk} status=403 GET {reverse('audit_search')}" in messages


def test_logins_and_failed_logins_are_logged_without_the_address(client, alice, caplog):
    with caplog.at_level("INFO", logger="vanmatch.security"):
        client.post(reverse("account_login"), {"login": "alice@solvik.se", "password": "fel"})
        client.post(reverse("account_login"), {"login": "alice@solvik.se", "password": "secret-pass-1"})
    messages = [r.getMessage() for r in caplog.records if r.name == "vanmatch.security"]
    assert any(m.startswith("failed login for=") for m in messages)
    assert any(m.startswith(f"login user={alice.pk}") for m in messages)
    assert not any("alice@solvik.se" in m for m in messages)

"""Every page and action that shows or changes a newcomer's or a volunteer's record leaves a row in
the audit trail, beside tests/test_permissions.py's table of who gets in. A page added without a
line here makes the first test fail; a page in SHOWS that leaves no row makes its own test fail.

The rows of changes are written by the services (so no caller can forget them), the rows of
reads by the page that shows the people."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from tests.conftest import recently_authenticated
from tests.test_permissions import PAGES, our_url_names, shared, world  # noqa: F401  (fixtures: the shared world)

# name: (who, method, arguments, body): a page or action that shows or changes people.
SHOWS = {
    "home": ("sam", "get", [], None),  # the newcomers she follows
    "my_volunteering_pause": ("vera", "post", [], {}),
    "my_meeting_log": ("vera", "post", ["vera_match"], {}),
    "volunteer_list": ("alice", "get", [], None),
    "volunteer_detail": ("alice", "get", ["karin"], None),
    "volunteer_screen": ("alice", "post", ["karin"], {"to_status": "interviewed"}),
    "volunteer_background_check": ("alice", "post", ["karin"], {"seen_on": "2026-11-01", "expires_on": "2027-11-01"}),
    "newcomer_list": ("sam", "get", [], None),
    "newcomer_detail": ("sam", "get", ["amal"], None),
    "newcomer_edit": ("sam", "get", ["amal"], None),
    "newcomer_withdraw_consent": ("sam", "post", ["amal"], {"confirm": "on"}),
    "programme_dashboard": ("alice", "get", ["sprakvan"], None),
    "run_download": ("alice", "get", ["sprakvan", "run", "problem"], None),
    "proposal_queue": ("alice", "get", ["sprakvan"], None),
    "proposal_approve": ("alice", "post", ["sprakvan", "proposal"], {}),
    "proposal_decline": ("alice", "post", ["sprakvan", "proposal"], {"reason": "Bor för långt bort"}),
    "pair_by_hand": ("alice", "get", ["sprakvan"], {"nyanland": "Amal"}),
    "lock_decide": ("alice", "post", ["sprakvan", "lock"], {"approve": "1"}),
    "match_list": ("alice", "get", ["sprakvan"], None),
    "programme_newcomers": ("alice", "get", ["sprakvan"], None),
    "programme_volunteers": ("alice", "get", ["sprakvan"], None),
    "programme_newcomer": ("alice", "get", ["sprakvan", "amal"], None),
    "match_detail": ("alice", "get", ["match"], None),
    "match_intro": ("alice", "post", ["match"], {"at": "2030-01-07T17:30", "place": "Biblioteket"}),
    "match_activate": ("alice", "post", ["match"], {}),
    "follow_up_record": (
        "alice",
        "post",
        ["match", "follow_up"],
        lambda w: {f"f{w['follow_up']}-outcome": "going_well", f"f{w['follow_up']}-done_on": "2026-11-02"},
    ),
    "match_extend": ("alice", "post", ["match"], {"months": "2"}),
    "match_end": ("alice", "post", ["match"], {"reason": "moved", "wanted_by": "newcomer", "confirm": "on"}),
    "newcomer_erase": ("sam", "post", ["amal"], {"confirm": "on"}),
    "newcomer_data": ("sam", "get", ["amal", "json"], None),
    "newcomer_access_report": ("sam", "get", ["amal"], None),
    "export": ("alice", "get", ["solvik", "newcomers", "csv"], None),
    "export_file_download": ("alice", "get", ["solvik", "export_file"], None),
    "export_pool": ("alice", "get", ["sprakvan"], None),
    "newcomer_survey_record": ("sam", "post", ["sara", "sara_survey"], {"a1": "1"}),
}

# name: why it shows or changes no one's record.
NO_PERSON = {
    "health": "the database answers",
    "organisation_outcomes": "figures, no person named",
    "survey_answer": "her own question, by her signed link; her answer is audited by the service",
    "sms_webhook": "the SMS provider's post; a message received is audited by the service",
    "favicon": "an icon",
    "account_email_verification_sent": "a text: look in your e-mail",
    "privacy_notice": "a text",
    "privacy_notice_version": "a text",
    "newcomer_privacy_notice": "a text",
    "newcomer_privacy_notice_version": "a text",
    "volunteer_start": "organisations and programmes",
    "account_verification_resend": "her own sign-up, before it is confirmed",
    "account_signup_restart": "her own sign-up, never confirmed: removed, not shown",
    "volunteer_apply": "her own application, not yet a record",
    "volunteer_apply_step": "her own application, not yet a record",
    "volunteer_apply_keep": "her own application, not yet a record",
    "my_volunteering": "her own record (a newcomer of hers is audited: tests/api/test_api.py)",
    "my_volunteering_edit": "her own record; the change is audited by the service (tests/accounts/test_audit.py)",
    "my_volunteering_withdraw": "her own record; an erasure is audited by the service",
    "my_data": "her own record",
    "my_access_report": "her own record",
    "newcomer_register": "an empty form; the registration is audited by the service",
    "organisation_list": "organisations",
    "organisation_detail": "staff accounts, not people in the register",
    "invitation_create": "staff accounts",
    "invitation_revoke": "staff accounts",
    "invitation_resend": "staff accounts",
    "organisation_contact": "the organisation's own contact person",
    "membership_remove": "staff accounts",
    "programme_create": "a programme",
    "programme_edit": "a programme",
    "invitation_accept": "staff accounts",
    "run_start": "queues a run; nobody is shown",
    "run_status": "counts",
    "import_upload": "an empty form",
    "import_preview": "rows of a file not yet imported (kept until applied, then counts only)",
    "import_confirm": "audited by the import service per person it writes (tests/accounts/test_audit.py)",
    "import_template": "an example row",
    "import_status": "whether the worker has checked a file",
    "export_files": "her own export files: what, when, how far; the download is audited",
    "export_file_status": "how far the worker has come with a file",
    "audit_search": "the trail itself",
    "data_home": "figures",
    "programme_outcomes": "figures: how long matches last, why they end; no person named",
    "funder_report": "figures, small cells suppressed",
    "funder_report_file": "figures, small cells suppressed",
    "api_tokens": "her own keys",
    "download_ready": "a page that starts a download (the download is audited)",
}


def test_every_page_is_in_the_audit_table():
    assert not set(SHOWS) & set(NO_PERSON)
    assert set(SHOWS) | set(NO_PERSON) == our_url_names() == set(PAGES)


@pytest.mark.parametrize("name", sorted(SHOWS))
def test_a_page_that_shows_or_changes_people_leaves_a_row_for_its_user(client, world, name):  # noqa: F811
    persona, method, args, body = SHOWS[name]
    user = world["personas"][persona]
    recently_authenticated(client, user)  # exports and erasure ask for the password again first
    before = AuditEvent.objects.filter(user=user).count()
    url = reverse(name, args=[world.get(a, a) for a in args])
    body = body(world) if callable(body) else body
    response = client.get(url, body or {}) if method == "get" else client.post(url, body)
    assert response.status_code in (200, 302), (name, response.status_code)
    assert AuditEvent.objects.filter(user=user).count() > before, f"{name} shows or changes people and left no row"

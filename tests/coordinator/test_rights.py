"""The rights of the people in the register: all their data out, and erasure that leaves the
statistics adding up."""

import json
from datetime import date

import pytest
from django.urls import reverse

from coordinator import services
from coordinator.models import ExportFile, FollowUp, Match, Newcomer, Proposal, Volunteer
from coordinator.selectors.reports import funder_counts
from tests import factories
from tests.conftest import recently_authenticated
from tests.coordinator.test_export_files import xlsx_export


@pytest.fixture
def amal(solvik, sprakvan, sam, alice):
    amal = factories.newcomer(solvik, [sprakvan], registered_by=sam, phone="070-111 22 33", needs="Vill jobba")
    match = services.match_create(programme=sprakvan, newcomer=amal, volunteer=factories.volunteer(solvik), by=alice)
    follow_up = match.follow_ups.first()
    services.follow_up_record(follow_up=follow_up, by=alice, outcome="going_well", notes="Pratade om Amals jobb.")
    return amal


def test_the_social_worker_gets_everything_stored_about_the_newcomer(client, sam, amal):
    recently_authenticated(client, sam)
    data = json.loads(client.get(reverse("newcomer_data", args=[amal.pk, "json"])).content)
    assert data["facts"]["first_name"] == "Amal" and data["facts"]["needs"] == "Vill jobba"
    assert data["follow_ups"][0]["notes"] == "Pratade om Amals jobb."
    assert data["matches"][0]["state"] == "approved"
    pdf = client.get(reverse("newcomer_data", args=[amal.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")


def test_a_volunteer_downloads_her_own_data(client, vera):
    recently_authenticated(client, vera)
    data = json.loads(client.get(reverse("my_data", args=["json"])).content)
    assert data["kind"] == "volunteer" and data["facts"]["first_name"] == "Vera"


def test_a_volunteers_own_data_holds_her_screening_steps_with_their_notes(client, vera, alice):
    from coordinator.models import Volunteer

    record = Volunteer.objects.get(user=vera)
    services.volunteer_screen(volunteer=record, by=alice, to="paused", notes="Lugn, van vid barn.")
    recently_authenticated(client, vera)

    data = json.loads(client.get(reverse("my_data", args=["json"])).content)
    pdf = client.get(reverse("my_data", args=["pdf"]))

    assert [(s["to_status"], s["notes"]) for s in data["screening"]][-1] == ("paused", "Lugn, van vid barn.")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_erasure_takes_the_newcomer_out_and_leaves_only_what_statistics_need(
    client, sam, alice, amal, solvik, sprakvan
):
    declined_volunteer = factories.volunteer(solvik, [sprakvan], first_name="Maja")
    pending = factories.proposal(sprakvan, amal, declined_volunteer)
    recently_authenticated(client, sam)
    response = client.post(reverse("newcomer_erase", args=[amal.pk]), {"confirm": "on"})
    assert response["Location"] == reverse("newcomer_list")
    n = Newcomer.objects.get(pk=amal.pk)
    assert (n.first_name, n.last_name, n.phone, n.needs, n.postcode, n.latitude) == ("Raderad", "", "", "", "", None)
    assert (n.gender, n.target_group, n.birth_year, n.locality, n.status) == (
        "female",
        "nyanland",
        1990,
        "Ekerö",
        "inactive",
    )
    assert n.erased_at is not None and not n.has_consent
    match = Match.objects.get(newcomer=n)
    assert match.state == "ended" and match.end_note == ""
    assert not FollowUp.objects.exclude(notes="").exists()
    assert Proposal.objects.get(pk=pending.pk).state == "declined"
    assert Volunteer.objects.get(pk=match.volunteer_id).open_matches == 0
    # The funder's figures still count her.
    counts = funder_counts(organisation=n.organisation, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert dict(counts["totals"])["Nyanlända som deltog"] == 1


def test_erasure_asks_for_the_password_again_and_confirmation(client, sam, amal):
    client.force_login(sam)
    response = client.post(reverse("newcomer_erase", args=[amal.pk]), {"confirm": "on"})
    assert "/konto/reauthenticate/" in response["Location"]
    recently_authenticated(client, sam)
    client.post(reverse("newcomer_erase", args=[amal.pk]), {})
    assert Newcomer.objects.get(pk=amal.pk).first_name == "Amal"


def test_the_erasure_goes_through_once_the_password_is_given_again_without_asking_twice(client, sam, amal):
    """The erasure she confirmed is kept while she gives her password again, then carried out."""
    sam.set_password("a long enough secret 1")
    sam.save()
    client.force_login(sam)
    asked = client.post(reverse("newcomer_erase", args=[amal.pk]), {"confirm": "on"})
    assert Newcomer.objects.get(pk=amal.pk).erased_at is None
    wrong = client.post(asked["Location"], {"password": "not her password"})
    assert wrong.status_code == 200 and Newcomer.objects.get(pk=amal.pk).erased_at is None
    done = client.post(asked["Location"], {"password": "a long enough secret 1"})
    assert done["Location"] == reverse("newcomer_list")
    assert Newcomer.objects.get(pk=amal.pk).erased_at is not None


@pytest.mark.parametrize("persona", ["alice", "bob", "vera", "olle"])
def test_no_one_else_erases_or_downloads_the_newcomer(client, persona, request, amal):
    recently_authenticated(client, request.getfixturevalue(persona))
    assert client.post(reverse("newcomer_erase", args=[amal.pk]), {"confirm": "on"}).status_code == 404
    assert client.get(reverse("newcomer_data", args=[amal.pk, "json"])).status_code == 404
    assert Newcomer.objects.get(pk=amal.pk).first_name == "Amal"


def test_a_volunteers_erasure_also_removes_notes_about_her_matches(client, vera, solvik, sprakvan, alice):
    volunteer = vera.volunteer
    match = services.match_create(
        programme=sprakvan,
        newcomer=factories.newcomer(solvik, [sprakvan]),
        volunteer=volunteer,
        by=alice,
        started_on=date(2026, 1, 1),
    )
    services.follow_up_record(
        follow_up=match.follow_ups.first(), by=alice, outcome="going_well", notes="Vera är så bra.",
        activities="Promenader med Vera", concern="Vera verkar trött.", volunteer_answers=[5, 5, 4, 4, 5],
        on=date(2026, 1, 20),
    )  # fmt: skip
    services.meeting_log(match=match, by=alice, source="coordinator", on=date(2026, 1, 10), what="Fika hos Vera")
    export = services.export_request(organisation=solvik, what="volunteers", by=alice)
    services.export_build(export_id=export.pk)
    services.match_end(match=match, by=alice, reason="completed", note="Vera flyttar.")
    recently_authenticated(client, vera)
    client.post(reverse("my_volunteering_withdraw"), {"erase": "on"})
    assert not FollowUp.objects.exclude(notes="").exists() and Match.objects.get().end_note == ""
    (f,) = FollowUp.objects.filter(done_on__isnull=False)
    assert (f.activities, f.concern, f.volunteer_answers) == ("", "", [])
    assert match.meetings.get().what == ""
    assert not ExportFile.objects.exists(), "a file made before may hold her row"


def test_a_volunteers_own_data_holds_her_own_answers_not_the_newcomers_nor_a_safeguarding_concern(
    client, vera, solvik, sprakvan, alice
):
    match = services.match_create(
        programme=sprakvan, newcomer=factories.newcomer(solvik, [sprakvan]), volunteer=vera.volunteer, by=alice,
        started_on=date(2026, 1, 1),
    )  # fmt: skip
    services.follow_up_record(
        follow_up=match.follow_ups.first(), by=alice, outcome="needs_support", on=date(2026, 1, 20),
        volunteer_answers=[5, 5, 4, 4, 5], newcomer_answers=[2, 2, 2, 1, 1], concern="Oro kring Vera.",
        safeguarding=True,
    )  # fmt: skip
    recently_authenticated(client, vera)

    data = json.loads(client.get(reverse("my_data", args=["json"])).content)

    done = [f for f in data["follow_ups"] if f["done_on"]]
    assert done[0]["answers"] == [5, 5, 4, 4, 5]
    text = json.dumps(data, ensure_ascii=False)
    assert "Oro kring Vera" not in text and "safeguarding" not in text and "[2, 2, 2, 1, 1]" not in text


@pytest.mark.parametrize(
    "name",
    [
        '<img src="/dev/zero"/>',  # read into memory until the server falls over
        '<img src="coordinator/static/vanmatch/favicon.svg"/>',  # a file of the server's, into her PDF
        "<img src=x onerror=alert(1)>",  # a 500
        '<font size="900">Vera</font>',
    ],
)
def test_markup_in_a_stored_name_is_printed_as_text_in_her_pdf(client, vera, solvik, name):
    """Names are checked where they are typed now; one stored before that (or by another way in)
    still reaches reportlab as text, never as markup."""
    Volunteer.objects.filter(user=vera).update(first_name=name, last_name=name)
    solvik.name = name
    solvik.save()
    recently_authenticated(client, vera)
    pdf = client.get(reverse("my_data", args=["pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert b"/Subtype /Image" not in pdf.content and len(pdf.content) < 50_000


def test_markup_in_a_newcomers_name_does_not_break_her_pdf(client, sam, amal):
    Newcomer.objects.filter(pk=amal.pk).update(first_name="<img src=x onerror=alert(1)>", needs="<b>fet</b> & <i>")
    recently_authenticated(client, sam)
    pdf = client.get(reverse("newcomer_data", args=[amal.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_an_erased_newcomer_is_gone_from_old_runs_proposals_and_imports(client, sam, alice, amal, solvik, sprakvan):
    """After erasure, a coordinator downloading an old run's problem, or opening an old
    proposal or an import preview, finds nothing of her."""
    import json as json_module

    from coordinator.models import ImportBatch, MatchingRun, RunDocuments

    run = MatchingRun.objects.create(programme=sprakvan, status="done")
    key = f"n{amal.pk}"
    other = factories.volunteer(solvik, [sprakvan], first_name="Maja")
    RunDocuments.objects.create(
        run=run,
        problem={
            "format": "vanmatch.problem/1",
            "newcomers": [{"id": key, "birth_year": 1990, "languages": ["ar"], "interests": ["matlagning"]}],
            "volunteers": [{"id": f"v{other.pk}", "languages": ["sv"], "exclude": [key]}],
            "locked": [{"newcomer": key, "volunteer": f"v{other.pk}"}],
        },
        solution={
            "matches": [{"newcomer": key, "volunteer": f"v{other.pk}", "score": 0.9, "reasons": {"shared": ["ar"]}}],
            "unmatched": [{"newcomer": key, "code": "taken", "reason": "Amal: ..."}],
        },
    )
    proposal = factories.proposal(
        sprakvan, amal, other, run=run, parts={"language": 1.0, "shared_languages": ["ar"], "distance_km": 2.5}
    )
    ImportBatch.objects.create(
        organisation=solvik,
        kind="newcomers",
        filename="lista.xlsx",
        created_by=alice,
        rows=[
            {
                "number": 2,
                "name": "Amal Haddad",
                "values": {"first_name": "Amal", "external_ref": f"vanmatch:{amal.pk}"},
                "errors": [],
                "ok": True,
            },
            {"number": 3, "name": "Amal Haddad", "values": {"external_ref": "N-777"}, "errors": [], "ok": True},
        ],
    )

    recently_authenticated(client, sam)
    client.post(reverse("newcomer_erase", args=[amal.pk]), {"confirm": "on"})

    documents = RunDocuments.objects.get(run=run)
    stored = json_module.dumps([documents.problem, documents.solution])
    assert key not in stored and "1990" not in stored and "matlagning" not in stored
    proposal.refresh_from_db()
    assert proposal.parts == {"language": 1.0}, "the score's parts stay; what she shared does not"
    kept = ImportBatch.objects.get().rows
    assert [r["number"] for r in kept] == [3], "her row goes; another Amal Haddad's stays"


def test_an_applied_import_keeps_its_counts_not_its_rows(client, alice, sprakvan):
    from coordinator.models import ImportBatch
    from tests.coordinator.test_import import MESSY, confirm, upload, xlsx

    client.force_login(alice)
    upload(client, xlsx([MESSY[0], MESSY[1]]))
    batch = ImportBatch.objects.get()
    confirm(client, batch)
    batch.refresh_from_db()
    assert (batch.created_count, batch.rows) == (1, [])
    assert "Åsa" not in client.get(reverse("import_preview", args=["solvik", batch.pk])).content.decode()


def test_an_import_checked_before_her_erasure_does_not_bring_her_back(client, sam, alice, amal, solvik, sprakvan):
    """The coordinator exported the newcomers and checked the corrected file; meanwhile Amal was
    erased. Applying the file must not write her facts into her erased record again."""
    from coordinator.models import ImportBatch
    from tests.coordinator.test_import import confirm, upload

    recently_authenticated(client, alice)
    exported = xlsx_export(client, "solvik", "newcomers")
    upload(client, exported, name="export.xlsx", kind="newcomers")  # checked by the worker
    batch = ImportBatch.objects.get()
    assert batch.status == "ready" and batch.rows, "a checked file, ready for the go-ahead"

    recently_authenticated(client, sam)
    client.post(reverse("newcomer_erase", args=[amal.pk]), {"confirm": "on"})
    ImportBatch.objects.filter(pk=batch.pk).update(rows=batch.rows)  # as if the rows had stayed

    recently_authenticated(client, alice)
    confirm(client, batch, skip_bad="on")
    amal.refresh_from_db()
    assert (amal.first_name, amal.languages, amal.phone) == ("Raderad", [], "")

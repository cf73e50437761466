"""The import template: its own example row imports without an error into the organisation that
downloaded it, and the XLSX explains its columns, offers the allowed words and keeps numbers as
numbers and postcodes as text."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from coordinator.models import ImportBatch, Newcomer, Volunteer
from tests.coordinator.test_import import confirm, upload


def template(client, kind, fmt):
    return client.get(reverse("import_template", args=["solvik", kind, fmt])).content


@pytest.mark.parametrize("kind", ["volunteers", "newcomers"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_templates_example_row_imports_without_an_error(client, alice, sprakvan, kind, fmt):
    client.force_login(alice)
    upload(client, template(client, kind, fmt), name=f"mall.{fmt}", kind=kind)
    batch = ImportBatch.objects.get()
    assert [(r["ok"], r["errors"]) for r in batch.rows] == [(True, [])]
    confirm(client, batch)
    person = (Volunteer if kind == "volunteers" else Newcomer).objects.get(external_ref__in=["V-001", "N-001"])
    assert list(person.programmes.all()) == [sprakvan]


def test_the_example_lives_where_the_organisation_works(client, alice, solvik, sprakvan):
    solvik.area = "Ragunda kommun"
    solvik.save()
    client.force_login(alice)
    sheet = load_workbook(io.BytesIO(template(client, "volunteers", "xlsx"))).worksheets[0]
    example = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
    assert example["Postnummer"].startswith("84"), "a Ragunda postcode (840 ..)"
    assert example["Program"] == "Språkvän Solvik"


def test_the_xlsx_template_keeps_numbers_as_numbers_and_postcodes_as_text(client, alice, sprakvan):
    client.force_login(alice)
    sheet = load_workbook(io.BytesIO(template(client, "volunteers", "xlsx"))).worksheets[0]
    example = dict(zip([c.value for c in sheet[1]], sheet[2], strict=True))
    assert isinstance(example["Födelseår"].value, int)
    assert isinstance(example["Postnummer"].value, str) and example["Postnummer"].number_format == "@"
    assert isinstance(example["Telefon"].value, str) and example["Telefon"].number_format == "@"


def test_the_xlsx_template_offers_the_allowed_words_as_drop_downs(client, alice, sprakvan):
    client.force_login(alice)
    book = load_workbook(io.BytesIO(template(client, "newcomers", "xlsx")))
    sheet = book.worksheets[0]
    letters = {c.value: c.column_letter for c in sheet[1]}
    ruled = {str(rule.sqref).split(":")[0][:-1]: rule for rule in sheet.data_validations.dataValidation}
    for header in ("Språk", "Svenska", "Målgrupp", "Kön"):
        assert letters[header] in ruled, header
    target = ruled[letters["Målgrupp"]]
    sheet_name, cells = target.formula1.split("!")
    words = [row[0].value for row in book[sheet_name.strip("'")][cells.replace("$", "")]]
    assert words == ["nyanländ", "asylsökande", "ensamkommande barn"]
    assert target.showErrorMessage and not ruled[letters["Språk"]].showErrorMessage, "several languages are allowed"


def test_the_volunteer_template_asks_yes_or_no_from_a_drop_down(client, alice, sprakvan):
    client.force_login(alice)
    book = load_workbook(io.BytesIO(template(client, "volunteers", "xlsx")))
    sheet = book.worksheets[0]
    letter = next(c.column_letter for c in sheet[1] if c.value == "Vill träffa en familj")
    rule = next(r for r in sheet.data_validations.dataValidation if str(r.sqref).startswith(letter + "2"))
    sheet_name, cells = rule.formula1.split("!")
    assert [row[0].value for row in book[sheet_name.strip("'")][cells.replace("$", "")]] == ["ja", "nej"]


def test_the_xlsx_template_has_a_sheet_that_explains_each_column(client, alice, sprakvan):
    client.force_login(alice)
    book = load_workbook(io.BytesIO(template(client, "newcomers", "xlsx")))
    guide = {row[0]: row[1:] for row in book["Instruktioner"].iter_rows(min_row=2, values_only=True)}
    assert set(guide) == {c.value for c in book.worksheets[0][1]}
    meaning, allowed, required = guide["Samtycke lämnat"]
    assert "ÅÅÅÅ-MM-DD" in meaning and required == "ja"
    assert "skriftligt" in guide["Samtycke hur"][1]

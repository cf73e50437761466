"""Every document Vänmatch writes (CSV, XLSX, PDF) is built here, and every value in one is
escaped for its format.

- PDF: reportlab's Paragraph reads its text as markup (`<img src=...>` loads a file, `<font>`
  and `<a>` are tags), so every text is escaped, whatever it holds.
- CSV and XLSX: a value that begins like a formula (`= + - @`, a tab or a carriage return, or
  their full-width forms) would run as one in a spreadsheet program. In a CSV it gets a leading
  apostrophe, which the importer takes off again; in an XLSX it is stored as text with Excel's
  own quote prefix (openpyxl would otherwise write it as a formula). Either way an export reads
  back unchanged.
"""

import csv
import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# What a spreadsheet program reads as the start of a formula (OWASP's CSV injection list, and the
# full-width forms Excel also accepts).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def pdf_text(value) -> str:
    """A value as text for a reportlab Paragraph: never markup."""
    return escape("" if value is None else str(value))


def paragraph(value, style):
    """A reportlab Paragraph of `value` as plain text."""
    return Paragraph(pdf_text(value), style)


def spreadsheet_cell(value):
    """A value for a CSV or XLSX cell: text that a spreadsheet would run as a formula gets a
    leading apostrophe; numbers and dates stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def from_spreadsheet_cell(value):
    """What the importer reads: a leading apostrophe that `spreadsheet_cell` added is taken off."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_row(row) -> list:
    return [spreadsheet_cell("" if value is None else value) for value in row]


def xlsx_append(sheet, row) -> None:
    """Append a row to an openpyxl sheet with every formula-like text stored as text."""
    sheet.append(["" if value is None else value for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True


# --- Tables (exports, import templates) --------------------------------------------------


def table_csv(rows: list[list]) -> str:
    """UTF-8 with a BOM and semicolons, as Swedish Excel opens it."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([csv_row(row) for row in rows])
    return "\ufeff" + buffer.getvalue()


def table_xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        xlsx_append(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_template_xlsx(columns, example: list, *, kind_label: str) -> bytes:
    """The import template: a sheet to fill in (the headers, the example row, drop-downs of the
    allowed words, numbers as numbers and postcodes and phone numbers as text), and a sheet that
    says what each column means. `columns` are importing.TemplateColumn."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = kind_label[:31]
    xlsx_append(sheet, [column.header for column in columns])
    xlsx_append(sheet, example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    values = book.create_sheet(str(_("Tillåtna värden"))[:31])
    last = TEMPLATE_ROWS + 1
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) + 2)
        if column.key in TEMPLATE_TEXT:
            sheet[f"{letter}2"].data_type = "s"
            sheet[f"{letter}2"].value = str(sheet[f"{letter}2"].value or "")
            for row in range(2, last + 1):
                sheet[f"{letter}{row}"].number_format = "@"
        elif column.key in TEMPLATE_DATES:
            for row in range(2, last + 1):
                sheet[f"{letter}{row}"].number_format = "yyyy-mm-dd"
        if not column.allowed:
            continue
        # The words on a sheet of their own (a list in the rule itself holds 255 characters at most).
        values.cell(row=1, column=index, value=column.header).font = Font(bold=True)
        for row, word in enumerate(column.allowed, start=2):
            values.cell(row=row, column=index, value=word)
        rule = DataValidation(
            type="list",
            formula1=f"'{values.title}'!${letter}$2:${letter}${len(column.allowed) + 1}",
            allow_blank=True,
            # A list column ("svenska, engelska") takes more than one word: the drop-down suggests.
            showErrorMessage=not column.several,
            errorTitle=str(_("Inte ett av de tillåtna värdena")),
            error=str(_("Välj ett värde i listan (fliken Instruktioner säger vilka).")),
        )
        sheet.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{last}")
    sheet.freeze_panes = "A2"
    guide = book.create_sheet(str(_("Instruktioner"))[:31])
    headings = [_("Kolumn"), _("Vad den betyder"), _("Tillåtna värden"), _("Måste fyllas i")]
    xlsx_append(guide, [str(heading) for heading in headings])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in columns:
        allowed = ", ".join(column.allowed) if column.allowed else ""
        required = str(_("ja")) if column.required else ""
        xlsx_append(guide, [column.header, column.meaning, allowed, required])
    guide.column_dimensions["A"].width, guide.column_dimensions["B"].width = 28, 80
    guide.column_dimensions["C"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Rows of the template that keep their formats and drop-downs (the rest of a sheet has none).
TEMPLATE_ROWS = 5000
TEMPLATE_TEXT = {"external_ref", "phone", "postcode"}
TEMPLATE_DATES = {"registered_on", "consent_given_on"}


# --- The funder report -------------------------------------------------------------------


def report_title(report) -> str:
    return _("Redovisning för %(org)s, %(start)s – %(end)s") % {
        "org": report["organisation"].name,
        "start": report["start"].isoformat(),
        "end": report["end"].isoformat(),
    }


def report_xlsx(report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Sammanfattning"))[:31]
    xlsx_append(sheet, [report_title(report)])
    sheet["A1"].font = Font(bold=True, size=13)
    for label, n in report["totals"]:
        xlsx_append(sheet, [label, n])
    for title, rows in report["tables"]:
        table = book.create_sheet(title[:31])
        xlsx_append(table, [title, str(_("Antal"))])
        for cell in table[1]:
            cell.font = Font(bold=True)
        for label, n in rows:
            xlsx_append(table, [label, n])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_pdf(report) -> bytes:
    out = io.BytesIO()
    styles = getSampleStyleSheet()
    doc = SimpleDocTemplate(out, pagesize=A4, title=report_title(report), author="Vänmatch", lang="sv")
    story = [paragraph(report_title(report), styles["Title"])]
    style = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6eef2")),
        ]
    )
    story.append(
        Table(
            [[str(_("Sammanfattning")), ""], *[[label, str(n)] for label, n in report["totals"]]],
            colWidths=[330, 80],
            style=style,
        )
    )
    for title, rows in report["tables"]:
        story += [Spacer(1, 12), paragraph(title, styles["Heading3"])]
        story.append(
            Table(
                [[title, str(_("Antal"))], *([[label, str(n)] for label, n in rows] or [["–", "0"]])],
                colWidths=[330, 80],
                style=style,
            )
        )
    doc.build(story)
    return out.getvalue()


# --- A person's own data (the right of access) ---------------------------------------------


def person_pdf(data: dict, title: str) -> bytes:
    """Everything stored about a person, readable (coordinator/views/rights.py)."""
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=_("Uppgifter om %(name)s") % {"name": title}, lang="sv")
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")])

    def cell(value):
        text = ", ".join(map(str, value)) if isinstance(value, list) else value
        return paragraph(text, styles["BodyText"])

    story = [paragraph(_("Allt Vänmatch sparar om %(name)s") % {"name": title}, styles["Title"])]
    story.append(paragraph(f"{data['organisation']} · {', '.join(data['programmes'])}", styles["BodyText"]))
    story.append(Table([[cell(k), cell(v)] for k, v in data["facts"].items()], colWidths=[150, 330], style=style))
    for heading, rows in (
        (_("Matchningar"), data["matches"]),
        (_("Uppföljningar"), data["follow_ups"]),
        (_("Åtkomst"), data["access"]),
    ):
        story += [Spacer(1, 12), paragraph(heading, styles["Heading3"])]
        if rows:
            keys = list(rows[0])
            story.append(Table([[cell(k) for k in keys], *[[cell(r[k]) for k in keys] for r in rows]], style=style))
        else:
            story.append(paragraph(_("Inga."), styles["BodyText"]))
    doc.build(story)
    return out.getvalue()

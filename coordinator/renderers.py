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
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

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


def table_csv_stream(rows: Iterable[list], chunk: int = 500) -> Iterator[bytes]:
    """The CSV of `table_csv`, encoded, a few hundred rows at a time: a download of any size
    starts at once and is never held whole in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    yield "\ufeff".encode()
    for n, row in enumerate(rows, start=1):
        writer.writerow(csv_row(row))
        if n % chunk == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def table_xlsx_file(rows: Iterable[list]):
    """The XLSX of `table_xlsx` for any number of rows: written row by row (openpyxl's
    write-only mode) into a temporary file, returned open at its start."""
    import tempfile

    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    bold = Font(bold=True)

    def text(value: str) -> WriteOnlyCell:  # never read as a formula
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell

    rows = iter(rows)
    heading = []
    for value in next(rows, []):
        cell = WriteOnlyCell(sheet, value="" if value is None else value)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        # Plain values, written twice as fast as a cell object each; only text that a
        # spreadsheet would take for a formula becomes a cell marked as text.
        sheet.append(
            [
                ("" if value is None else value)
                if not (isinstance(value, str) and value.startswith(FORMULA_STARTS))
                else text(value)
                for value in row
            ]
        )
    out = tempfile.TemporaryFile()  # noqa: SIM115 -- returned open: the FileResponse closes it
    book.save(out)
    out.seek(0)
    return out


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
# Every document of the report (and the page, templates/data/report.html) holds the same parts,
# in the same order: the headings (Länsstyrelsen, 37 a §, who reports, the programmes, the
# period, who made it and when), the headline figures, the breakdowns with their bars, and what
# each figure means. The figures arrive with small counts already hidden
# (coordinator/selectors/reports.py, `suppress`): a cell is a number or the words standing in for it.

BRAND = colors.HexColor("#1f5f7a")


def report_title(report) -> str:
    return _("Redovisning för %(org)s, %(start)s – %(end)s") % {
        "org": report["organisation"].name,
        "start": report["start"].isoformat(),
        "end": report["end"].isoformat(),
    }


def report_heading() -> str:
    return str(_("Redovisning till Länsstyrelsen: statlig ersättning enligt 37 a §"))


def report_legal_basis() -> str:
    return str(
        _(
            "Förordningen (2010:1122) om statlig ersättning för insatser för vissa nyanlända invandrare, 37 a §: "
            "insatser som underlättar etableringen i samhället, skapar nätverk, stödjer språkinlärning eller ger "
            "socialt stöd till ensamkommande barn."
        )
    )


def report_facts(report) -> list[tuple[str, str]]:
    """Who reports, for what and when, as label and value."""
    org = report["organisation"]
    reporter = f"{org.name} ({report['organisation_kind']})"
    if org.municipality_code:
        reporter += " · " + _("kommunkod %(code)s") % {"code": org.municipality_code}
    return [
        (str(_("Rapporterande organisation")), reporter),
        (str(pgettext("the programmes a report covers", "Program")), ", ".join(report["programmes"]) or "–"),
        (str(_("Period")), f"{report['start'].isoformat()} – {report['end'].isoformat()}"),
        (str(_("Upprättad av")), report["made_by"]),
        (str(_("Upprättad")), report["made_at"].strftime("%Y-%m-%d %H:%M")),
    ]


def bars(rows) -> list[tuple[str, object, int | None]]:
    """Each row of a breakdown with its bar's length in percent of the largest figure shown;
    no bar (None) for a hidden one, which would give its size away."""
    most = max([n for _label, n in rows if isinstance(n, int)] + [1])
    return [(label, n, round(100 * n / most) if isinstance(n, int) else None) for label, n in rows]


def report_csv(report) -> str:
    """The report as one CSV: the headings, then each part under its own heading."""
    rows: list[list] = [[report_heading()], [report_legal_basis()], []]
    rows += [list(fact) for fact in report_facts(report)]
    rows += [[], [str(_("Sammanfattning")), str(_("Antal"))], *[[label, n] for label, n in report["totals"]]]
    for table in report["tables"]:
        rows += [[], [table.title, str(_("Antal"))], *[[label, n] for label, n in table.rows]]
        rows.append([str(_("Summa")), table.total])
        if table.note:
            rows.append([table.note])
    w = report["waiting"]
    rows += [[], [waiting_heading()]]
    if w["enough"]:
        rows.append([w["summary"]])
        rows += [[sentence] for sentence in w["longer"]]
        for k, (title, groups, left_out) in enumerate(waiting_blocks(w)):
            rows += [[]] if k else []
            rows += [[title, *waiting_columns()], *[[g.label, g.share, g.median] for g in groups]]
            if left_out:
                rows.append([left_out])
        rows.append([w["how_to_read"]])
    else:
        rows.append([waiting_too_few(w)])
    rows += [[], [str(_("Definitioner"))], *[[term, text] for term, text in report["definitions"]]]
    return table_csv(rows)


def waiting_heading() -> str:
    return str(_("Vem väntar längst: nyanlända registrerade under perioden"))


def waiting_columns() -> list[str]:
    return [str(_("Har fått matchning")), str(_("Hälften matchade efter"))]


def waiting_blocks(w) -> list[tuple[str, list, str]]:
    """The waiting times as every format lays them out: everyone under "Grupp", then each
    dimension's groups, each with what it leaves out."""
    return [(str(_("Grupp")), [w["everyone"]], ""), *w["dimensions"]]


def waiting_too_few(w) -> str:
    return str(_("Färre än %(n)s nyanlända registrerades under perioden, så väntetiderna redovisas inte.")) % {
        "n": w["min_group"]
    }


def _fit_columns(sheet, widths: dict[str, tuple[int, int]]) -> None:
    """Columns as wide as their longest value, within (least, most) characters."""
    for letter, (least, most) in widths.items():
        longest = max((len(str(c.value)) for c in sheet[letter] if c.value is not None), default=0)
        sheet.column_dimensions[letter].width = max(least, min(most, longest + 2))


def report_xlsx(report) -> bytes:
    """The first sheet is the summary (headings, period, who and when, the headline figures, the
    definitions); then a sheet per breakdown. Counts are numbers; a hidden one is its words."""
    bold = Font(bold=True)
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Sammanfattning"))[:31]
    xlsx_append(sheet, [report_heading()])
    sheet["A1"].font = Font(bold=True, size=14)
    xlsx_append(sheet, [report_legal_basis()])
    xlsx_append(sheet, [])
    for label, value in report_facts(report):
        xlsx_append(sheet, [label, value])
        sheet.cell(sheet.max_row, 1).font = bold
    xlsx_append(sheet, [])
    xlsx_append(sheet, [str(_("Sammanfattning")), str(_("Antal"))])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for label, n in report["totals"]:
        xlsx_append(sheet, [label, n])
        sheet.cell(sheet.max_row, 2).alignment = Alignment(horizontal="right")
    xlsx_append(sheet, [])
    xlsx_append(sheet, [str(_("Definitioner"))])
    sheet.cell(sheet.max_row, 1).font = bold
    for term, text in report["definitions"]:
        xlsx_append(sheet, [term, text])
        sheet.cell(sheet.max_row, 1).font = bold
        sheet.cell(sheet.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 42
    sheet.column_dimensions["B"].width = 90
    for table in report["tables"]:
        name = "".join(c for c in table.title if c not in "[]:*?/\\")[:31]
        part = book.create_sheet(name)
        xlsx_append(part, [table.title])
        part["A1"].font = Font(bold=True, size=13)
        xlsx_append(part, [str(_("Grupp")), str(_("Antal"))])
        for cell in part[part.max_row]:
            cell.font = bold
        for label, n in table.rows:
            xlsx_append(part, [label, n])
            part.cell(part.max_row, 2).alignment = Alignment(horizontal="right")
        xlsx_append(part, [str(_("Summa")), table.total])
        for cell in part[part.max_row]:
            cell.font = bold
        part.cell(part.max_row, 2).alignment = Alignment(horizontal="right")
        if table.note:
            xlsx_append(part, [table.note])
        _fit_columns(part, {"A": (24, 60), "B": (12, 14)})
    w = report["waiting"]
    part = book.create_sheet(str(_("Väntetider"))[:31])
    xlsx_append(part, [waiting_heading()])
    part["A1"].font = Font(bold=True, size=13)
    if not w["enough"]:
        xlsx_append(part, [waiting_too_few(w)])
    else:
        xlsx_append(part, [w["summary"]])
        for sentence in w["longer"]:
            xlsx_append(part, [sentence])
        for title, groups, left_out in waiting_blocks(w):
            xlsx_append(part, [])
            xlsx_append(part, [title, *waiting_columns()])
            for cell in part[part.max_row]:
                cell.font = bold
            for g in groups:
                # The share as a number a funder can sort and sum, shown as "64 %"; "–" stays text.
                xlsx_append(part, [g.label, g.share if g.rate is None else g.rate, g.median])
                part.cell(row=part.max_row, column=2).number_format = "0 %"
            if left_out:
                xlsx_append(part, [left_out])
        xlsx_append(part, [])
        xlsx_append(part, [w["how_to_read"]])
    _fit_columns(part, {"A": (24, 60), "B": (18, 20), "C": (22, 26)})
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _numbered_canvas(footer: str, page_of: str):
    """A canvas that writes `footer` and "Sida x av y" on every page once it knows how many
    pages there are (reportlab draws a page before it knows the next one exists)."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("Helvetica", 8)
                self.setFillColor(colors.grey)
                # drawString writes text as it is: no markup to escape
                self.drawString(57, 28, footer[:100])
                self.drawRightString(A4[0] - 57, 28, page_of % {"page": self._pageNumber, "pages": len(self._pages)})
                super().showPage()
            super().save()

    return NumberedCanvas


def _bar(percent: int | None, width: float = 190, height: float = 10) -> Drawing:
    """One bar of a chart, drawn with reportlab's graphics; empty for a hidden figure."""
    drawing = Drawing(width, height)
    if percent:
        drawing.add(Rect(0, 1, max(1.5, width * percent / 100), height - 2, fillColor=BRAND, strokeColor=None))
    return drawing


def report_pdf(report) -> bytes:
    out = io.BytesIO()
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["BodyText"], fontSize=8.5, leading=11)
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=report_title(report),
        author=report["made_by"],
        subject=report_heading(),
        lang=get_language() or "sv",
        bottomMargin=60,
    )
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.lightgrey),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6eef2")),
        ]
    )
    story = [
        paragraph(report_heading(), styles["Title"]),
        paragraph(report_legal_basis(), small),
        Spacer(1, 8),
        Table(
            [
                [paragraph(label, styles["BodyText"]), paragraph(value, styles["BodyText"])]
                for label, value in report_facts(report)
            ],
            colWidths=[150, 330],
            style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.lightgrey), ("VALIGN", (0, 0), (-1, -1), "TOP")]),
        ),
        Spacer(1, 12),
        Table(
            [
                [paragraph(_("Sammanfattning"), styles["BodyText"]), str(_("Antal"))],
                *[[paragraph(label, styles["BodyText"]), str(n)] for label, n in report["totals"]],
            ],
            colWidths=[380, 100],
            style=grid,
        ),
    ]
    for table in report["tables"]:
        rows = [[paragraph(_("Grupp"), small), "", str(_("Antal"))]]
        rows += [[paragraph(label, small), _bar(percent), str(n)] for label, n, percent in bars(table.rows)]
        rows.append([paragraph(_("Summa"), small), "", str(table.total)])
        part = [
            paragraph(table.title, styles["Heading3"]),
            Table(
                rows,
                colWidths=[190, 200, 90],
                style=TableStyle([*grid.getCommands(), ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold")]),
            ),
        ]
        if table.note:
            part.append(paragraph(table.note, small))
        story += [Spacer(1, 6), KeepTogether(part)]
    w = report["waiting"]
    story += [Spacer(1, 12), paragraph(waiting_heading(), styles["Heading2"])]
    if not w["enough"]:
        story.append(paragraph(waiting_too_few(w), small))
    else:
        story.append(paragraph(w["summary"], small))
        story += [paragraph(sentence, small) for sentence in w["longer"]]
        for title, groups, left_out in waiting_blocks(w):
            rows = [[paragraph(title, small), *[paragraph(c, small) for c in waiting_columns()]]]
            rows += [[paragraph(g.label, small), g.share, g.median] for g in groups]
            story += [Spacer(1, 6), Table(rows, colWidths=[220, 120, 140], style=grid)]
            if left_out:
                story.append(paragraph(left_out, small))
        story.append(paragraph(w["how_to_read"], small))
    story += [Spacer(1, 12), paragraph(_("Definitioner"), styles["Heading2"])]
    for term, text in report["definitions"]:
        # the bold tag is ours; both texts inside it are escaped
        story.append(Paragraph(f"<b>{pdf_text(term)}</b>: {pdf_text(text)}", small))
    doc.build(
        story,
        canvasmaker=_numbered_canvas(report_title(report), str(_("Sida %(page)s av %(pages)s"))),
    )
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
        (_("Granskning"), data.get("screening")),
        (_("Åtkomst"), data["access"]),
    ):
        if rows is None:  # a newcomer is not screened
            continue
        story += [Spacer(1, 12), paragraph(heading, styles["Heading3"])]
        if rows:
            keys = list(rows[0])
            story.append(Table([[cell(k) for k in keys], *[[cell(r[k]) for k in keys] for r in rows]], style=style))
        else:
            story.append(paragraph(_("Inga."), styles["BodyText"]))
    doc.build(story)
    return out.getvalue()

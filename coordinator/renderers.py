"""Every value the service writes into a document goes through here, escaped for its format.

- PDF: reportlab's Paragraph reads its text as markup (`<img src=...>` loads a file, `<font>`
  and `<a>` are tags), so every text is escaped, whatever it holds.
- CSV and XLSX: a value that begins like a formula (`= + - @`, a tab or a carriage return, or
  their full-width forms) would run as one in a spreadsheet program. In a CSV it gets a leading
  apostrophe, which the importer takes off again; in an XLSX it is stored as text with Excel's
  own quote prefix (openpyxl would otherwise write it as a formula). Either way an export reads
  back unchanged.
"""

from xml.sax.saxutils import escape

# What a spreadsheet program reads as the start of a formula (OWASP's CSV injection list, and the
# full-width forms Excel also accepts).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def pdf_text(value) -> str:
    """A value as text for a reportlab Paragraph: never markup."""
    return escape("" if value is None else str(value))


def paragraph(value, style):
    """A reportlab Paragraph of `value` as plain text."""
    from reportlab.platypus import Paragraph

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

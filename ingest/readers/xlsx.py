"""Spreadsheets: every visible sheet's rows, cells joined by tabs. A number reads as the
person saw it as far as its number format says so: a 0.25 formatted as a percentage reads
"25%", a date "2024-03-31".

  - Excel 2007+ workbooks (.xlsx, .xlsm): openpyxl.
  - Excel 97-2003 workbooks (.xls, and WPS Office's .et, which is the same format): xlrd, which
    reads the cells' formats. python-calamine reads .xls as well, and faster, but values
    only: the percentages of spending plans and targets came back as 0.25 and 1.
  - OpenDocument and binary workbooks (.ods, .xlsb), and .xls that xlrd cannot open:
    python-calamine (values only).

A merged range gives its value once, in its top-left cell; the other cells it covers are
empty, so the columns line up with the header row. Empty cells at the end of a row are left
out; an empty row is an empty line. A row is "<sheet> row <n>", n counted from the sheet's
first row, as the spreadsheet numbers it.
"""
from __future__ import annotations

import datetime as dt
import io
import re

from ingest.records import Line


def cell_text(value, number_format: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if number_format and "%" in re.sub(r'"[^"]*"|\\.', "", number_format):
            return f"{_number(value * 100)}%"
        return _number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _number(value: float) -> str:
    if isinstance(value, float):
        value = round(value, 10)   # 0.35 * 100 = 35.00000000000001
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def _row_line(lines: list[Line], cells: list[str], where: str) -> None:
    while cells and not cells[-1].strip():
        cells.pop()
    lines.append(Line(len(lines) + 1, "\t".join(cells), where))


def read(data: bytes) -> "Reading":
    from openpyxl import load_workbook

    from ingest.readers import Reading

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines: list[Line] = []
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            for r, row in enumerate(ws.iter_rows(), 1):
                cells = [cell_text(getattr(c, "value", None), getattr(c, "number_format", None))
                         for c in row]
                _row_line(lines, cells, f"{ws.title} row {r}")
            lines.append(Line(len(lines) + 1, "", f"end of {ws.title}"))
    finally:
        wb.close()
    return Reading(lines, [], "xlsx")


def read_xls(data: bytes, what: str = "xls") -> "Reading":
    import xlrd

    from ingest.readers import Reading

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    lines: list[Line] = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility != 0:
                continue
            for r in range(sheet.nrows):
                cells = [_xls_cell(book, sheet.cell(r, c)) for c in range(sheet.ncols)]
                _row_line(lines, cells, f"{sheet.name} row {r + 1}")
            lines.append(Line(len(lines) + 1, "", f"end of {sheet.name}"))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return Reading(lines, [], f"{what} (xlrd)")


def _xls_cell(book, cell) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return cell_text(cell.value, _format(book, cell.xf_index))
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    return cell_text(cell.value or None)


def _format(book, xf_index: int | None) -> str | None:
    """The cell's number format with its quoted and escaped literals taken out (so that a
    "%" in a label does not make a percentage)."""
    try:
        fmt = book.format_map[book.xf_list[xf_index].format_key].format_str
    except (IndexError, KeyError, TypeError):
        return None
    return re.sub(r'"[^"]*"|\\.', "", fmt)


def read_calamine(data: bytes, what: str = "xls") -> "Reading":
    from python_calamine import CalamineWorkbook

    from ingest.readers import Reading

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    lines: list[Line] = []
    for meta in wb.sheets_metadata:
        if str(meta.visible).rsplit(".", 1)[-1].lower() != "visible" or \
                str(meta.typ).rsplit(".", 1)[-1].lower() != "worksheet":
            continue
        sheet = wb.get_sheet_by_name(meta.name)
        for r, row in enumerate(sheet.to_python(skip_empty_area=False), 1):
            _row_line(lines, [cell_text(v) for v in row], f"{meta.name} row {r}")
        lines.append(Line(len(lines) + 1, "", f"end of {meta.name}"))
    return Reading(lines, [], f"{what} (calamine)")

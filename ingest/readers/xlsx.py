"""Spreadsheets: every sheet's rows, cells joined by tabs. Excel 2007+ workbooks (.xlsx,
.xlsm) with openpyxl, which knows each cell's number format (a 0.25 shown as 25% reads
"25%"); legacy and other workbooks (.xls, .et, .ods, .xlsb) with python-calamine, which reads
values only (a percentage reads as the fraction it holds, 0.25).

A merged range gives its value once, in its top-left cell; the other cells it covers are
empty, so the columns line up with the header row. Empty cells at the end of a row are left
out; an empty row is an empty line. A row is "<sheet> row <n>", n counted from the sheet's
first row, as the spreadsheet numbers it.
"""
from __future__ import annotations

import datetime as dt
import io

from ingest.records import Line


def cell_text(value, number_format: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if number_format and "%" in number_format:
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

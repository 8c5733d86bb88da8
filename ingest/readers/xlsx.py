"""Excel workbooks (.xlsx) with openpyxl: every sheet's rows, cells joined by tabs."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from ingest.records import Line


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\t", " ").replace("\n", " ")


def read(data: bytes) -> list[Line]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines: list[Line] = []
    for ws in wb.worksheets:
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            cells = [_text(v) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            lines.append(Line(len(lines) + 1, "\t".join(cells), f"{ws.title} row {r}"))
        lines.append(Line(len(lines) + 1, "", f"end of {ws.title}"))
    wb.close()
    return lines

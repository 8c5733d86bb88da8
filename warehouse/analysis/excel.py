"""Any table to Excel (xlsxwriter through polars' write_excel): one sheet per table, Chinese
headers, numbers kept as numbers with thousands separators and two decimals (money fixed at
two), years without separators, blanks for nulls, header row frozen, filters on."""
from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from warehouse.analysis.formatting import LABELS, chinese_headers

MONEY = "#,##0.00"
SHEET_ROWS = 1_000_000   # an Excel sheet holds 1,048,576 rows: a longer table continues on more sheets
NUMBER = "#,##0.##"
COUNT = "#,##0"


def _sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\ , unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet"
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base[:28]}_{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _formats(frame: pl.DataFrame) -> dict[str, str]:
    formats = {}
    for name, dtype in frame.schema.items():
        label = LABELS.get(name, name)
        if name == "budget_year" or label == "年度":
            formats[name] = "0"
        elif dtype.is_integer():
            formats[name] = COUNT
        elif dtype.is_numeric():
            money = name.endswith("_wan") or name == "yuan_per_unit" or "万元" in label
            formats[name] = MONEY if money else NUMBER
    return formats


def _sheets(tables: dict[str, pl.DataFrame]):
    """(sheet name, rows) pairs: a table longer than SHEET_ROWS as `name (1)`, `name (2)` …"""
    for name, frame in tables.items():
        if frame.height <= SHEET_ROWS:
            yield name, frame
            continue
        for n, start in enumerate(range(0, frame.height, SHEET_ROWS), 1):
            yield f"{name[:25]} ({n})", frame.slice(start, SHEET_ROWS)


def to_excel(tables: dict[str, pl.DataFrame] | pl.DataFrame, path: Path) -> Path:
    """Write one sheet per table (a bare frame is the sheet `数据`); returns the path."""
    import xlsxwriter

    if isinstance(tables, pl.DataFrame):
        tables = {"数据": tables}
    path.parent.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    with xlsxwriter.Workbook(str(path)) as workbook:
        for name, frame in _sheets(tables):
            # Excel stores numbers as doubles: exact decimals go in as floats, shown rounded
            formats = _formats(frame)
            shown = chinese_headers(frame.with_columns(pl.col(pl.Decimal).cast(pl.Float64)))
            renamed = dict(zip(frame.columns, shown.columns))
            shown.write_excel(workbook, _sheet_name(name, taken),
                              column_formats={renamed[c]: f for c, f in formats.items()},
                              header_format={"bold": True, "text_wrap": True, "valign": "vcenter"},
                              autofit=True, freeze_panes=(1, 0), table_style="Table Style Light 1")
    return path

"""Word and Excel files go through their own readers into the same layout parsers."""
from __future__ import annotations

import io

from docx import Document
from openpyxl import Workbook

from ingest.pipeline import parse_bytes, parse_file
from tests.conftest import SAMPLE


def _rows_of(key: str) -> list[list[str]]:
    return [line.split("\t") for line in SAMPLE[key].read_text(encoding="utf-8").split("\n")]


def test_xlsx_reads_like_the_spreadsheet_extraction():
    wb = Workbook()
    ws = wb.active
    for cells in _rows_of("000"):
        ws.append([c or None for c in cells])
    buf = io.BytesIO()
    wb.save(buf)
    doc = parse_bytes(buf.getvalue(), "forms.xlsx", ".xlsx")
    text_doc = parse_file(SAMPLE["000"])
    assert doc.layout == "liaoning_project"
    assert [(f.project_name, f.budget_total_wan, len(f.indicators)) for f in doc.forms] == \
        [(f.project_name, f.budget_total_wan, len(f.indicators)) for f in text_doc.forms]
    assert doc.forms[0].indicators[0].where == "Sheet row 21"


def test_docx_tables_read_as_rows():
    document = Document()
    rows = _rows_of("003")
    for cells in rows:
        if len(cells) == 1:
            document.add_paragraph(cells[0])
        else:
            table = document.add_table(rows=1, cols=len(cells))
            for cell, text in zip(table.rows[0].cells, cells):
                cell.text = text
    buf = io.BytesIO()
    document.save(buf)
    doc = parse_bytes(buf.getvalue(), "forms.docx", ".docx")
    assert doc.layout == "liaoning_project"
    assert [len(f.indicators) for f in doc.forms] == [7, 6, 7, 7, 7, 8, 8, 8]
    assert doc.forms[5].budget_total_wan == 1200
    assert doc.forms[0].indicators[0].where.startswith("table ")

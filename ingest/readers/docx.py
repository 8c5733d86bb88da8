"""Word documents (.docx) with python-docx: paragraphs and table rows in document order."""
from __future__ import annotations

import io

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.records import Line


def read(data: bytes) -> list[Line]:
    doc = Document(io.BytesIO(data))
    lines: list[Line] = []
    tables = 0
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(Line(len(lines) + 1, block.text, f"paragraph {len(lines) + 1}"))
        elif isinstance(block, Table):
            tables += 1
            for r, row in enumerate(block.rows, 1):
                seen, cells = set(), []
                for cell in row.cells:
                    # A horizontally merged cell is returned once per grid column: keep the
                    # first, leave the rest empty so the columns stay where they are.
                    cells.append("" if id(cell._tc) in seen else cell.text.replace("\t", " "))
                    seen.add(id(cell._tc))
                lines.append(Line(len(lines) + 1, "\t".join(cells), f"table {tables} row {r}"))
            lines.append(Line(len(lines) + 1, "", f"after table {tables}"))
    return lines

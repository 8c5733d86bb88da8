"""PDF documents with pdfplumber: per page, table rows (cells joined by tabs) and the text
lines outside tables, in reading order from top to bottom."""
from __future__ import annotations

import io

import pdfplumber

from ingest.records import Line


def read(data: bytes) -> list[Line]:
    lines: list[Line] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for p, page in enumerate(pdf.pages, 1):
            items: list[tuple[float, str, str]] = []
            tables = page.find_tables()
            for t, table in enumerate(tables, 1):
                for r, row in enumerate(table.extract(), 1):
                    cells = [(c or "").replace("\n", " ").replace("\t", " ") for c in row]
                    items.append((table.bbox[1] + r * 1e-3, "\t".join(cells), f"page {p} table {t} row {r}"))

            def outside(obj, boxes=[t.bbox for t in tables]) -> bool:
                x = (obj["x0"] + obj["x1"]) / 2
                y = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            text_page = page.filter(outside)
            for n, tl in enumerate(text_page.extract_text_lines(), 1):
                items.append((tl["top"], tl["text"], f"page {p} line {n}"))
            for _, text, where in sorted(items, key=lambda i: i[0]):
                lines.append(Line(len(lines) + 1, text, where))
            lines.append(Line(len(lines) + 1, "", f"end of page {p}"))
    return lines

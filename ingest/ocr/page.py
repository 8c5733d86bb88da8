"""One scanned page read into table rows and text lines: straighten it, find its ruled
tables and their cells, cut each cell's text and the text outside the tables into lines,
recognise all lines in one pass, and put the pieces back in reading order."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ingest.ocr import engine
from ingest.ocr.grid import find_tables
from ingest.ocr.image import prepare
from ingest.ocr.layout import crop, text_lines

# below this, a line outside the tables is taken for a speck or a smudge, not text
MIN_LINE_CONFIDENCE = 0.5


@dataclass(frozen=True)
class PageItem:
    top: int                                   # pixel row, for reading order
    text: str                                  # a row's cells joined by tabs, or a line
    table: int | None                          # 1-based table number on the page; None: a line
    row: int | None                            # 1-based row number in the table
    confidences: tuple[float | None, ...]      # per cell (one for a line); None where empty


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def join_wrapped(parts: list[str]) -> str:
    """Lines of one cell as one text: wrapped Chinese runs on without a space, words with one."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(part[0])):
            out += " "
        out += part
    return out


def read_page(rgb: np.ndarray, dpi: int = 200, threads: int | None = None) -> list[PageItem]:
    gray, mask, _angle = prepare(rgb)
    tables, rule_mask = find_tables(mask, dpi)
    text_mask = mask.copy()
    text_mask[rule_mask > 0] = 0
    clean = gray.copy()
    clean[rule_mask > 0] = 255

    crops: list[np.ndarray] = []
    cell_lines: list[tuple[int, int, list[int]]] = []      # (table, cell index, crop indices)
    for t, table in enumerate(tables):
        for k, cell in enumerate(table.cells):
            x0, y0, x1, y1 = cell.box
            boxes = text_lines(text_mask, (x0 + 2, y0 + 2, x1 - 1, y1 - 1))
            idx = []
            for box in boxes:
                idx.append(len(crops))
                crops.append(crop(clean, box))
            cell_lines.append((t, k, idx))

    outside = text_mask.copy()
    for table in tables:
        x0, y0, x1, y1 = table.box
        outside[max(0, y0 - 4):y1 + 5, max(0, x0 - 4):x1 + 5] = 0
    h, w = outside.shape
    line_boxes = text_lines(outside, (0, 0, w, h), split_gap=4.0)
    first_line = len(crops)
    crops.extend(crop(clean, box) for box in line_boxes)

    texts = engine.recognise(crops, threads)

    items: list[PageItem] = []
    grids = [[["" for _ in range(t.ncols)] for _ in range(t.nrows)] for t in tables]
    confs: list[list[list[float | None]]] = [[[None] * t.ncols for _ in range(t.nrows)] for t in tables]
    for t, k, idx in cell_lines:
        cell = tables[t].cells[k]
        pieces = [texts[i] for i in idx if texts[i][0].strip()]
        text = join_wrapped([p[0] for p in pieces])
        if text:
            grids[t][cell.row][cell.col] = text.replace("\t", " ")
            confs[t][cell.row][cell.col] = round(min(p[1] for p in pieces), 3)
    for t, table in enumerate(tables):
        for r in range(table.nrows):
            items.append(PageItem(table.ys[r], "\t".join(grids[t][r]), t + 1, r + 1, tuple(confs[t][r])))
    pieces_by_line: dict[int, list[tuple[int, str, float]]] = {}
    for n, box in enumerate(line_boxes):
        text, score = texts[first_line + n]
        if not text.strip() or score < MIN_LINE_CONFIDENCE:
            continue
        # pieces of text side by side on one line (split at wide gaps) stay one line
        key = next((y for y in pieces_by_line if abs(y - box[1]) <= max(4, (box[3] - box[1]) // 2)), box[1])
        pieces_by_line.setdefault(key, []).append((box[0], text.strip(), score))
    for y, pieces in pieces_by_line.items():
        pieces.sort()
        items.append(PageItem(y, " ".join(p[1] for p in pieces), None, None,
                              (round(min(p[2] for p in pieces), 3),)))
    items.sort(key=lambda i: (i.top, i.table or 0, i.row or 0))
    return items



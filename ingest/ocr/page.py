"""One scanned page read into table rows and text lines: straighten it, find its ruled
tables and their cells, cut each cell's text and the text outside the tables into lines,
recognise all lines in one pass, and put the pieces back in reading order."""
from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
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


# Glyphs the recogniser takes for one another where a number stands: 1 read as l, I or |
# (after a comparison sign or beside digits), 个 read as ↑ right after a number.
_ONE_LIKE = re.compile(r"(?<=[≥≤<>＜＞=\d])[lI|]+(?=[\d.%‰\u4e00-\u9fff]|$)|(?<![A-Za-z])[lI|]+(?=\d)")
_UNIT_GE = re.compile(r"(?<=\d)↑")


def fix_confusions(text: str) -> str:
    """Undo the recogniser's usual confusions inside numbers (≥ll台 → ≥11台, 5↑ → 5个)."""
    if not any(c in text for c in "lI|↑"):
        return text
    text = _ONE_LIKE.sub(lambda m: "1" * len(m.group(0)), text)
    return _UNIT_GE.sub("个", text)


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


def _levels(gray: np.ndarray) -> np.ndarray:
    """The page for the recogniser: print stretched to black, and paper, with whatever is
    nearly as light as paper (traces of a removed seal, scanner noise), to plain white.
    The white point sits just under the page's ink/paper threshold (Otsu's)."""
    t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    white = max(60.0, float(t) - 10)
    black = min(float(np.percentile(gray, 1)), white - 60)
    lut = np.clip((np.arange(256, dtype=np.float32) - black) * 255 / (white - black), 0, 255)
    return lut.astype(np.uint8)[gray]


def read_page(rgb: np.ndarray, dpi: int = 200, threads: int | None = None) -> list[PageItem]:
    gray, mask, _angle = prepare(rgb)
    tables, rule_mask = find_tables(mask, dpi)
    text_mask = mask.copy()
    text_mask[rule_mask > 0] = 0
    clean = _levels(gray)
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
        text = fix_confusions(join_wrapped([p[0] for p in pieces]))
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



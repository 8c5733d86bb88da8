"""From a reader's lines to rows of cells, whatever way the text was rendered.

Readers of structured formats give one table row per line, cells joined by tabs. Text copied
by people or extracted by tools arrives in other renderings, recognised here from the text:
- tab rows (spreadsheet and PDF extractions, and every structured reader);
- one cell per line behind a leading tab, rows separated by blank lines (Word extraction);
- cells separated by runs of spaces, or by `|` (text copied from web pages and PDF viewers);
- one cell per line with nothing marking the rows (a table copied from a web page).
The last kind cannot be cut into rows here; the table reader cuts it by its header's columns
and the level names it meets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.records import Line
from ingest.text import clean_cells

ROWS = "rows"      # one line per table row
CELLS = "cells"    # one cell per line behind a tab, rows between blank lines (Word extraction)

_PAGE = re.compile(r"^page (\d+)")
_SPACES = re.compile(r"[ \u3000]{2,}")
_PIPES = re.compile(r"\s*\|\s*")


@dataclass(slots=True)
class Row:
    cells: list[str]            # raw cell texts, as read
    where: str
    no: int
    page: int | None = None
    origin: str | None = None   # "ocr:…" when the text came from OCR
    confidences: tuple[float | None, ...] | None = None
    # The cells as a person reads them (clean_cell): every reader step looks at them, so they
    # are made with the row (a cached_property took a lock on each of 100k rows a second).
    texts: list[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.texts = clean_cells(self.cells)

    def filled(self) -> list[str]:
        return [c for c in self.cells if c.strip()]

    def is_empty(self) -> bool:
        return not any(c.strip() for c in self.cells)


def first_text(texts: list[str]) -> str:
    """The first filled text of a row, or ''."""
    for text in texts:
        if text:
            return text
    return ""


def page_of(where: str) -> int | None:
    m = _PAGE.match(where) if where.startswith("page") else None
    return int(m.group(1)) if m else None


def split_line(text: str) -> list[str]:
    """The cells of one line: by tabs; else by `|`; else by runs of two or more spaces."""
    if "\t" in text:
        return text.split("\t")
    stripped = text.strip()
    if "|" in stripped:
        cells = _PIPES.split(stripped)         # a leading | is an empty first cell
        while len(cells) > 1 and not cells[-1].strip():
            cells.pop()                        # a run of trailing |: empty cells
        if len(cells) > 1 or text.rstrip().endswith("|"):
            return cells
    # leading spaces stand for empty cells in front (a merged cell above): keep one
    lead = [""] if _SPACES.match(text) else []
    if _SPACES.search(stripped):
        return lead + _SPACES.split(stripped)
    return lead + [stripped] if lead else [text]


def detect(lines: list[Line]) -> str:
    """CELLS when most lines are single cells behind a tab (a Word table extracted one cell per
    line), else ROWS."""
    tab_cells = multi = 0
    for line in lines:
        text = line.text
        stripped = text.strip()
        if not stripped:
            continue
        if text.startswith("\t") and text.count("\t") == 1:
            tab_cells += 1
        elif "\t" in stripped:    # a tab between two filled cells
            multi += 1
    return CELLS if tab_cells > 20 and tab_cells > 3 * multi else ROWS


def to_rows(lines: list[Line]) -> tuple[list[Row], str]:
    mode = detect(lines)
    return (_cell_rows(lines) if mode == CELLS else _line_rows(lines)), mode


def _row(cells: list[str], line: Line) -> Row:
    return Row(cells, line.where, line.no, page_of(line.where), line.origin, line.confidences)


def _ends_with_run(text: str) -> bool:
    return "".join(text.split()).endswith("||")


def _join_piped(lines: list[Line]) -> list[Line]:
    """Text copied with `|` between cells, whose rows end in a run of `||` (the empty cells at
    their end): a line ending in a single `|` was wrapped inside a cell, and its row goes on in
    the next line."""
    piped = [l for l in lines if "|" in l.text]
    # the copy collapses empty cells into runs of adjacent pipes (`||||`); with the empty cells
    # kept (`a |  | b`) a line ending in one pipe is just a row with an empty last cell
    if len(piped) < 5 or not any("|||" in l.text for l in piped) \
            or sum(_ends_with_run(l.text) for l in piped) < len(piped) // 3:
        return lines
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and prev.text.rstrip().endswith("|") and not _ends_with_run(prev.text) \
                and line.text.strip() and not set(line.text.strip()) <= {"|"}:
            out[-1] = Line(prev.no, prev.text.rstrip() + " " + line.text, prev.where, prev.origin)
            continue
        out.append(line)
    return out


def _line_rows(lines: list[Line]) -> list[Row]:
    rows = []
    for line in _join_piped(lines):
        text = line.text
        stripped = text.strip()
        if not stripped or ("|" in stripped and not stripped.replace("|", "")):
            continue      # blank, or pipes only
        rows.append(_row(split_line(text), line))
    return rows


def _cell_rows(lines: list[Line]) -> list[Row]:
    """Word extraction: a cell is a line behind a tab, continued by lines without one; a blank
    line ends a row. A line with neither is text outside the tables (a title, a paragraph)."""
    rows: list[Row] = []
    cells: list[tuple[str, Line]] = []

    def flush() -> None:
        if cells:
            first = cells[0][1]
            rows.append(Row([c for c, _ in cells], first.where, first.no, page_of(first.where),
                            first.origin))
            cells.clear()

    for line in lines:
        text = line.text
        if text.startswith("\t"):
            cells.append((text[1:].strip("\t"), line))
        elif not text.strip():
            flush()
        elif cells:
            cells[-1] = (cells[-1][0] + "\n" + text.strip("\t"), cells[-1][1])
        else:
            rows.append(_row([text], line))
    flush()
    return rows

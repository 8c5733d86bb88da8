"""Word documents (.docx, .docm, .dotx) read from their XML: paragraphs and tables in document
order, each table on its grid.

A table is read on the grid Word lays it out on (w:tblGrid), not from python-docx's `row.cells`
(which repeats a merged cell in every column it covers): a cell spanning columns (w:gridSpan,
or the old w:hMerge) gives its text once, at its first grid column, and empty strings for the
other columns; a vertically merged cell (w:vMerge) gives its text in its first row and an empty
string in the rows it continues into; columns skipped at a row's start or end (w:gridBefore,
w:gridAfter) are empty. So every row of a table has the same number of cells and the columns
line up with its header row. Text inside a cell is joined into one line: its paragraphs, line
breaks and tabs become spaces.

A cell that holds a table (a form pasted into a layout table, or an indicator table nested in
a form) is read as content of its own: after the row that holds it, its paragraphs as lines and
its tables as tables with their own numbers; the row leaves that cell empty, and a row left with
nothing but such cells is not written at all. Text boxes are read as paragraphs after the
paragraph they are anchored in (once: the VML fallback copy is skipped). Headers, footers,
footnotes, comments and deleted text (tracked changes) are not read.
"""
from __future__ import annotations

import io

from docx.package import Package
from lxml import etree

from ingest.records import Line

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Wrappers whose children are read as if they stood in the wrapper's place.
_WRAPPERS = {q("customXml"), q("ins"), q("moveTo"), q("smartTag")}
# Elements of a paragraph that hold no document text (properties, deleted text, field codes).
_NO_TEXT = {q("pPr"), q("rPr"), q("del"), q("moveFrom"), q("instrText"), q("delText"),
            q("fldData"), q("footnoteReference"), q("endnoteReference"), MC_FALLBACK}


def read(data: bytes) -> "Reading":
    from ingest.readers import Reading, UnreadableDocument

    part = Package.open(io.BytesIO(data)).main_document_part
    root = getattr(part, "element", None)   # .docx: parsed; .docm/.dotx: a plain part
    if root is None:
        root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, huge_tree=True))
    body = root.find(q("body"))
    if body is None:
        raise UnreadableDocument("the Word document has no body")
    reader = _Reader()
    reader.blocks(body)
    return Reading(reader.lines, [], "docx")


class _Reader:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.paragraphs = 0
        self.tables = 0

    def add(self, text: str, where: str) -> None:
        self.lines.append(Line(len(self.lines) + 1, text, where))

    def blocks(self, container) -> None:
        for el in _children(container):
            if el.tag == q("p"):
                self.paragraph(el)
            elif el.tag == q("tbl"):
                self.table(el)

    def paragraph(self, p) -> None:
        self.paragraphs += 1
        where = f"paragraph {self.paragraphs}"
        text, boxes = paragraph_text(p)
        for k, piece in enumerate(text.split("\n")):
            self.add(piece, where if k == 0 else f"{where} line {k + 1}")
        for box in boxes:
            self.blocks(box)

    def table(self, tbl) -> None:
        self.tables += 1
        n = self.tables
        for r, (cells, held) in enumerate(grid_rows(tbl), 1):
            if not held or any(c.strip() for c in cells):
                self.add("\t".join(cells), f"table {n} row {r}")
            for tc in held:
                self.blocks(tc)
        self.add("", f"after table {n}")


def grid_rows(tbl) -> list[tuple[list[str], list]]:
    """Each row of the table on its grid: the cell texts, one per grid column, and the cells
    that hold tables of their own (read separately, left empty here)."""
    grid = len(tbl.findall(f"{q('tblGrid')}/{q('gridCol')}"))
    rows: list[tuple[list[str], list]] = []
    for tr in _children(tbl, q("tr")):
        tr_pr = tr.find(q("trPr"))
        cells: list[str] = [""] * _int_val(tr_pr, "gridBefore", 0)
        held = []
        for tc in _children(tr, q("tc")):
            tc_pr = tc.find(q("tcPr"))
            span = max(1, _int_val(tc_pr, "gridSpan", 1))
            if _continues(tc_pr, "vMerge") or _continues(tc_pr, "hMerge"):
                text = ""
            elif any(el.tag == q("tbl") for el in _children(tc)):
                held.append(tc)
                text = ""
            else:
                text = cell_text(tc)
            cells.append(text)
            cells.extend([""] * (span - 1))
        cells.extend([""] * _int_val(tr_pr, "gridAfter", 0))
        rows.append((cells, held))
    width = max([grid] + [len(cells) for cells, _ in rows])
    return [(cells + [""] * (width - len(cells)), held) for cells, held in rows]


def cell_text(tc) -> str:
    """A cell's text on one line: its paragraphs (and text boxes) joined by spaces."""
    parts = []
    for p in _children(tc, q("p")):
        text, boxes = paragraph_text(p)
        parts.append(text)
        parts.extend(paragraph_text(bp)[0] for box in boxes for bp in box.iter(q("p")))
    filled = [t for t in parts if t.strip()]
    text = " ".join(filled) if filled else "".join(parts)
    return text.replace("\t", " ").replace("\n", " ")


def paragraph_text(p) -> tuple[str, list]:
    """The paragraph's text (tabs as tabs, line breaks as newlines) and its text boxes."""
    out: list[str] = []
    boxes: list = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NO_TEXT:
                continue
            if tag == q("t"):
                out.append(child.text or "")
            elif tag in (q("tab"), q("ptab")):
                out.append("\t")
            elif tag in (q("br"), q("cr")):
                if child.get(q("type")) in (None, "textWrapping"):
                    out.append("\n")
            elif tag == q("noBreakHyphen"):
                out.append("-")
            elif tag == q("txbxContent"):
                boxes.append(child)
            else:
                walk(child)

    walk(p)
    return "".join(out), boxes


def _children(el, tag: str | None = None):
    """Block children of a body, cell, table or row, looking through content controls (w:sdt)
    and other wrappers; only those with `tag` when given."""
    for child in el:
        ctag = child.tag
        if ctag == q("sdt"):
            content = child.find(q("sdtContent"))
            if content is not None:
                yield from _children(content, tag)
        elif ctag in _WRAPPERS:
            yield from _children(child, tag)
        elif isinstance(ctag, str) and (tag is None or ctag == tag):
            yield child


def _int_val(pr, name: str, default: int) -> int:
    el = pr.find(q(name)) if pr is not None else None
    if el is None:
        return default
    try:
        return int(el.get(q("val"), default))
    except ValueError:
        return default


def _continues(tc_pr, name: str) -> bool:
    """A w:vMerge / w:hMerge that continues the cell before it (no val means continue)."""
    el = tc_pr.find(q(name)) if tc_pr is not None else None
    return el is not None and el.get(q("val"), "continue") == "continue"

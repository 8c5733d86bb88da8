"""PDF documents: per page, table rows (cells joined by tabs) and the text lines outside
tables, in reading order from top to bottom.

A page with a usable text layer is read with pdfplumber. A page without one (a scan), or
whose text layer is garbage (glyphs without a Unicode mapping, private-use or replacement
characters, mojibake), is read by OCR (`ingest.ocr`): its lines carry `origin="ocr:<engine>"`
and a confidence per cell, and an amount read with low confidence is reported as a warning
naming page, table, row and cell. A password-protected PDF is unreadable, with that reason.
"""
from __future__ import annotations

import io
import re
import unicodedata

import pdfplumber

from ingest.records import Line, ParseIssue

# an OCR'd amount (digits with a decimal point) below this confidence is reported
AMOUNT_CONFIDENCE = 0.9
_AMOUNT = re.compile(r"^[-+]?\d[\d,，]*[.．]\d+(万元|元)?$")


def read(data: bytes) -> list[Line]:
    return read_with_issues(data)[0]


def read_with_issues(data: bytes) -> tuple[list[Line], list[ParseIssue]]:
    """The document's lines and what the reader has to say about them (pages read by OCR,
    amounts OCR read with low confidence)."""
    from ingest.readers import UnreadableDocument

    _check_password(data)
    pages: dict[int, list[tuple[str, str, str | None, tuple | None]]] = {}
    to_ocr: dict[int, str] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for p, page in enumerate(pdf.pages, 1):
            problem = text_layer_problem(page)
            if problem:
                to_ocr[p] = problem
            else:
                pages[p] = [(text, where, None, None) for text, where in _text_page(page, p)]
        count = len(pdf.pages)
    issues: list[ParseIssue] = []
    if to_ocr:
        try:
            pages.update(_ocr(data, sorted(to_ocr), issues))
        except ImportError as exc:
            raise UnreadableDocument(f"scanned pages need OCR, which is not installed: {exc}") from exc
        issues.insert(0, ParseIssue("file", "info", "OCR_PAGES", _ocr_note(to_ocr)))
    lines: list[Line] = []
    for p in range(1, count + 1):
        for text, where, origin, confidences in pages.get(p, []):
            lines.append(Line(len(lines) + 1, text, where, origin, confidences))
        lines.append(Line(len(lines) + 1, "", f"end of page {p}"))
    return lines, issues


def _check_password(data: bytes) -> None:
    from ingest.readers import UnreadableDocument
    import pypdfium2 as pdfium

    try:
        pdfium.PdfDocument(data).close()
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableDocument("password-protected") from exc
        raise


def _text_page(page, p: int) -> list[tuple[str, str]]:
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
    return [(text, where) for _, text, where in sorted(items, key=lambda i: i[0])]


# --- is the text layer usable? --------------------------------------------------------

def text_layer_problem(page) -> str | None:
    """Why the page's text layer cannot be used (then it is read by OCR), or None."""
    glyphs = [c["text"] for c in page.chars if c["text"].strip()]
    if len(glyphs) < 5:
        return "no text layer"
    return garbage_reason(glyphs)


def garbage_reason(glyphs: list[str]) -> str | None:
    """A reason when extracted glyphs are not text: mostly glyph codes without a Unicode
    mapping ("(cid:12)"), private-use or replacement characters, control characters, or
    Latin-1 letters where a Chinese form has Chinese (text decoded in the wrong encoding)."""
    n = len(glyphs)
    cid = sum(g.startswith("(cid:") for g in glyphs)
    bad = cid
    cjk = latin_ext = 0
    for g in glyphs:
        if g.startswith("(cid:"):
            continue
        ch = g[0]
        cp = ord(ch)
        if 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000 or ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn"):
            bad += 1
        elif 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF:
            cjk += 1
        elif 0x80 <= cp <= 0x24F:
            latin_ext += 1
    if cid > n * 0.3:
        return f"text layer unusable: {cid} of {n} glyphs have no Unicode mapping"
    if bad > n * 0.3:
        return f"text layer unusable: {bad} of {n} glyphs are private-use, replacement or control characters"
    if latin_ext > n * 0.3 and cjk < n * 0.05:
        return f"text layer unusable: {latin_ext} of {n} glyphs are accented Latin letters and none Chinese (wrong encoding)"
    return None


# --- OCR -------------------------------------------------------------------------------

def _ocr(data: bytes, page_numbers: list[int], issues: list[ParseIssue]):
    import pypdfium2 as pdfium

    from ingest import ocr

    origin = f"ocr:{ocr.ENGINE}"
    doc = pdfium.PdfDocument(data)
    try:
        results = ocr.read_pages(doc, [p - 1 for p in page_numbers])
    finally:
        doc.close()
    out: dict[int, list] = {}
    for p in page_numbers:
        rows = []
        n_line = 0
        result = results[p - 1]
        if isinstance(result, ocr.PageFailure):
            issues.append(ParseIssue(f"page {p}", "error", "OCR_FAILED", f"page {p} could not be read by OCR: {result}"))
            result = []
        for item in result:
            if item.table is None:
                n_line += 1
                where = f"page {p} line {n_line}"
            else:
                where = f"page {p} table {item.table} row {item.row}"
                _low_confidence_amounts(item, where, issues)
            rows.append((item.text, where, origin, item.confidences))
        out[p] = rows
    return out


def _low_confidence_amounts(item, where: str, issues: list[ParseIssue]) -> None:
    for c, (text, conf) in enumerate(zip(item.text.split("\t"), item.confidences), 1):
        if conf is not None and conf < AMOUNT_CONFIDENCE and _AMOUNT.match(text.replace(" ", "")):
            issues.append(ParseIssue(f"{where} cell {c}", "warning", "OCR_LOW_CONFIDENCE",
                                     f"{where} cell {c}: OCR confidence {conf:.2f} for {text!r}"))


def _ocr_note(to_ocr: dict[int, str]) -> str:
    from ingest.ocr import ENGINE

    by_reason: dict[str, list[int]] = {}
    for p, reason in sorted(to_ocr.items()):
        by_reason.setdefault(reason, []).append(p)
    parts = [f"{_pages(ps)} ({reason})" for reason, ps in by_reason.items()]
    return f"read by OCR ({ENGINE}): " + "; ".join(parts)


def _pages(ps: list[int]) -> str:
    spans, start = [], ps[0]
    for a, b in zip(ps, ps[1:] + [None]):
        if b != a + 1:
            spans.append(f"{start}" if start == a else f"{start}-{a}")
            start = b
    return ("page " if len(ps) == 1 else "pages ") + ", ".join(spans)

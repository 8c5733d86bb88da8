"""Scanned PDFs: the samples printed to PDF by LibreOffice and scanned (200 dpi, a slight
turn, a red seal over the table, sensor noise, JPEG) read through the real pipeline into the
same records as the text samples, within the issue's targets (≥ 95% of amounts and ≥ 90% of
indicator values exactly right); PDFs with a good text layer do not go through OCR, PDFs
whose text layer is garbage do, and a password-protected PDF is unreadable with that reason.

What a scan cannot carry, and these tests therefore do not compare: spaces inside a cell
(values are compared with spaces removed), the `<p>` debris of the text extractions (not
printed), and the one-cell-per-line layout of the Word extraction of sample 001 (a scan of
that form is an ordinary table; the samples compared here are the spreadsheet-row and PDF-row
layouts, 000 and 002, which a scan reproduces, layout name included).
"""
from __future__ import annotations

import io

import numpy as np
import pytest

from ingest.pipeline import parse_bytes
from ingest.readers import pdf as pdf_reader
from ingest.text import compact
from tests.ocr_scans import (Noise, Score, docx_to_pdf, have_libreoffice, sample_subset, scan_pdf, score,
                              to_docx)

FORMS = {"000": 3, "002": 3}   # a few pages each: the header page and one page per form

needs_libreoffice = pytest.mark.skipif(not have_libreoffice(),
                                       reason="LibreOffice (soffice) prints the samples to PDF; `make setup` installs it")


@pytest.fixture(scope="session")
def texts() -> dict[str, str]:
    return {key: sample_subset(key, n) for key, n in FORMS.items()}


@pytest.fixture(scope="session")
def printed(texts) -> dict[str, bytes]:
    """Each sample as LibreOffice prints its Word rendering: a PDF with a text layer."""
    if not have_libreoffice():
        pytest.skip("LibreOffice (soffice) is not installed")
    return docx_to_pdf({key: to_docx(text) for key, text in texts.items()})


@pytest.fixture(scope="session")
def scanned(printed) -> dict[str, bytes]:
    """Scans of the printed samples: 000 with a seal whose ink absorbs (print under it stays
    black), 002 with a seal laid over the print at 75% opacity (print shows through red)."""
    return {"000": scan_pdf(printed["000"], Noise(seed=1)),
            "002": scan_pdf(printed["002"], Noise(seed=2, seal_blend="alpha"))}


def _amounts(doc) -> list[tuple]:
    return [(f.budget_total_wan, f.fiscal_wan) for f in doc.forms]


def _values(doc) -> list[list[str]]:
    return [[compact(i.raw_value) for i in f.indicators] for f in doc.forms]


@needs_libreoffice
def test_scans_give_the_records_of_the_text(texts, scanned):
    total = Score()
    for key, data in scanned.items():
        expected = parse_bytes(texts[key].encode(), f"{key}.txt", ".txt")
        got = parse_bytes(data, f"{key}_scan.pdf", ".pdf")
        assert got.layout == expected.layout, key
        assert len(got.forms) == len(expected.forms), key
        assert got.budget_year == expected.budget_year
        result = score(expected, got)
        result.wrong = [f"{key}: {w}" for w in result.wrong]
        total = total.add(result)
    print(f"\nscans: {total}; wrong: {total.wrong}")
    assert total.amounts_ok >= 0.95 * total.amounts, total.wrong
    assert total.values_ok >= 0.90 * total.values, total.wrong


def _first_pages(data: bytes, n: int) -> bytes:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        del pdf.pages[n:]
        buf = io.BytesIO()
        pdf.save(buf)
        return buf.getvalue()


@needs_libreoffice
def test_ocr_lines_carry_origin_confidence_and_page(scanned, texts):
    lines, issues = pdf_reader.read_with_issues(_first_pages(scanned["000"], 1))
    rows = [l for l in lines if " table " in l.where]
    text_lines = [l for l in lines if " line " in l.where]
    assert rows and text_lines
    for line in rows + text_lines:
        assert line.where.startswith("page 1 ")
        assert line.origin == "ocr:rapidocr"
        cells = line.text.split("\t")
        assert len(line.confidences) == len(cells)
        for cell, conf in zip(cells, line.confidences):
            assert (conf is None) == (cell == "")
            assert conf is None or 0 <= conf <= 1
    # every row of a table has the grid's column count; merged cells leave empty positions
    widths = {l.where.split(" row ")[0]: len(l.text.split("\t")) for l in rows}
    assert all(len(l.text.split("\t")) == widths[l.where.split(" row ")[0]] for l in rows)
    assert "本级预算项目绩效目标表" in [compact(l.text) for l in text_lines]
    header = next(l for l in rows if l.text.startswith("一级指标"))
    assert header.text.split("\t") == texts["000"].split("\n")[
        texts["000"].split("\n").index(header.text)].split("\t")
    assert [i.code for i in issues] == ["OCR_PAGES"]
    assert issues[0].reason == "read by OCR (rapidocr): page 1 (no text layer)"


@needs_libreoffice
def test_a_good_text_layer_is_read_without_ocr(printed, texts, monkeypatch):
    import ingest.ocr

    def no_ocr(*args, **kwargs):
        raise AssertionError("a PDF with a text layer went through OCR")

    monkeypatch.setattr(ingest.ocr, "read_pages", no_ocr)
    for key, data in printed.items():
        lines, issues = pdf_reader.read_with_issues(data)
        assert not issues and all(l.origin is None and l.confidences is None for l in lines)
        expected = parse_bytes(texts[key].encode(), f"{key}.txt", ".txt")
        got = parse_bytes(data, f"{key}.pdf", ".pdf")
        assert got.layout == expected.layout
        assert _amounts(got) == _amounts(expected)
        assert _values(got) == _values(expected)


def _without_unicode_maps(data: bytes) -> bytes:
    """The PDF with its fonts' ToUnicode maps removed: the glyphs still print, but the text
    layer gives glyph codes, "(cid:12)", as many published PDFs do."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for _, font in page.Resources.get("/Font", {}).items():
                for f in [font] + list(font.get("/DescendantFonts", [])):
                    if "/ToUnicode" in f:
                        del f["/ToUnicode"]
        buf = io.BytesIO()
        pdf.save(buf)
        return buf.getvalue()


@needs_libreoffice
def test_a_garbage_text_layer_goes_to_ocr(printed, texts):
    import pdfplumber

    data = _without_unicode_maps(_first_pages(printed["000"], 2))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert "no Unicode mapping" in pdf_reader.text_layer_problem(pdf.pages[0])
    lines, issues = pdf_reader.read_with_issues(data)
    assert issues[0].code == "OCR_PAGES" and "no Unicode mapping" in issues[0].reason
    assert all(l.origin == "ocr:rapidocr" for l in lines if l.text)
    got = parse_bytes(data, "garbage.pdf", ".pdf")
    expected = parse_bytes(texts["000"].encode(), "000.txt", ".txt")
    assert got.layout == "liaoning_project"
    assert _amounts(got)[:2] == _amounts(expected)[:2]
    assert _values(got)[:2] == _values(expected)[:2]


@needs_libreoffice
def test_password_protected_pdf_is_unreadable(printed):
    import pikepdf

    with pikepdf.open(io.BytesIO(printed["000"])) as pdf:
        locked, restricted = io.BytesIO(), io.BytesIO()
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="owner"))
        pdf.save(restricted, encryption=pikepdf.Encryption(user="", owner="owner"))
    doc = parse_bytes(locked.getvalue(), "locked.pdf", ".pdf")
    assert doc.layout == "unreadable"
    assert [(i.code, i.reason.split(":")[0]) for i in doc.issues] == [("UNREADABLE", "password-protected")]
    # a PDF that opens without a password (only its permissions are protected) is read
    assert parse_bytes(restricted.getvalue(), "restricted.pdf", ".pdf").layout == "liaoning_project"


def test_garbage_reason():
    assert pdf_reader.garbage_reason(list("项目名称自然资源局劳务派遣经费50.00")) is None
    assert "Unicode mapping" in pdf_reader.garbage_reason([f"(cid:{i})" for i in range(40)] + list("12"))
    assert "private-use" in pdf_reader.garbage_reason([chr(0xE000 + i) for i in range(30)])
    assert "replacement" in pdf_reader.garbage_reason(list("\ufffd\ufffd\ufffd项目"))
    mojibake = "项目名称".encode("gbk").decode("latin-1") * 5   # GBK read as Latin-1
    assert "wrong encoding" in pdf_reader.garbage_reason(list(mojibake))


def test_low_confidence_amounts_are_reported(monkeypatch):
    """An amount (digits with a decimal point) read with low confidence is a warning that
    names page, table, row and cell; other cells and sure amounts are not."""
    import img2pdf
    from PIL import Image

    import ingest.ocr
    from ingest.ocr.page import PageItem

    def fake(pdf, indexes, workers=None):
        return {i: [PageItem(10, "本级预算项目绩效目标表", None, None, (0.99,)),
                    PageItem(50, "年度金额\t1099.00\t其中：财政拨款\t1099.00\t备注\t",
                             1, 5, (0.99, 0.62, 0.98, 0.97, 0.5, None))] for i in indexes}

    monkeypatch.setattr(ingest.ocr, "read_pages", fake)
    buf = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(buf, "JPEG")
    lines, issues = pdf_reader.read_with_issues(img2pdf.convert(buf.getvalue()))
    assert [l.where for l in lines] == ["page 1 line 1", "page 1 table 1 row 5", "end of page 1"]
    assert lines[1].origin == "ocr:rapidocr" and lines[1].confidences[1] == 0.62
    warnings = [i for i in issues if i.severity == "warning"]
    assert [(i.where, i.code, i.reason) for i in warnings] == [
        ("page 1 table 1 row 5 cell 2", "OCR_LOW_CONFIDENCE",
         "page 1 table 1 row 5 cell 2: OCR confidence 0.62 for '1099.00'")]


def test_grid_of_a_turned_table_with_merged_cells():
    """A ruled table drawn with merged cells and turned by 1.2°: straightened, its grid and
    spans come back, and the seal colour is gone from the grey page."""
    import cv2

    from ingest.ocr.grid import find_tables
    from ingest.ocr.image import prepare, rotate

    img = np.full((900, 1200, 3), 245, np.uint8)
    xs, ys = [100, 400, 600, 850, 1100], [100, 160, 220, 280, 340, 400]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), (30, 30, 30), 2)
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), (30, 30, 30), 2)
    img[162:218, 598:603] = 245      # row 1: columns 1-2 merged
    img[278:283, 102:398] = 245      # column 0: rows 3-4 merged
    seal = np.zeros(img.shape[:2], np.uint8)
    cv2.circle(seal, (700, 250), 120, 255, 8)
    red = np.where(seal[..., None] > 0, np.array([205, 35, 45]) / 255, 1.0)
    img = (img * red).astype(np.uint8)   # a red seal over the table: the ink multiplies
    gray, mask, angle = prepare(rotate(img, 1.2, fill=245))
    assert abs(angle + 1.2) < 0.15
    assert gray[250 - 120, 700] > 200   # the seal's ring is paper now
    tables, _ = find_tables(mask)
    assert len(tables) == 1 and (tables[0].nrows, tables[0].ncols) == (5, 4)
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in tables[0].cells}
    assert spans[(1, 1)] == (1, 2) and (1, 2) not in spans
    assert spans[(2, 0)] == (2, 1) and (3, 0) not in spans
    assert sum(r * c for r, c in spans.values()) == 20


def test_cell_text_from_lines():
    from ingest.ocr.page import fix_confusions, join_wrapped

    assert join_wrapped(["2024年1月1日至", "2024年12月31日"]) == "2024年1月1日至2024年12月31日"
    assert join_wrapped(["Performance", "targets"]) == "Performance targets"
    assert join_wrapped(["≥19679.2万", "元"]) == "≥19679.2万元"
    assert [fix_confusions(t) for t in ["≥ll台", "≥1l台", "≥1↑", "l2项", "≥1个", "ISO9001", "file"]] == \
        ["≥11台", "≥11台", "≥1个", "12项", "≥1个", "ISO9001", "file"]

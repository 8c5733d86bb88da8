"""Every format counties publish reads into the same records as the text sample it renders.

The fixtures are made here from the bundled samples (tests/office_renderings.py): Word tables with
real merged cells, a worksheet with merged ranges, web pages with rowspan/colspan (UTF-8 and
GB2312), text in other encodings, and, through LibreOffice once per session, .doc, .xls and
the rest. What a format cannot carry is named where it is compared:
  - the one-cell-per-line arrangement of the Word extraction 卢龙 (001) is the text export's,
    not the document's: every rendering lays its forms out as table rows, so 001 is read as
    rendering "rows" instead of "cells" (the records are the same);
  - places differ by format ("line 85", "table 2 row 4", "Sheet1 row 12") and are not compared;
  - a web page folds runs of spaces and drops empty paragraphs, a table cell's line breaks are
    spaces, a .doc drops a cell's lone space: texts are compared without white space.
"""
from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from ingest.pipeline import find_documents, parse_bytes
from ingest.readers import SUFFIXES, read_document
from ingest.readers import libreoffice
from tests.conftest import SAMPLE
from tests.office_renderings import (TEXT_AS_TABLE, Table, blocks, records, soffice_convert,
                              text_lines, to_docx, to_html, to_odp, to_xlsx)

KEYS = list(SAMPLE)
CELLS_AS_ROWS = {"001"}   # the text export has one cell per line; every rendering has table rows


def _rendering(key: str, text_doc, tables: bool) -> str | None:
    return "rows" if tables and key in CELLS_AS_ROWS else text_doc.rendering


def _blocks(key: str):
    return blocks(SAMPLE[key].read_text(encoding="utf-8"))


def _require_libreoffice() -> None:
    if libreoffice.soffice() is None:
        pytest.fail("LibreOffice is not installed, and `make setup` installs it: run `make setup` "
                    f"(or {libreoffice.INSTALL_HINT})")


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Each sample as .docx (merged cells), .xlsx (merged ranges) and .html, in a folder."""
    out = tmp_path_factory.mktemp("rendered")
    made: dict[str, dict[str, Path]] = {}
    for key in KEYS:
        b = _blocks(key)
        made[key] = {}
        for ext, data in (("docx", to_docx(b)), ("xlsx", to_xlsx(b)), ("html", to_html(b))):
            path = out / f"{key}.{ext}"
            path.write_bytes(data)
            made[key][ext] = path
    return made


@pytest.fixture(scope="session")
def converted(rendered, tmp_path_factory) -> dict[str, dict[str, Path]]:
    """The renderings saved by LibreOffice as .doc and .xls (one run for all samples each), as
    .rtf, .odt and .ods for one sample, and under the WPS Office names .wps and .et."""
    _require_libreoffice()
    out = tmp_path_factory.mktemp("converted")
    made: dict[str, dict[str, Path]] = {key: {} for key in KEYS}
    for target, source in (("doc", "docx"), ("xls", "xlsx")):
        files = soffice_convert([rendered[k][source] for k in KEYS], target, out / target)
        for key, path in zip(KEYS, files):
            made[key][target] = path
    for target, source in (("rtf", "docx"), ("odt", "docx"), ("ods", "xlsx")):
        made["000"][target] = soffice_convert([rendered["000"][source]], target, out / target)[0]
    for alias, original in (("wps", "doc"), ("et", "xls")):
        made["003"][alias] = shutil.copyfile(made["003"][original], out / f"003.{alias}")
    return made


@pytest.fixture(scope="session")
def saved_from_text(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """The text samples themselves opened in LibreOffice and saved as .doc (Writer: a paragraph
    per line, tabs kept), .xls (Calc: tabs as columns) and .html (Writer: preformatted text)."""
    _require_libreoffice()
    out = tmp_path_factory.mktemp("from_text")
    texts = []
    for key in KEYS:
        texts.append(out / f"{key}.txt")
        shutil.copyfile(SAMPLE[key], texts[-1])
    made: dict[str, dict[str, Path]] = {key: {} for key in KEYS}
    for target, infilter in (("doc", None), ("xls", TEXT_AS_TABLE), ("html", None)):
        for key, path in zip(KEYS, soffice_convert(texts, target, out / target, infilter=infilter)):
            made[key][target] = path
    return made


def _parse(path: Path):
    return parse_bytes(path.read_bytes(), path.name, path.suffix)


def _same_records(doc, text_doc, key: str, tables: bool = True) -> None:
    """The same records as the text sample; `tables`: the rendering lays forms out as tables."""
    assert doc.layout == text_doc.layout, [i for i in doc.issues if i.severity == "error"]
    assert doc.rendering == _rendering(key, text_doc, tables)
    got, want = records(doc), records(text_doc)
    assert got["document"] == want["document"]
    assert len(got["forms"]) == len(want["forms"])
    for n, (g, w) in enumerate(zip(got["forms"], want["forms"])):
        assert g == w, f"form {n + 1} differs"
    assert got["narratives"] == want["narratives"]
    assert got["issues"] == want["issues"]


# ---- .docx: merged cells on the grid -------------------------------------------------------

@pytest.mark.parametrize("key", KEYS)
def test_docx_with_merged_cells_reads_like_the_text(key, rendered, parsed):
    doc = _parse(rendered[key]["docx"])
    assert doc.format == "docx"
    _same_records(doc, parsed[key], key)


@pytest.mark.parametrize("key", KEYS)
def test_docx_rows_are_the_grid_with_merged_cells_once(key, rendered):
    """The reader contract: a merged cell once, at its first grid column; empty strings where
    it spans (and in the rows a vertical merge continues into); every row the grid's width."""
    b = _blocks(key)
    reading = read_document(rendered[key]["docx"], rendered[key]["docx"].read_bytes())
    got = [l.text for l in reading.lines if not l.where.startswith("after table")]
    closing = [""] if isinstance(b[-1], Table) else []   # Word ends a document with a paragraph
    assert got == text_lines(b) + closing
    widths = {}
    for line in reading.lines:
        if line.where.startswith("table "):
            widths.setdefault(line.where.split(" row ")[0], set()).add(line.text.count("\t"))
    assert all(len(w) == 1 for w in widths.values())


def test_lulong_spending_plan_with_3月底_over_two_grid_columns(rendered, parsed):
    data = rendered["001"]["docx"].read_bytes()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert 'w:gridSpan w:val="2"' in xml and "w:vMerge" in xml   # the merges are real
    lines = read_document(Path("x.docx"), data).lines
    plan = [l for l in lines if l.text.startswith("资金支出计划")]
    assert plan[0].text == "资金支出计划（%）\t3月底\t\t6月底\t10月底\t12月底\t"
    values = lines[plan[0].no]   # the row below: 25% under 3月底, 100% under 12月底
    assert values.text == "\t25%\t\t50%\t75%\t100%\t" and values.where.startswith("table ")
    doc = parse_bytes(data, "lulong.docx", ".docx")
    assert [(f.spend_q1_pct, f.spend_q4_pct) for f in doc.forms] == \
        [(f.spend_q1_pct, f.spend_q4_pct) for f in parsed["001"].forms]
    # python-docx's row.cells repeats a merged cell in every column it covers: why the reader
    # walks the grid instead
    from docx import Document

    row = next(r for t in Document(io.BytesIO(data)).tables for r in t.rows
               if r.cells[0].text.startswith("资金支出计划"))
    assert [c.text for c in row.cells][1:3] == ["3月底", "3月底"]


def test_docx_levels_merged_vertically_continue_empty(rendered):
    lines = read_document(Path("x.docx"), rendered["001"]["docx"].read_bytes()).lines
    header = next(l for l in lines if l.text.startswith("一级指标"))
    first_rows = [l.text.split("\t")[:2] for l in lines[header.no:header.no + 4]]
    assert first_rows == [["产出指标", "数量指标"], ["", "质量指标"], ["", "时效指标"], ["", "成本指标"]]


def test_docx_grid_before_after_nested_tables_and_text_boxes():
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = Document()
    document.add_paragraph("标题")
    table = document.add_table(rows=3, cols=4)
    for r in range(3):
        for c in range(4):
            table.cell(r, c).text = f"r{r}c{c}"
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(0, 1).text = "合并"
    # row 2 starts one grid column in and stops one short (w:gridBefore / w:gridAfter)
    tr = table.rows[2]._tr
    for tc in list(tr.tc_lst)[2:]:
        tr.remove(tc)
    tr.remove(tr.tc_lst[0])
    tr.insert(0, parse_xml(f'<w:trPr {nsdecls("w")}><w:gridBefore w:val="1"/><w:gridAfter w:val="2"/></w:trPr>'))
    tr.tc_lst[0].clear_content()
    tr.tc_lst[0].add_p().add_r().text = "中"
    # a table nested in a cell (a form pasted into a layout table)
    holder = table.cell(1, 3)
    holder.text = "见下表"
    inner = holder.add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"i{r}{c}"
    # a text box, written as Word does: DrawingML with a VML fallback holding the same text
    box = (f'<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps">'
           '<w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent>'
           '</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p>'
           '<w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r>')
    p = document.add_paragraph("正文")
    p._p.append(parse_xml(box))
    buf = io.BytesIO()
    document.save(buf)
    lines = [(l.text, l.where) for l in read_document(Path("x.docx"), buf.getvalue()).lines]
    assert lines == [
        ("标题", "paragraph 1"),
        ("r0c0\t合并\t\tr0c3", "table 1 row 1"),
        ("r1c0\tr1c1\tr1c2\t", "table 1 row 2"),   # the cell holding a table is read after it
        ("见下表", "paragraph 2"),
        ("i00\ti01", "table 2 row 1"), ("i10\ti11", "table 2 row 2"), ("", "after table 2"),
        ("", "paragraph 3"),   # a cell ends with a paragraph after its table, as Word writes it
        ("\t中\t\t", "table 1 row 3"),
        ("", "after table 1"),
        ("正文", "paragraph 4"),
        ("文本框", "paragraph 5"),   # the text box once, after the paragraph it is anchored in
    ]


# ---- .xlsx, and .xls/.et/.ods with python-calamine ------------------------------------------

@pytest.mark.parametrize("key", KEYS)
def test_xlsx_with_merged_ranges_reads_like_the_text(key, rendered, parsed):
    doc = _parse(rendered[key]["xlsx"])
    assert doc.format == "xlsx"
    _same_records(doc, parsed[key], key)


@pytest.mark.parametrize("key", KEYS)
def test_xls_saved_by_libreoffice_reads_like_the_text(key, converted, parsed):
    doc = _parse(converted[key]["xls"])
    assert doc.format == "xls (xlrd)"
    _same_records(doc, parsed[key], key)
    assert doc.forms[0].where.startswith("Sheet1 row ")


def test_xls_numbers_read_as_formatted(tmp_path):
    """A percentage is a fraction formatted as one: 0.25 shown as 25% reads "25%" (python-
    calamine, values only, would read 0.25: why .xls is read with xlrd)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"])
    ws.append(["", 0.25, 0.5, 0.755, 1])
    ws.append(["完成时间", "2024-03-31", 50, 1234.5, "≥90%"])
    for cell in ws[2][1:]:
        cell.number_format = "0%"
    ws["B3"].value = __import__("datetime").date(2024, 3, 31)
    ws["B3"].number_format = "yyyy-mm-dd"
    wb.save(tmp_path / "plan.xlsx")
    _require_libreoffice()
    (xls,) = soffice_convert([tmp_path / "plan.xlsx"], "xls", tmp_path)
    rows = [l.text for l in read_document(xls, xls.read_bytes()).lines]
    assert rows[:3] == ["资金支出计划（%）\t3月底\t6月底\t10月底\t12月底", "\t25%\t50%\t75.5%\t100%",
                        "完成时间\t2024-03-31\t50\t1234.5\t≥90%"]


def test_et_and_ods(converted, parsed):
    et = _parse(converted["003"]["et"])   # WPS Office's spreadsheet name for an .xls
    assert et.format == "et (xlrd)"
    _same_records(et, parsed["003"], "003")
    ods = _parse(converted["000"]["ods"])
    assert ods.format == "ods (calamine)"
    _same_records(ods, parsed["000"], "000")


# ---- .doc, .wps, .rtf, .odt through LibreOffice ---------------------------------------------

@pytest.mark.parametrize("key", KEYS)
def test_doc_converted_by_libreoffice_reads_like_the_text(key, converted, parsed):
    doc = _parse(converted[key]["doc"])
    assert doc.format == "doc→docx (LibreOffice)"
    _same_records(doc, parsed[key], key)


@pytest.mark.parametrize("ext", ["doc", "xls", "html"])
@pytest.mark.parametrize("key", KEYS)
def test_text_saved_by_libreoffice_as_doc_xls_html(key, ext, saved_from_text, parsed):
    """The other way a .doc, .xls or web page is made from a text: opened and saved as such.
    What a worksheet cannot carry: the one-cell-per-line arrangement of 卢龙 (001), whose empty
    cells are lines holding a tab alone; a sheet row of empty cells cannot tell an empty cell
    from an empty line, so its forms cut their rows differently."""
    doc = _parse(saved_from_text[key][ext])
    if key == "001" and ext == "xls":
        assert doc.rendering == "cells" and len(doc.forms) == 18
        assert records(doc)["forms"] != records(parsed[key])["forms"]
        return
    assert doc.format == {"doc": "doc→docx (LibreOffice)", "xls": "xls (xlrd)", "html": "html (utf-8)"}[ext]
    _same_records(doc, parsed[key], key, tables=False)


def test_wps_rtf_odt_converted_by_libreoffice(converted, parsed):
    for key, ext in (("003", "wps"), ("000", "rtf"), ("000", "odt")):
        doc = _parse(converted[key][ext])
        assert doc.format == f"{ext}→docx (LibreOffice)"
        _same_records(doc, parsed[key], key)


def test_presentation_read_through_pdf():
    """A presentation (.dps, .ppt, .odp) goes to PDF with LibreOffice, then to the PDF reader:
    its text boxes come back as lines (a slide carries no table grid to compare)."""
    _require_libreoffice()
    reading = read_document(Path("slides.dps"), to_odp(["1.某某项目绩效目标表", "项目名称 某某项目"]))
    assert reading.format == "dps→pdf (LibreOffice)"
    text = "".join("".join(l.text.split()) for l in reading.lines)
    assert text == "1.某某项目绩效目标表项目名称某某项目"


def test_conversions_are_cached_by_content(converted, monkeypatch, tmp_path):
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "cache"))
    data = converted["000"]["doc"].read_bytes()
    first, hit = libreoffice.convert(data, ".doc", "docx")
    assert not hit and libreoffice.cached(data, "docx").exists()
    monkeypatch.setattr(libreoffice, "soffice", lambda: None)   # a rebuild needs no LibreOffice
    again, hit = libreoffice.convert(data, ".doc", "docx")
    assert hit and again == first
    assert _parse(converted["000"]["doc"]).forms


def test_without_libreoffice_a_doc_is_unreadable_naming_the_fix(converted, monkeypatch, tmp_path):
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(libreoffice, "soffice", lambda: None)
    doc = _parse(converted["001"]["doc"])
    assert doc.layout == "unreadable" and doc.forms == []
    (issue,) = doc.issues
    assert (issue.severity, issue.code) == ("error", "UNREADABLE")
    assert "LibreOffice is not installed" in issue.reason and "make setup" in issue.reason


def test_libreoffice_is_installed_for_the_tests():
    """`make setup` installs LibreOffice; its absence fails the suite instead of skipping."""
    _require_libreoffice()
    assert "LibreOffice" in (libreoffice.version() or "")


# ---- web pages -----------------------------------------------------------------------------

@pytest.mark.parametrize("key", KEYS)
def test_html_tables_with_rowspan_colspan_read_like_the_text(key, rendered, parsed):
    doc = _parse(rendered[key]["html"])
    assert doc.format == "html (utf-8)"
    _same_records(doc, parsed[key], key)


@pytest.mark.parametrize("key", ["001", "002"])
def test_gb2312_page_decoded_from_its_meta_charset(key, parsed):
    data = to_html(_blocks(key), charset="gb2312")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    doc = parse_bytes(data, "page.htm", ".htm")
    assert doc.format == "html (gb2312)"
    _same_records(doc, parsed[key], key)


def test_html_grid_layout_tables_and_text_outside():
    page = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
    <script>var x = "<td>no</td>";</script></head><body>
    <div class="nav">首页 &gt; 政府信息公开</div>
    <table><tr><td>栏目</td><td>
      <p>1.某某项目绩效目标表</p>
      <table border=1>
        <tr><th rowspan=2>一级指标</th><th colspan=2>指标</th><td>值</td></tr>
        <tr><td>数量<br>指标</td><td>人数</td><td>≥4人</td></tr>
        <tr><td>满意度</td><td colspan=3>  满意度  ≥90% </td></tr>
      </table>
      <p>注：单位万元</p></td></tr></table>
    <p>发布日期：2024-01-05</p></body></html>""".encode("gbk")
    reading = read_document(Path("page.html"), data=page)
    assert reading.format == "html (gbk)"
    assert [(l.text, l.where) for l in reading.lines] == [
        ("首页 > 政府信息公开", "paragraph 1"),
        ("栏目\t", "table 1 row 1"),            # a layout table: its cell is read as page content
        ("1.某某项目绩效目标表", "paragraph 2"),
        ("一级指标\t指标\t\t值", "table 2 row 1"),
        ("\t数量 指标\t人数\t≥4人", "table 2 row 2"),
        ("满意度\t满意度 ≥90%\t\t", "table 2 row 3"),
        ("", "after table 2"),
        ("注：单位万元", "paragraph 3"),
        ("", "after table 1"),
        ("发布日期：2024-01-05", "paragraph 4"),
    ]


def test_doc_that_is_really_a_web_page(rendered, parsed):
    """County sites often serve an HTML table under a .doc or .xls name: the content decides."""
    data = rendered["000"]["html"].read_bytes()
    doc = parse_bytes(data, "forms.xls", ".xls")
    assert doc.format == "html (utf-8)"
    assert ("info", "CONTENT_NOT_SUFFIX") in [(i.severity, i.code) for i in doc.issues]
    _same_records(doc, parsed["000"], "000")


def test_mht_web_archive(rendered, parsed):
    import quopri

    html = rendered["003"]["html"].read_bytes()
    mht = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart"\r\n\r\n'
           b'------=_NextPart\r\nContent-Type: text/html; charset="utf-8"\r\n'
           b'Content-Transfer-Encoding: quoted-printable\r\n\r\n' + quopri.encodestring(html) +
           b'\r\n------=_NextPart--\r\n')
    doc = parse_bytes(mht, "forms.doc", ".doc")
    assert doc.format == "mht (utf-8)"
    _same_records(doc, parsed["003"], "003")


# ---- text encodings ------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, fmt", [
    ("utf-8-sig", "txt (utf-8 BOM)"), ("utf-16", "txt (utf-16-le)"),
    ("utf-16-be-bom", "txt (utf-16-be)"), ("gbk", "txt (gb18030)"), ("gb18030", "txt (gb18030)")])
def test_text_encodings(encoding, fmt, parsed):
    text = SAMPLE["001"].read_text(encoding="utf-8")
    data = b"\xfe\xff" + text.encode("utf-16-be") if encoding == "utf-16-be-bom" else text.encode(encoding)
    doc = parse_bytes(data, "lulong.txt")
    assert doc.format == fmt
    _same_records(doc, parsed["001"], "001", tables=False)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_one_bad_byte_is_a_warning_naming_its_line(encoding):
    lines = SAMPLE["001"].read_text(encoding="utf-8").split("\n")
    no = lines.index("\t下属四个局属场需缴纳医疗保险人数") + 1
    before = "\n".join(lines[:no - 1] + ["\t下属四个局属场需缴纳医疗保险人"])
    after = "\n" + "\n".join(lines[no:])
    data = before.encode(encoding) + b"\xff" + after.encode(encoding)   # 数 lost to one bad byte
    damaged = before + "\ufffd" + after
    doc = parse_bytes(data, "lulong.txt")
    want = parse_bytes(damaged.encode("utf-8"), "lulong.txt")
    bad = [i for i in doc.issues if i.code == "BAD_BYTES"]
    assert [(i.severity, i.where) for i in bad] == [("warning", f"line {no}")]
    assert f"line {no}" in bad[0].reason and "replaced" in bad[0].reason
    assert doc.format == f"txt ({'utf-8' if encoding == 'utf-8' else 'gb18030'}, 1 damaged line)"
    assert records(doc) == records(want)
    assert len(doc.forms) == 18


# ---- what cannot be read is said, never skipped ---------------------------------------------

def _encrypted_office(data: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("secret", out)
    return out.getvalue()


@pytest.mark.parametrize("ext", ["docx", "xlsx"])
def test_password_protected_office_file(ext, rendered):
    data = _encrypted_office(rendered["000"][ext].read_bytes())
    doc = parse_bytes(data, f"secret.{ext}", f".{ext}")
    (issue,) = doc.issues
    assert (issue.code, doc.forms) == ("UNREADABLE", [])
    assert issue.reason.startswith("password-protected")


def test_password_protected_pdf(rendered, tmp_path):
    _require_libreoffice()
    options = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
               '"DocumentOpenPassword":{"type":"string","value":"secret"}}')
    (pdf,) = soffice_convert([rendered["000"]["docx"]], options, tmp_path)
    doc = _parse(pdf)
    (issue,) = doc.issues
    assert issue.code == "UNREADABLE" and issue.reason.startswith("password-protected")


@pytest.mark.parametrize("name, data, says", [
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "cannot be read as .xlsx"),
    ("broken.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "damaged"),
    ("broken.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "damaged"),
    ("broken.html", b"\x00\x01\x02<html>", "binary"),
])
def test_corrupt_containers_are_unreadable_not_a_crash(name, data, says):
    doc = parse_bytes(data, name, Path(name).suffix)
    (issue,) = doc.issues
    assert issue.code == "UNREADABLE" and says in issue.reason


def test_every_file_in_a_folder_is_a_reported_document(tmp_path):
    src = tmp_path / "docs"
    (src / "sub").mkdir(parents=True)
    shutil.copy(SAMPLE["000"], src / "forms.txt")
    (src / "README.md").write_text("# 说明\n", encoding="utf-8")
    (src / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 50)
    (src / "sub" / "all.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    (src / "~$forms.docx").write_bytes(b"\x0bsomeone" + b"\x00" * 150)
    (src / ".hidden").write_text("x")
    found = [p.relative_to(src).as_posix() for p in find_documents([src])]
    assert found == ["README.md", "forms.txt", "scan.jpg", "sub/all.zip", "~$forms.docx"]
    reasons = {}
    for path in find_documents([src]):
        doc = _parse(path)
        reasons[path.name] = [i.reason for i in doc.issues if i.code == "UNREADABLE"]
    assert reasons["forms.txt"] == []
    assert "unknown file type '.md'" in reasons["README.md"][0]
    assert reasons["scan.jpg"][0].startswith("an image")
    assert reasons["all.zip"][0].startswith("an archive")
    assert "lock file" in reasons["~$forms.docx"][0]
    assert {".doc", ".xls", ".wps", ".et", ".html", ".htm", ".mht", ".rtf", ".odt", ".dps"} <= SUFFIXES


def test_an_all_legacy_folder_without_libreoffice_is_no_silent_exit_0(tmp_path, monkeypatch):
    """Each .doc is an unreadable document naming the fix, and the build's exit code is 2."""
    from warehouse.build import build

    src = tmp_path / "legacy"
    src.mkdir()
    (src / "a.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)   # damaged
    (src / "b.wps").write_bytes(_encrypted_office(to_docx(_blocks("000"))))
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(libreoffice, "soffice", lambda: None)
    shutil.copy(SAMPLE["000"], src / "c.doc")   # a text saved under a .doc name: read as text
    (src / "d.rtf").write_bytes(b"{\\rtf1\\ansi " + "项目名称".encode("gbk") + b"}")
    summary = build([src], tmp_path / "wh.duckdb", validate=False)
    outcome = {d.source_file: (d.status, d.reason or "") for d in summary.documents}
    assert outcome["c.doc"][0] == "loaded"
    assert outcome["a.doc"][0] == "unreadable" and "damaged" in outcome["a.doc"][1]
    assert outcome["b.wps"][0] == "unreadable" and "password-protected" in outcome["b.wps"][1]
    assert outcome["d.rtf"][0] == "unreadable" and "LibreOffice is not installed" in outcome["d.rtf"][1]
    assert summary.exit_code == 2


def test_a_folder_of_every_format_builds_the_warehouse_of_its_text_renderings(
        converted, rendered, built_warehouse, tmp_path):
    """Done when a folder mixing the formats builds into the same warehouse as the texts."""
    from warehouse.build import build

    src = tmp_path / "mixed"
    src.mkdir()
    shutil.copy(converted["000"]["doc"], src / "dalian_gaoxin_ziranziyuan.doc")
    shutil.copy(rendered["001"]["docx"], src / "lulong.docx")
    (src / "chengde.htm").write_bytes(to_html(_blocks("002"), charset="gb2312"))
    shutil.copy(converted["003"]["xls"], src / "dalian_gaoxin_yingshang.xls")
    (src / "xigang.txt").write_bytes(SAMPLE["004"].read_text(encoding="utf-8").encode("utf-16"))
    summary = build([src], tmp_path / "mixed.duckdb", validate=False)
    assert {d.source_file: d.status for d in summary.documents} == dict.fromkeys(
        ["dalian_gaoxin_ziranziyuan.doc", "lulong.docx", "chengde.htm",
         "dalian_gaoxin_yingshang.xls", "xigang.txt"], "loaded")
    queries = [
        """select p.project_name, p.project_code, p.form_kind, p.budget_year, r.county,
                  f.budget_total_wan, f.fiscal_wan, f.other_wan, f.spend_q1_pct, f.spend_q2_pct,
                  f.spend_q3_pct, f.spend_q4_pct
           from marts.fct_project_funding f join marts.dim_project p using (project_key)
           join marts.dim_region r on r.region_key = f.region_key""",
        """select p.project_name, t.level1, t.level2, t.level3, regexp_replace(t.raw_value, '\\s', '', 'g'),
                  t.value_kind, t.op, t.value, t.unit, t.value_base, t.base_unit, t.deadline,
                  t.measure_code, regexp_replace(t.basis, '\\s', '', 'g')
           from marts.fct_indicator_target t left join marts.dim_project p using (project_key)""",
        "select rule_code, severity, message from marts.fct_target_findings",
        "select * exclude (department_form_key, department_key, region_key, source_file, source_line) "
        "from marts.fct_department_budget",
        "select d.department_name, d.budget_unit_code, d.budget_unit_name, r.county from marts.dim_department d "
        "join marts.dim_region r using (region_key)",
        "select section, heading, regexp_replace(text, '\\s', '', 'g') from raw.narratives",
    ]
    with duckdb.connect(str(tmp_path / "mixed.duckdb"), read_only=True) as mixed, \
            duckdb.connect(str(built_warehouse), read_only=True) as texts:
        for q in queries:
            got = sorted(mixed.execute(q).fetchall(), key=repr)
            want = sorted(texts.execute(q).fetchall(), key=repr)
            assert got == want, q
            assert want


# ---- the real forms of other provinces (tests/fixtures/forms), rendered the same ways ----------

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "forms").glob("*.txt"))
# Columns this text separates by runs of spaces: a web page's <p> folds them into one space (a
# real page holds such columns in a table or in <pre>, which keeps them).
SPACE_COLUMNS = {"04_nanyue_fupin_spaces_ascii"}


@pytest.fixture(scope="session")
def fixtures_as_xls(tmp_path_factory) -> dict[str, Path]:
    _require_libreoffice()
    out = tmp_path_factory.mktemp("fixtures_xls")
    copies = [Path(shutil.copyfile(f, out / f.name)) for f in FIXTURES]
    return {f.stem: x for f, x in zip(FIXTURES, soffice_convert(copies, "xls", out / "xls",
                                                                 infilter=TEXT_AS_TABLE))}


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_forms_of_other_provinces_in_every_format(fixture, fixtures_as_xls):
    """.docx with merged cells, .xlsx, a web page, and the text saved as .xls by LibreOffice:
    the same forms as the text (its parse issues aside: a row the text leaves half-read may
    read whole, or not at all, from a table)."""
    text_doc = parse_bytes(fixture.read_bytes(), fixture.name)
    want = records(text_doc)
    b = blocks(fixture.read_text(encoding="utf-8"))
    renderings = {"docx": to_docx(b), "xlsx": to_xlsx(b), "xls": fixtures_as_xls[fixture.stem].read_bytes()}
    if fixture.stem not in SPACE_COLUMNS:
        renderings["html"] = to_html(b)
    for ext, data in renderings.items():
        doc = parse_bytes(data, f"{fixture.stem}.{ext}", f".{ext}")
        got = records(doc)
        assert doc.layout == text_doc.layout, ext
        assert (got["document"], got["forms"], got["narratives"]) == \
            (want["document"], want["forms"], want["narratives"]), ext

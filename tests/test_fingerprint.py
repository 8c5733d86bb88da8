"""The content fingerprint: one value for the same forms however the file was saved, another as
soon as a project, an amount or a target differs."""
from __future__ import annotations

import hashlib

from ingest.fingerprint import fingerprint, norm_number, norm_text
from ingest.pipeline import parse_bytes
from tests.documents import as_docx, as_xlsx, edited, text


def _fp(data: bytes, name: str) -> str | None:
    doc = parse_bytes(data, name, "." + name.rsplit(".", 1)[1])
    assert doc.forms, doc.issues
    return fingerprint(doc)


def test_a_gbk_copy_has_the_fingerprint_of_the_utf8_file():
    utf8, gbk = text("000").encode("utf-8"), text("000").encode("gb18030")
    assert hashlib.sha256(utf8).digest() != hashlib.sha256(gbk).digest()
    assert _fp(utf8, "a.txt") == _fp(gbk, "a.txt")


def test_the_docx_and_xlsx_renderings_have_the_fingerprint_of_the_txt():
    # 承德 as Word (one paragraph per line) and 大连 as a workbook (one cell per field): the
    # places differ (paragraph 85 vs line 85, Sheet row 12), the forms do not
    assert _fp(text("002").encode(), "c.txt") == _fp(as_docx(text("002")), "c.docx")
    assert _fp(text("003").encode(), "d.txt") == _fp(as_xlsx(text("003")), "d.xlsx")


def test_the_file_name_does_not_count():
    data = text("001").encode()
    assert _fp(data, "卢龙.txt") == _fp(data, "folder/another name.txt")


def test_an_edited_amount_value_or_name_changes_it():
    base = _fp(text("000").encode(), "a.txt")
    amount = edited("000", ("年度金额\t50.00", "年度金额\t51.00"))
    value = edited("000", ("≥4人", "≥5人"))
    name = edited("000", ("自然资源局劳务派遣经费", "自然资源局劳务外包经费"))
    found = {_fp(t.encode(), "a.txt") for t in (amount, value, name)}
    assert base not in found and len(found) == 3


def test_spaces_full_width_forms_and_invisible_characters_do_not_count():
    base = _fp(text("000").encode(), "a.txt")
    spaced = edited("000", ("自然资源局劳务派遣经费", "自然资源局 劳务派遣经费"),
                    ("≥4人", "≥４人\u200b"))
    assert _fp(spaced.encode(), "a.txt") == base


def test_the_order_of_forms_does_not_count():
    doc = parse_bytes(text("000").encode(), "a.txt")
    before = fingerprint(doc)
    doc.forms.reverse()
    assert fingerprint(doc) == before


def test_a_document_without_forms_has_none():
    assert fingerprint(parse_bytes("会议纪要\n".encode(), "m.txt")) is None


def test_normalisation():
    assert norm_text(" 项目 名称\t\u202e") == "项目名称"
    assert norm_number(50) == norm_number("50.00") == "50"
    assert norm_number(None) == "" and norm_number(0.0) == "0"

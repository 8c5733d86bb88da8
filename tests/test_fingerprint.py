"""The content fingerprint: one value for the same forms however the file was saved, another as
soon as a project, an amount or a target differs."""
from __future__ import annotations

import copy
import hashlib
import json
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import fingerprint as fp
from ingest.fingerprint import fingerprint, norm_number, norm_text
from ingest.pipeline import parse_bytes
from tests.conftest import SAMPLE
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


def _key_json(form) -> str:
    return json.dumps(fp.form_key(form), ensure_ascii=False, separators=(",", ":"))


def test_form_json_is_the_form_key_as_json_writes_it():
    """The fingerprint hashes _form_json, which writes form_key's JSON directly: byte for byte
    what json.dumps writes (stored warehouses compare fingerprints)."""
    for key in SAMPLE:
        for form in parse_bytes(text(key).encode(), "a.txt").forms:
            assert fp._form_json(form) == _key_json(form)


@cache
def _form():
    return parse_bytes(text("000").encode(), "a.txt").forms[0]


_TEXT = st.one_of(st.none(), st.text(max_size=6), st.sampled_from(
    ['"', "\\", '\\"', "\n", "\x00\x1f", "\u2028", "\ud800", "Ａ\u200b", "中 文"]))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_form_json_escapes_as_json_does(data):
    form = copy.deepcopy(_form())
    for name in ("project_name", "project_code", "budget_unit_code", "budget_unit_name"):
        setattr(form, name, data.draw(_TEXT))
    form.form_kind = data.draw(st.one_of(st.none(), st.text(max_size=4),
                                         st.sampled_from(['"\\', "project"])))
    form.budget_year = data.draw(st.one_of(st.none(), st.integers(), st.text(max_size=3)))
    form.budget_total_wan = data.draw(st.one_of(st.none(), st.decimals(), st.floats(),
                                                st.text(max_size=3)))
    form.spend_q1_pct = data.draw(st.one_of(st.none(), st.floats(), st.decimals(places=2)))
    form.redacted = data.draw(st.one_of(st.booleans(), st.none(), st.integers(0, 2)))
    for indicator in form.indicators:
        indicator.level3, indicator.raw_value = data.draw(_TEXT), data.draw(_TEXT)
    assert fp._form_json(form) == _key_json(form)

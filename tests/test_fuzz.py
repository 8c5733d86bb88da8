"""Hypothesis fuzzing of every reader and parser on arbitrary bytes and text: no exception
escapes except as a reported document error (UnreadableDocument from a reader; a parse issue
from parse_bytes), and whatever comes out can be fingerprinted and loaded as it is."""
from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.fingerprint import fingerprint
from ingest.pipeline import parse_bytes
from ingest.readers import UnreadableDocument, read_lines
from ingest.records import Line, ParsedDocument
from ingest.values import OPS, VALUE_KINDS, parse_value
from tests.documents import as_docx, as_xlsx, text
from warehouse.build.load import COLUMNS, tables_for

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SUFFIXES = (".txt", ".docx", ".xlsx", ".pdf")
SEVERITIES = {"error", "warning", "info"}
# Characters documents carry and parsers trip on: CJK, full-width digits and operators, the
# separators of amounts, controls and bidi marks, markup and format fields, huge numbers.
NASTY = st.sampled_from(["≥", "≤", "％", "‰", "万元", "亩", "１２３", "，", ".", "-", "\t", " ", "\u3000",
                         "\u202e", "\u0007", "\x00", "[bold]", "[/]", "{form}", "{indicator}", "9" * 300,
                         "年", "月", "日", "密", "项目名称", "项目编码", "预算数", "指标值", "合格率", "\r"])
TEXT = st.lists(st.one_of(st.text(max_size=12), NASTY), max_size=12).map("".join)
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")   # Word cannot hold these
VALID = {".txt": text("000").encode(), ".docx": as_docx(text("002")), ".xlsx": as_xlsx(text("003"))}


def _mutated(valid: bytes):
    """A valid file with some of its bytes overwritten: the reader gets past its first checks."""
    return st.lists(st.tuples(st.integers(0, len(valid) - 1), st.binary(min_size=1, max_size=8)),
                    min_size=1, max_size=6).map(lambda edits: _apply(valid, edits))


def _apply(data: bytes, edits) -> bytes:
    out = bytearray(data)
    for at, chunk in edits:
        out[at:at + len(chunk)] = chunk
    return bytes(out)


def _check_document(doc: ParsedDocument) -> None:
    """What every caller of parse_bytes relies on."""
    assert isinstance(doc, ParsedDocument)
    for issue in doc.issues:
        assert issue.severity in SEVERITIES and issue.code and isinstance(issue.reason, str)
        assert isinstance(issue.where, str)
    if not doc.forms:
        assert any(i.severity == "error" for i in doc.issues), doc.issues
    fp = fingerprint(doc)
    assert fp is None if not doc.forms else re.fullmatch(r"[0-9a-f]{64}", fp)
    rows = tables_for(doc, datetime.now(timezone.utc), "fuzz", fp)
    for table, records in rows.items():   # loadable as typed, nothing infinite
        frame = pl.DataFrame(records, schema=COLUMNS[table], strict=True)
        for name, dtype in COLUMNS[table].items():
            if dtype == pl.Float64:
                assert frame[name].is_infinite().sum() == 0 and frame[name].is_nan().sum() == 0


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_readers_on_arbitrary_bytes(data, suffix):
    try:
        lines = read_lines(Path("fuzz" + suffix), data)
    except UnreadableDocument as exc:
        assert str(exc)
        return
    assert all(isinstance(line, Line) and isinstance(line.text, str) for line in lines)


@FUZZ
@given(data=st.one_of(_mutated(VALID[".docx"]), _mutated(VALID[".xlsx"])))
def test_readers_on_damaged_office_files(data):
    for suffix in (".docx", ".xlsx"):
        try:
            read_lines(Path("fuzz" + suffix), data)
        except UnreadableDocument:
            pass


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_parse_bytes_on_arbitrary_bytes(data, suffix):
    _check_document(parse_bytes(data, "fuzz" + suffix, suffix))


@FUZZ
@given(data=st.one_of(_mutated(VALID[".txt"]), _mutated(VALID[".docx"]), _mutated(VALID[".xlsx"])),
       suffix=st.sampled_from([".txt", ".docx", ".xlsx"]))
def test_parse_bytes_on_damaged_documents(data, suffix):
    _check_document(parse_bytes(data, "fuzz" + suffix, suffix))


def _cells_replaced(key: str):
    """A sample with some lines and cells replaced by nasty text, lines dropped or repeated:
    the layout is still recognised, so its parser runs on it."""
    lines = text(key).split("\n")

    def apply(edits):
        out = list(lines)
        for kind, at, value in edits:
            i = at % len(out)
            if kind == 0:
                cells = out[i].split("\t")
                cells[value[1] % len(cells)] = value[0]
                out[i] = "\t".join(cells)
            elif kind == 1:
                del out[i]
            elif kind == 2:
                out.insert(i, out[i])
            else:
                out.insert(i, value[0])
        return "\n".join(out)

    edit = st.tuples(st.integers(0, 3), st.integers(0, 10_000), st.tuples(TEXT, st.integers(0, 8)))
    return st.lists(edit, min_size=1, max_size=25).map(apply)


@FUZZ
@given(content=st.one_of(*[_cells_replaced(k) for k in ("000", "001", "002", "004")]),
       encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_every_layout_parser_on_damaged_forms(content, encoding):
    data = content.encode(encoding, errors="replace")
    _check_document(parse_bytes(data, "fuzz.txt", ".txt"))
    _check_document(parse_bytes(as_docx(_XML_FORBIDDEN.sub("", content)), "fuzz.docx", ".docx"))


@FUZZ
@given(value=TEXT, unit=st.one_of(st.none(), TEXT), year=st.one_of(st.none(), st.integers(1900, 2100)))
def test_value_parser_on_arbitrary_text(value, unit, year):
    target = parse_value(value, unit_hint=unit, budget_year=year)
    assert target.value_kind in VALUE_KINDS and (target.op is None or target.op in OPS)
    for number in (target.value, target.value_base):
        assert number is None or isinstance(number, float) and not math.isnan(number)

"""Bad documents are reported with file, place and reason; the others still load; nothing
already loaded is lost."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from ingest.pipeline import parse_bytes
from warehouse.build import build
from tests.conftest import SAMPLE


def _issues(doc):
    return [(i.severity, i.code) for i in doc.issues]


def test_empty_file():
    doc = parse_bytes(b"", "empty.txt")
    assert doc.forms == [] and ("error", "UNREADABLE") in _issues(doc)
    assert "empty" in doc.issues[0].reason


def test_binary_file():
    doc = parse_bytes(bytes(range(256)) * 8, "blob.txt")
    assert ("error", "UNREADABLE") in _issues(doc) and "binary" in doc.issues[0].reason


def test_corrupt_docx():
    doc = parse_bytes(b"PK\x03\x04 not really a zip", "broken.docx", ".docx")
    assert ("error", "UNREADABLE") in _issues(doc) and ".docx" in doc.issues[0].reason


def test_no_form_in_the_document():
    doc = parse_bytes("会议纪要\n今天讨论了预算。\n".encode(), "minutes.txt")
    assert doc.layout == "unknown" and ("error", "NO_FORMS") in _issues(doc)
    assert "会议纪要" in doc.issues[0].reason


def test_truncated_form():
    text = SAMPLE["000"].read_text(encoding="utf-8").split("\n")
    # cut inside the second form, before its indicator table
    cut = "\n".join(text[:44])
    doc = parse_bytes(cut.encode(), "cut.txt")
    assert len(doc.forms) == 2
    assert len(doc.forms[0].indicators) == 7
    assert [i for i in doc.issues if i.severity == "error"] == []
    # a form without its indicator table is kept, with a warning naming it and its line
    missing = [i for i in doc.issues if i.code == "NO_INDICATOR_TABLE"]
    assert [i.severity for i in missing] == ["warning"]
    assert "自然资源局工作业务经费" in missing[0].reason and missing[0].where == "line 31"


def test_bad_amount_is_reported_with_its_line():
    text = SAMPLE["000"].read_text(encoding="utf-8").replace("年度金额\t50.00", "年度金额\t五十", 1)
    doc = parse_bytes(text.encode(), "bad_amount.txt")
    bad = [i for i in doc.issues if i.code == "BAD_AMOUNT"]
    assert bad and bad[0].where == "line 15" and "五十" in bad[0].reason


def test_build_loads_good_documents_next_to_bad_ones(tmp_path):
    src = tmp_path / "docs"
    src.mkdir()
    shutil.copy(SAMPLE["000"], src / "good.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "blob.txt").write_bytes(bytes(range(256)) * 8)
    (src / "minutes.txt").write_text("会议纪要\n", encoding="utf-8")
    target = tmp_path / "wh.duckdb"
    summary = build([src], target)
    status = {d.source_file: d.status for d in summary.documents}
    assert status == {"good.txt": "loaded", "empty.txt": "unreadable", "blob.txt": "unreadable",
                      "minutes.txt": "skipped"}
    assert summary.published and summary.exit_code == 2
    reasons = {d.source_file: d.reason for d in summary.problems}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["blob.txt"]
    assert reasons["minutes.txt"].startswith("NO_FORMS")
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select count(*) from staging.stg_forms__forms").fetchone()[0] == 6
        issues = con.execute("select source_file, severity, code from staging.stg_forms__parse_issues "
                             "where severity = 'error' order by source_file").fetchall()
    assert issues == [("blob.txt", "error", "UNREADABLE"), ("empty.txt", "error", "UNREADABLE"),
                      ("minutes.txt", "error", "NO_FORMS")]


def test_failed_dbt_leaves_published_warehouse_untouched(tmp_path, monkeypatch):
    from warehouse.build import publish as build_module
    from warehouse.build.dbt import DbtFailed

    target = tmp_path / "wh.duckdb"
    build([SAMPLE["000"]], target)
    before = target.read_bytes()

    def failing(db_file, *args, **kwargs):
        raise DbtFailed("dbt build failed: a test failed")

    monkeypatch.setattr(build_module, "run_dbt", failing)
    with pytest.raises(DbtFailed):
        build([SAMPLE["003"]], target)
    assert target.read_bytes() == before


def test_failing_dbt_test_fails_the_build_names_the_file_and_keeps_the_published_file(tmp_path):
    """A real dbt failure: a duplicated form id in raw trips the unique test on staging, and the
    message names the model and the document the rows come from."""
    from warehouse.build.dbt import DbtFailed

    target = tmp_path / "wh.duckdb"
    build([SAMPLE["000"]], target)
    with duckdb.connect(str(target)) as con:
        con.execute("insert into raw.forms select * from raw.forms limit 1")
    before = target.read_bytes()
    with pytest.raises(DbtFailed, match="unique") as err:   # the same document: not read again
        build([SAMPLE["000"]], target)
    assert "raw.forms" in str(err.value) and f"file: {SAMPLE['000'].name}" in str(err.value)
    assert target.read_bytes() == before


def test_word_table_with_a_missing_cell_is_reported():
    lines = SAMPLE["001"].read_text(encoding="utf-8").split("\n")
    assert lines[167] == "\t57人"   # line 168: the value cell of the first form's first row
    doc = parse_bytes("\n".join(lines[:167] + lines[168:]).encode(), "missing_cell.txt")
    left = [i for i in doc.issues if i.code == "TABLE_CELLS_LEFT_OVER"]
    assert len(left) == 1 and "5 cells" in left[0].reason and "项目执行效果" in left[0].reason
    assert len(doc.forms) == 18   # the other forms still read

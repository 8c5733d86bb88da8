"""The build contract of design.md ("The command line", marts.dim_document), tried as a user
would: a folder that people keep editing, copies of the same document in other encodings and
formats, files that cannot be read, and documents that say absurd things.

Totals are the ones test_marts computes by hand from the samples: a build that double counts
or keeps a stale version shows in them at once."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from decimal import Decimal

import duckdb
import pytest

from tests.conftest import SAMPLE
from tests.documents import (as_docx, corrupt_docx, corrupt_pdf, corrupt_xlsx, edited,
                             password_pdf, text, write)
from warehouse.build import build

FUNDING = """
    select r.county, f.budget_year, round(sum(f.budget_total_wan), 2), count(*)
    from marts.fct_project_funding f join marts.dim_region r using (region_key)
    group by all order by all"""
CHENGDE = ("承德县", 2024, Decimal("21327.25"), 12)
DALIAN_2023 = ("大连高新技术产业园区", 2023, Decimal("1989.69"), 8)
DALIAN_2024 = ("大连高新技术产业园区", 2024, Decimal("27619.98"), 6)
LULONG = ("卢龙县", 2024, Decimal("1623.79"), 18)


def _query(path, sql, params=()):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def _documents(path):
    return {r[0]: r[1:] for r in _query(path, "select source_file, status, duplicate_of, form_count "
                                              "from marts.dim_document")}


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_the_warehouse_holds_exactly_the_documents_now_under_the_source(tmp_path):
    src, target = tmp_path / "shared", tmp_path / "wh.duckdb"
    c_bytes = text("003").encode()
    write(src, {"a.docx": as_docx(text("002")), "a.txt": text("002"),
                "b/dalian.txt": text("000"), "b/dalian_gbk.txt": text("000").encode("gb18030"),
                "c.txt": c_bytes, "copy_of_c.txt": c_bytes})

    # 1. The same forms twice (a .docx and its .txt, a GBK copy, a byte copy) load once; the
    #    first by relative path is loaded, the other is named as its duplicate.
    first = build([src], target, validate=False)
    assert first.exit_code == 0
    assert _documents(target) == {
        "a.docx": ("loaded", None, 12), "a.txt": ("duplicate", "a.docx", 0),
        "b/dalian.txt": ("loaded", None, 6), "b/dalian_gbk.txt": ("duplicate", "b/dalian.txt", 0),
        "c.txt": ("loaded", None, 8), "copy_of_c.txt": ("duplicate", "c.txt", 0)}
    basis = {d.source_file: d.duplicate_basis for d in first.documents if d.status == "duplicate"}
    assert basis == {"a.txt": "content", "b/dalian_gbk.txt": "content", "copy_of_c.txt": "bytes"}
    assert _query(target, FUNDING) == [DALIAN_2023, DALIAN_2024, CHENGDE]
    keys_of_c = _query(target, "select project_key from marts.dim_project where source_file = 'c.txt' order by 1")

    # 2. An edited file replaces its old version, removed files leave the marts, a renamed
    #    file keeps its keys and is not read again, a new file comes in.
    (src / "b/dalian.txt").write_text(edited("000", ("年度金额\t50.00", "年度金额\t55.00")), encoding="utf-8")
    (src / "b/dalian_gbk.txt").unlink()
    (src / "copy_of_c.txt").unlink()
    (src / "c.txt").rename(src / "c_renamed.txt")
    write(src, {"d/lulong.txt": text("001")})
    second = build([src], target, validate=False)
    assert second.exit_code == 0 and second.parsed == 2       # the edited file and the new one
    assert sorted(second.changes("added")) == ["c_renamed.txt", "d/lulong.txt"]
    assert second.changes("changed") == ["b/dalian.txt"]
    assert sorted(second.changes("removed")) == ["b/dalian_gbk.txt", "c.txt", "copy_of_c.txt"]
    assert _query(target, FUNDING) == [
        LULONG, DALIAN_2023, DALIAN_2024[:2] + (Decimal("27624.98"), 6), CHENGDE]
    assert _query(target, "select project_key from marts.dim_project where source_file = "
                          "'c_renamed.txt' order by 1") == keys_of_c
    assert _query(target, "select count(*), count(distinct source_file) from raw.documents") == [(4, 4)]
    assert _query(target, "select count(*) from raw.forms where source_file = 'c.txt'") == [(0,)]
    history = _query(target, "select change, source_file from raw.document_history "
                             "where run_id = ? order by 1, 2", [second.run_id])
    assert history == [("added", "c_renamed.txt"), ("added", "d/lulong.txt"),
                       ("changed", "b/dalian.txt"), ("removed", "b/dalian_gbk.txt"),
                       ("removed", "c.txt"), ("removed", "copy_of_c.txt")]

    # 3. The loaded copy goes: its duplicate is loaded instead, nothing is counted twice or
    #    lost; a file that cannot be read is named and the rest publish (exit 2); the
    #    validation (row counts against what was ingested) passes.
    (src / "a.docx").unlink()
    write(src, {"bad.docx": corrupt_docx()})
    third = build([src], target)
    assert third.exit_code == 2 and third.published
    assert [(d.source_file, d.status) for d in third.problems] == [("bad.docx", "unreadable")]
    assert _documents(target)["a.txt"] == ("loaded", None, 12)
    assert _query(target, FUNDING) == [
        LULONG, DALIAN_2023, DALIAN_2024[:2] + (Decimal("27624.98"), 6), CHENGDE]
    assert all(s.failed("critical") == [] for s in third.validation.suites)

    # the run log: every build, its counts and its exit code
    runs = _query(target, "select n_files, n_loaded, n_duplicate, n_unreadable, n_added, n_changed, "
                          "n_removed, exit_code, published from raw.build_runs order by started_at")
    assert runs == [(6, 3, 3, 0, 6, 0, 0, 0, True), (5, 4, 1, 0, 2, 1, 3, 0, True),
                    (5, 4, 0, 1, 1, 0, 1, 2, True)]


def test_a_missing_source_is_exit_1_and_the_warehouse_untouched(built_warehouse, tmp_path):
    published = tmp_path / "jixiao.duckdb"
    shutil.copyfile(built_warehouse, published)
    before = _digest(published)
    out = subprocess.run([sys.executable, "-m", "warehouse.cli", "build", "--warehouse", str(published),
                          "--source", str(SAMPLE["000"]), "--source", str(tmp_path / "unmounted")],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 1
    assert "来源不存在" in out.stdout and "unmounted" in out.stdout and "no such file" in out.stdout
    assert _digest(published) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jixiao.duckdb"]   # nothing else touched


def test_unreadable_files_are_named_with_their_reason_and_the_rest_publish(tmp_path):
    src = write(tmp_path / "docs", {
        "good.txt": text("000"), "年度.docx/inside.txt": text("003"), "bad.docx": corrupt_docx(),
        "bad.xlsx": corrupt_xlsx(), "bad.pdf": corrupt_pdf(), "locked.pdf": password_pdf(),
        "minutes.txt": "会议纪要\n今天讨论了预算。\n"})
    os.mkfifo(src / "pipe.txt")
    (src / "moved.docx").symlink_to(tmp_path / "elsewhere.docx")
    target = tmp_path / "wh.duckdb"
    out = subprocess.run([sys.executable, "-m", "warehouse.cli", "build", "--source", str(src),
                          "--warehouse", str(target)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 2, out.stdout + out.stderr
    flat = " ".join(out.stdout.split())
    for name, reason in {"bad.docx": "not a zip file", "bad.xlsx": ".xlsx", "bad.pdf": ".pdf",
                         "locked.pdf": ".pdf", "pipe.txt": "FIFO", "moved.docx": "broken symbolic link",
                         "minutes.txt": "NO_FORMS"}.items():
        assert f"{name}：" in flat and reason in flat.split(f"{name}：", 1)[1][:120], name
    assert flat.index("需要处理") < flat.index("文档 9 个")           # problems first
    assert "已载入 2" in flat and "退出码 2" in flat
    assert _query(target, "select source_file, form_count from marts.dim_document where status = "
                          "'loaded' order by 1") == [("good.txt", 6), ("年度.docx/inside.txt", 8)]


def test_absurd_values_are_findings_and_never_block_and_document_text_stays_data(tmp_path):
    """承德's first project with a 120% pass rate, a budget of 0, a plan that ends at 110% and a
    name full of markup and template fields; a file whose first line is terminal escapes and
    markup; a 300-digit amount. All of it publishes; the values are findings on their forms;
    nothing is interpreted on the way to the terminal or into the messages."""
    name = "[bold]矿山[/]修复{indicator}项目{form}"
    src = write(tmp_path / "docs", {
        "chengde.txt": edited(
            "002", ("预算数\t435.00\t其中：财政资金\t435.00", "预算数\t0\t其中：财政资金\t0"),
            ("\t\t25%\t\t50%\t75%\t100%", "\t\t25%\t\t50%\t75%\t110%"),
            ("工程质量合格率\t工程质量合格率\t≥100%", "工程质量合格率\t工程质量合格率\t≥120%"),
        ).replace("2024 年承德县历史遗留矿山修复治理项目（冀财资环【2023】117号）", name),
        "dalian.txt": edited("000", ("年度金额\t50.00", "年度金额\t" + "9" * 300)),
        "[red]名单[/red]\u202e{form}.txt": "\x1b[31m[bold]会议纪要[/bold]\u0007\u202e{form}\n今天讨论了预算。\n",
    })
    target = tmp_path / "wh.duckdb"
    out = subprocess.run([sys.executable, "-m", "warehouse.cli", "build", "--source", str(src),
                          "--warehouse", str(target), "--details"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 2, out.stdout + out.stderr   # published; the minutes are skipped
    # nothing reaches the terminal as control, markup or format
    assert not any(c in out.stdout for c in "\x1b\u0007\u202e")
    flat = " ".join(out.stdout.split())
    assert "[red]名单[/red]\\u202e{form}.txt" in flat
    assert "[bold]会议纪要[/bold]" in flat and "NO_FORMS" in flat
    findings = _query(target, "select rule_code, form_label, observed, message from marts.fct_target_findings "
                              "where source_file = 'chengde.txt' and form_label = ? order by 1", [name])
    codes = {r[0] for r in findings}
    assert {"RATE_ABOVE_100", "BUDGET_MISSING_OR_ZERO", "SPEND_PLAN_OUT_OF_RANGE"} <= codes
    rate = next(r for r in findings if r[0] == "RATE_ABOVE_100")
    assert rate[2] == "≥120%" and rate[3] == f"《{name}》指标“工程质量合格率”的目标 ≥120% 超过 100%，该比率不可能超过 100%"
    budget = next(r for r in findings if r[0] == "BUDGET_MISSING_OR_ZERO")
    assert budget[3] == f"《{name}》预算数为 0.00 万元，应大于 0"
    # the 300-digit amount: reported with its file and line, never stored as inf or rounded
    assert _query(target, "select count(*) from marts.fct_project_funding where isinf(budget_total_wan::double)") == [(0,)]
    issues = _query(target, "select source_line, code from staging.stg_forms__parse_issues where source_file = "
                            "'dalian.txt' and code in ('BAD_AMOUNT', 'VALUE_NOT_STORABLE') and reason like '%99999999%'")
    assert issues and issues[0][0] == "line 15"
    assert _query(target, "select status from marts.dim_document where source_file = 'dalian.txt'") == [("loaded",)]

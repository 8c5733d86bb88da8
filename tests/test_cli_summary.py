"""The end-of-build summary: 80 columns, problems first, Chinese, the rest on request; document
text shown as written (no markup, no controls); --help in English with the exit codes."""
from __future__ import annotations

import io
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from warehouse.build import BuildSummary
from warehouse.build.intake import FileOutcome, Removed
from warehouse.cli import app
from warehouse.display import shorten, visible
from warehouse.summary import build_summary

LONG = "2024年/承德县/自然资源和规划局/" + "历史遗留矿山修复治理项目绩效目标表" * 3 + ".docx"


def _summary() -> BuildSummary:
    files = [
        FileOutcome("a.txt", "/src", "document", "loaded", forms=12, indicators=126, change="unchanged"),
        FileOutcome("[bold]红头[/]\u202e{form}.txt", "/src", "document", "skipped",
                    reason="UNKNOWN_LAYOUT: no known form layout recognised (first text: '[red]x[/red]')",
                    change="added"),
        FileOutcome(LONG, "/src", "document", "unreadable", reason="permission denied", change="added"),
        FileOutcome("b.txt", "/src", "document", "duplicate", duplicate_of="a.txt",
                    duplicate_basis="content", change="added"),
        FileOutcome("README.md", "/src", "other", "skipped", reason="not a document format (.md)"),
    ]
    return BuildSummary(Path("/srv/jixiao/warehouse/jixiao.duckdb"), "run", files,
                        removed=[Removed("old.txt", "ab", "loaded")], findings={"error": 3, "warning": 7},
                        seconds={"ingest": 1.0, "dbt": 20.0}, published=True)


def _render(renderables, width=80) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, emoji=False, highlight=False, color_system=None)
    for r in renderables:
        console.print(r)
    return out.getvalue()


def test_the_summary_fits_80_columns_and_puts_problems_first():
    text = _render(build_summary(_summary()))
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert lines[0].startswith("需要处理（2）")
    assert text.index("需要处理") < text.index("重复的文档") < text.index("文档 4 个")
    assert "b.txt = a.txt（内容相同）" in text
    assert "已移出：\n    old.txt" in text and "错误 3，警告 7" in text
    assert "退出码 2" in text and "--details" in text
    assert "a.txt" not in text.split("重复的文档")[0]        # loaded documents are only counted


def test_document_text_is_shown_as_written():
    text = _render(build_summary(_summary(), details=True), width=80)
    flat = " ".join(text.split())
    assert "[bold]红头[/]\\u202e{form}.txt" in flat and "'[red]x[/red]'" in flat
    assert "\u202e" not in text
    assert max(cell_len(line) for line in text.splitlines()) <= 80   # the table too


def test_visible_escapes_controls_and_bidi_marks():
    assert visible("a\u0007b\u202ec\x1b[31m\u200b") == "a\\x07b\\u202ec\\x1b[31m\\u200b"
    assert visible("line\nnext", keep_newlines=True) == "line\nnext"
    assert visible("项目\t名称") == "项目\\x09名称"


def test_shorten_keeps_both_ends_within_the_width():
    cut = shorten(LONG, 30)
    assert cell_len(cut) <= 30 and cut.startswith("2024年") and cut.endswith(".docx")


def test_help_is_english_and_says_what_the_exit_codes_mean():
    out = CliRunner().invoke(app, ["build", "--help"], terminal_width=100).output
    flat = " ".join(out.split())
    assert "Exit codes:" in flat and "--wait" in out and "--details" in out
    assert "0: every document loaded" in flat and "2: published, but" in flat and "1: nothing published" in flat

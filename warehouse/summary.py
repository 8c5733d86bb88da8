"""The end-of-build summary of `jixiao build`, in Chinese, for 80 columns: problems first (each
document not loaded, with its file and reason), then duplicates, then one line per count, and
the per-document table only on request (--details). Every piece of document text goes
through warehouse.display: shown as written, never read as markup."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text

from warehouse.display import plain_text, visible

WIDTH = 80
LISTED = 10   # problems and duplicates listed before "… and N more"
STATUS = {"loaded": "已载入", "duplicate": "重复", "skipped": "已跳过", "unreadable": "无法读取"}
CHANGE = {"added": "新增", "changed": "修改", "removed": "删除", "unchanged": "未变"}
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
EXIT = {0: "全部文档已载入并发布", 2: "已发布，但有文档未能载入（见上）", 1: "未发布，原仓库未改动"}


def _line(*parts) -> Text:
    """A line from (text, style) pairs and plain strings; every string is shown as written."""
    out = Text()
    for part in parts:
        if isinstance(part, tuple):
            out.append(visible(part[0]), style=part[1])
        else:
            out.append(visible(part))
    return out


def problem_lines(documents, source_problems=()) -> list[Text]:
    """The documents that need someone's attention, then the duplicates: file and reason."""
    out: list[Text] = []
    problems = [d for d in documents if d.is_problem]
    duplicates = [d for d in documents if d.status == "duplicate"]
    if problems or source_problems:
        out.append(_line((f"需要处理（{len(problems) + len(source_problems)}）：", "bold red")))
        for source in source_problems:
            out.append(_line("  ", ("来源为空 ", "red"), source))
        for d in problems[:LISTED]:
            out.append(_line("  ", (f"{STATUS[d.status]} ", "red"), d.source_file, "：", d.reason or ""))
        if len(problems) > LISTED:
            out.append(_line(f"  …另有 {len(problems) - LISTED} 个（--details 列出全部）"))
    if duplicates:
        out.append(_line((f"重复的文档（{len(duplicates)}，只计一次）：", "yellow")))
        for d in duplicates[:LISTED]:
            basis = "字节相同" if d.duplicate_basis == "bytes" else "内容相同"
            out.append(_line("  ", d.source_file, " = ", d.duplicate_of or "?", f"（{basis}）"))
        if len(duplicates) > LISTED:
            out.append(_line(f"  …另有 {len(duplicates) - LISTED} 个（--details 列出全部）"))
    return out


def count_line(documents) -> Text:
    files = [d for d in documents if d.kind != "other"]
    others = len(documents) - len(files)
    counts = "，".join(f"{label} {n}" for s, label in STATUS.items()
                      if (n := sum(1 for d in files if d.status == s)))
    return _line(f"文档 {len(files)} 个：{counts or '无'}"
                 + (f"；另有 {others} 个非文档文件未读取" if others else ""))


def build_summary(summary, details: bool = False) -> list:
    """Renderables, in the order printed."""
    out: list = problem_lines(summary.documents, summary.source_problems)
    out.append(count_line(summary.documents))
    changes = "，".join(f"{CHANGE[c]} {len(summary.changes(c))}" for c in CHANGE)
    out.append(_line(f"与上次相比：{changes}；本次读取 {summary.parsed} 个"))
    removed = summary.changes("removed")
    if removed:
        out.append(_line("  已移出："))
        for name in removed[:LISTED]:
            out.append(_line("    ", name))
        if len(removed) > LISTED:
            out.append(_line(f"    …另有 {len(removed) - LISTED} 个"))
    forms = sum(d.forms for d in summary.documents)
    indicators = sum(d.indicators for d in summary.documents)
    findings = "，".join(f"{SEVERITY[s]} {summary.findings[s]}" for s in SEVERITY if summary.findings.get(s))
    out.append(_line(f"载入 {forms} 张表、{indicators} 行指标；审核发现：{findings or '无'}"))
    if summary.validation is not None:
        suites = summary.validation.suites
        out.append(_line(f"校验：{len(suites)} 组 {sum(s.n_expectations for s in suites)} 项检查全部通过"))
        if summary.validation.docs_index:
            out.append(_line("  Data Docs：", str(summary.validation.docs_index)))
    for note in summary.notes:
        out.append(_line(("注意：", "yellow"), note))
    for warning in summary.warnings:
        out.append(_line(("警告：", "yellow"), warning))
    seconds = sum(summary.seconds.values())
    code = summary.exit_code
    out.append(_line((f"已发布 ", "bold green" if code == 0 else "bold yellow"), str(summary.warehouse),
                     f"（{seconds:.1f} 秒）"))
    out.append(_line(f"退出码 {code}：{EXIT[code]}"))
    if details:
        out.append(documents_table(summary.documents))
    elif summary.documents:
        out.append(_line(("每个文档的情况：jixiao build --details", "dim")))
    return out


def documents_table(documents, title: str = "文档") -> Table:
    table = Table(title=title, expand=False, show_lines=False, pad_edge=False)
    table.add_column("文件", overflow="fold", ratio=3)
    table.add_column("状态", no_wrap=True)
    table.add_column("模板", overflow="fold", ratio=1)
    table.add_column("地区", overflow="fold", ratio=1)
    table.add_column("年度", justify="right", no_wrap=True)
    table.add_column("表", justify="right", no_wrap=True)
    table.add_column("指标", justify="right", no_wrap=True)
    table.add_column("问题", justify="right", no_wrap=True)
    for d in documents:
        issues = f"{d.errors}/{d.warnings}" if (d.errors or d.warnings) else ""
        status = STATUS.get(d.status, d.status)
        note = d.reason if d.status != "loaded" else None
        name = plain_text(d.source_file)
        if note:
            name.append("\n  " + visible(note), style="dim")
        table.add_row(name,
                      plain_text(status), plain_text(d.template or ""), plain_text(d.county or ""),
                      plain_text(d.budget_year or ""), str(d.forms or ""), str(d.indicators or ""),
                      issues)
    return table

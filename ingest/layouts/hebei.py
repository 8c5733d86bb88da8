"""部门预算绩效文本 as published in Hebei (samples 001, 002): a part-1 narrative (总体/分项
绩效目标, 保障措施) and part-2 project forms with 项目编码, budget unit codes, 资金支出计划
and a 6-column indicator table.

Two extractions of the same form: `parse_word` reads one table cell per line (Word: a
leading tab, continuation lines without it, blank lines between rows); `parse_rows` reads
tab-separated rows (PDF: wrapped cell text, stray spaces, <p> tags in goals).
"""
from __future__ import annotations

import re

from ingest.layouts.rows import (LayoutResult, LevelCarry, Row, amount_after, make_indicator,
                                 split_segments, tab_rows)
from ingest.records import Form, Line, Narrative, ParseIssue
from ingest.text import clean_cell, compact, is_blank, parse_percent

INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
_TOC_LINE = re.compile(r"(\.{3,}|…+)?\t\s*\d+\s*$")
_FORM_TITLE = re.compile(r"^\d+\.(.+)绩效目标表$")
_SECTION = re.compile(r"^[一二三四五六七八九十]+、(.+)$")
_NEW_ITEM = re.compile(r"^(绩效目标|绩效指标)[:：]|^\d+[、.]|^[一二三四五六七八九十]是")
_SUBHEADING = re.compile(r"^(\d+、|[（(][一二三四五六七八九十]+[）)])(.{2,40})$")


def parse_word(lines: list[Line]) -> LayoutResult:
    return _parse(lines, word_rows)


def parse_rows(lines: list[Line]) -> LayoutResult:
    return _parse(lines, lambda seg, issues: tab_rows(seg))


def _is_form_title(line: Line) -> bool:
    return not _TOC_LINE.search(line.text) and bool(_FORM_TITLE.match(compact(clean_cell(line.text))))


def _parse(lines: list[Line], to_rows) -> LayoutResult:
    result = LayoutResult()
    for i, line in enumerate(lines):
        m = re.search(r"((?:19|20)\d{2})年部门预算绩效文本", compact(line.text))
        if m:
            result.budget_year = int(m.group(1))
            result.title = compact(line.text)
            previous = [l for l in lines[:i] if not is_blank(l.text)]
            result.department_name = compact(previous[-1].text) if previous else None
            break
    first_form = next((i for i, l in enumerate(lines) if _is_form_title(l)), len(lines))
    result.narratives = parse_narrative(lines[:first_form])
    for segment in split_segments(lines[first_form:], _is_form_title):
        rows = to_rows(segment[1:], result.issues)
        form = parse_form(segment[0], rows, result.budget_year, result.issues)
        form.department_name = result.department_name  # the publishing department supervises
        result.forms.append(form)
    return result


def parse_narrative(lines: list[Line]) -> list[Narrative]:
    """Part 1 (部门整体绩效目标) as paragraphs under their section and sub-heading. The table of
    contents and repeated headings are left out; paragraphs wrapped across lines are joined."""
    out: list[Narrative] = []
    in_part1, section, heading = False, None, None
    for line in lines:
        text = clean_cell(line.text)
        key = compact(text)
        if not key or _TOC_LINE.search(line.text) or key == "pagenumber":
            continue
        if key == "第一部分":
            in_part1 = True
            continue
        if key == "第二部分":
            break
        if not in_part1 or key in ("部门整体绩效目标", section):
            continue
        if m := _SECTION.match(key):
            section, heading = m.group(1), None
            continue
        if section is None:
            continue
        if (m := _SUBHEADING.match(key)) and not re.search(r"[。；;]$", key):
            heading = text
            continue
        last = out[-1] if out else None
        if last and last.section == section and last.heading == heading \
                and not re.search(r"[。；;：:！!？?]$", last.text) and not _NEW_ITEM.match(key):
            last.text += text  # a paragraph wrapped over a page or line break
        else:
            out.append(Narrative(section, heading, text, line.where))
    return out


def word_rows(lines: list[Line], issues: list[ParseIssue]) -> list[Row]:
    """Rebuild table rows from one-cell-per-line text. Header rows end at blank lines; the
    indicator table is re-cut every six cells, since a cell may itself hold blank lines."""
    cells: list[tuple[str, Line]] = []
    rows: list[Row] = []

    def flush() -> None:
        if cells:
            rows.append(Row([c for c, _ in cells], cells[0][1].where, cells[0][1].no))
            cells.clear()

    for line in lines:
        if line.text.startswith("\t"):
            cells.append((line.text[1:].strip("\t"), line))
        elif is_blank(line.text):
            flush()
        elif cells:
            cells[-1] = (cells[-1][0] + "\n" + line.text.strip("\t"), cells[-1][1])
        else:
            rows.append(Row([line.text], line.where, line.no))
    flush()
    for i, row in enumerate(rows):
        if row.keys[:6] == INDICATOR_HEADER:
            flat = [(c, r) for r in rows[i + 1:] for c in r.cells]
            header = Row(row.cells[:6], row.where, row.no)
            table = [Row([c for c, _ in flat[j:j + 6]], flat[j][1].where, flat[j][1].no)
                     for j in range(0, len(flat), 6)]
            if row.cells[6:]:
                table.insert(0, Row(row.cells[6:12], row.where, row.no))
            if table and len(table[-1].cells) < 6:
                issues.append(ParseIssue(table[-1].where, "error", "TABLE_CELLS_LEFT_OVER",
                                         f"indicator table ends with {len(table[-1].cells)} cells "
                                         f"that do not fill a row: {table[-1].cells!r}"))
                table.pop()
            return rows[:i] + [header] + table
    return rows


def parse_form(title: Line, rows: list[Row], year: int | None,
               issues: list[ParseIssue]) -> Form:
    name = _FORM_TITLE.match(compact(clean_cell(title.text))).group(1)
    form = Form(form_kind="project", where=title.where, title=clean_cell(title.text),
                budget_year=year)
    table: list[Row] | None = None
    expect: str | None = None
    for row in rows:
        keys = row.keys
        if table is not None:
            table.append(row)
            continue
        filled = row.filled()
        if not filled:
            continue
        if expect == "purpose" and not keys[0]:
            form.purpose, expect = filled[0], None
            continue
        if expect == "spend":
            try:
                values = [parse_percent(c) for c in filled]
            except ValueError as exc:
                issues.append(ParseIssue(row.where, "error", "BAD_PERCENT", str(exc)))
                values = []
            if len(values) == 4:
                form.spend_q1_pct, form.spend_q2_pct, form.spend_q3_pct, form.spend_q4_pct = values
            else:
                issues.append(ParseIssue(row.where, "error", "BAD_SPEND_PLAN",
                                         f"spending plan has {len(values)} values, not 4: {filled!r}"))
            expect = None
            continue
        expect = None
        if m := re.match(r"^(\d{6})\s*(.+)$", filled[0]):
            form.budget_unit_code, form.budget_unit_name = m.group(1), clean_cell(m.group(2))
        elif keys[0].startswith("单位"):
            continue
        elif "项目编码" in keys:
            form.project_code = row.after("^项目编码$")
            form.project_name = row.after("^项目名称$")
        elif "项目名称" in keys:
            form.project_name = row.after("^项目名称$")
        elif row.index("^预算数$") is not None:
            form.budget_total_wan = amount_after(row, "^预算数$", issues)
            form.fiscal_wan = amount_after(row, r"^其中.*(财政|拨款)", issues)
            form.other_wan = amount_after(row, "^其他资金$", issues)
            expect = "purpose"
        elif keys[0].startswith("资金支出计划"):
            expect = "spend"
        elif keys[0] == "绩效目标":
            form.goal_annual = "\n".join(filled[1:]) or None
        elif keys[:3] == INDICATOR_HEADER[:3]:
            table = []
        else:
            issues.append(ParseIssue(row.where, "warning", "UNRECOGNISED_ROW",
                                     f"row not recognised in the form header: {filled!r}"))
    form.project_name = form.project_name or name
    _indicators(form, table or [], issues)
    values = [i.target.value_kind for i in form.indicators]
    form.redacted = compact(form.purpose) == "密" or (bool(values) and values.count("redacted") * 2 > len(values))
    if form.redacted:
        issues.append(ParseIssue(form.where, "info", "FORM_REDACTED",
                                 f"{form.project_name}: the form is redacted (密); its values stay null"))
    if table is None:
        issues.append(ParseIssue(form.where, "error", "NO_INDICATOR_TABLE",
                                 f"{form.project_name}: form has no indicator table (truncated?)"))
    return form


def _indicators(form: Form, rows: list[Row], issues: list[ParseIssue]) -> None:
    carry = LevelCarry()
    for row in rows:
        cells = (row.cells + [""] * 6)[:6]
        if row.is_empty():
            continue
        if len([c for c in row.cells[6:] if not is_blank(c)]):
            issues.append(ParseIssue(row.where, "warning", "EXTRA_CELLS",
                                     f"indicator row has cells past the sixth column: {row.cells[6:]!r}"))
        level1, level2 = carry.take(cells[0], cells[1])
        if is_blank(cells[2]) and is_blank(cells[4]):
            continue  # an empty template row
        form.indicators.append(make_indicator(
            level1, level2, cells[2], cells[3], cells[4], basis=cells[5],
            where=row.where, budget_year=form.budget_year))

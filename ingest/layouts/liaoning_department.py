"""部门整体预算绩效目标申报表 with 购买服务项目绩效目标表 (sample 004), as spreadsheet rows:
page headers repeated, the budget table beside the key tasks, merged labels written in the
middle of their block, empty template rows."""
from __future__ import annotations

import re

from ingest.layouts.rows import (LEVEL1_NAME, LayoutResult, LevelCarry, Row, amount_after,
                                 make_indicator, realign, split_segments, tab_rows, year_in)
from ingest.records import Form, KeyTask, Line, Narrative, ParseIssue
from ingest.text import clean_cell, compact

DEPARTMENT_TITLE = "部门整体预算绩效目标申报表"
PURCHASE_TITLE = "购买服务项目绩效目标表"
_BUDGET_LABELS = [
    ("budget_total_wan", r"预算总额"), ("fiscal_wan", r"财政拨款"), ("other_wan", r"其他资金"),
    ("basic_expenditure_wan", r"基本支出"), ("project_expenditure_wan", r"项目支出"),
    ("staff_at_year_end", r"在职人数"),
]
_FORMULA = re.compile(r"=|评分|公式|根据|原则上|满意度数据|扣")


def _title(line: Line) -> str | None:
    key = compact(line.text).strip("《》")
    return key if key in (DEPARTMENT_TITLE, PURCHASE_TITLE) else None


def parse(lines: list[Line]) -> LayoutResult:
    result = LayoutResult(title=DEPARTMENT_TITLE)
    segments = split_segments(lines, lambda l: _title(l) is not None)
    # The department form repeats its title on every page: join those pages into one form,
    # and read it first, since it carries the year and department the other forms leave out.
    department = [l for seg in segments if _title(seg[0]) == DEPARTMENT_TITLE for l in seg]
    if department:
        form = parse_department(department, result.issues, result.narratives)
        result.forms.append(form)
        result.department_name, result.budget_year = form.department_name, form.budget_year
    for segment in segments:
        if _title(segment[0]) == PURCHASE_TITLE:
            form = parse_purchase(segment, result.budget_year, result.issues)
            form.department_name = result.department_name
            result.forms.append(form)
    return result


def parse_department(lines: list[Line], issues: list[ParseIssue],
                     narratives: list[Narrative]) -> Form:
    form = Form(form_kind="department", where=lines[0].where, title=DEPARTMENT_TITLE)
    rows = [r for r in tab_rows(lines) if not _is_noise(r)]
    section = "header"
    table: list[Row] = []
    for row in rows:
        keys = row.keys
        if section == "notes" or keys[0].startswith("说明"):
            section = "notes"
            narratives.append(Narrative("说明", None, " ".join(row.filled()), row.where))
        elif "部门名称" in keys:
            form.department_name = row.after("^部门名称$")
            form.budget_year = year_in(row.after("^预算年度$"))
        elif keys[0] == "部门职责":
            form.duties = row.after("^部门职责$")
        elif keys[0] == "年度履职目标":
            form.goal_annual = row.after("^年度履职目标$")
        elif any("主要内容" in k for k in keys):
            section = "tasks"
        elif keys[0] == "分解目标":
            section = "indicators"
        elif section == "tasks":
            _task_row(form, row, issues)
        elif section == "indicators":
            if "一级指标" not in keys:
                table.append(row)
        else:
            issues.append(ParseIssue(row.where, "warning", "UNRECOGNISED_ROW",
                                     f"row not recognised in the department form: {row.filled()!r}"))
    _scored_indicators(form, table, issues)
    return form


def _is_noise(row: Row) -> bool:
    """Page headers, ruler lines (----) and stray dots, which carry no data."""
    joined = "".join(row.keys)
    return _title(Line(0, joined, "")) is not None or bool(re.fullmatch(r"[-.·…]*", joined))


def _task_row(form: Form, row: Row, issues: list[ParseIssue]) -> None:
    """A row of the key tasks (name, content) with, beside it, one line of the budget table."""
    label_at = None
    for attr, pattern in _BUDGET_LABELS:
        i = row.index(pattern)
        if i is not None:
            label_at = i
            amount = amount_after(row, pattern, issues, i)
            if attr == "staff_at_year_end" and amount is not None:
                amount = int(amount)
            setattr(form, attr, amount)
            break
    cells = row.cells[:label_at] if label_at is not None else row.cells
    task = [clean_cell(c) for c in cells if clean_cell(c) and compact(c) != "年度重点任务"]
    if task:
        form.key_tasks.append(KeyTask(task[0], task[1] if len(task) > 1 else None, row.where))


def _scored_indicators(form: Form, rows: list[Row], issues: list[ParseIssue]) -> None:
    """Columns: 一级, 二级, 三级指标, 三级指标值, 计算公式/评分说明. A level-1 label written in
    the middle of its merged block also names the rows above it that have none."""
    carry = LevelCarry()
    start = len(form.indicators)
    for row in rows:
        if row.is_empty():
            continue
        cells = list(row.cells)
        while cells and not compact(cells[-1]):
            cells.pop()
        if len(cells) > 5 and not compact(cells[0]) and LEVEL1_NAME.match(compact(cells[1])):
            cells = cells[1:]  # six columns with the level-1 name in the second: shifted right
        cells, _ = realign(cells)
        level1, level2 = carry.take(cells[0], cells[1] if len(cells) > 1 else "")
        rest = [clean_cell(c) for c in cells[2:] if clean_cell(c)]
        if not rest:
            continue
        name, value, formula = rest[0], None, None
        if len(rest) >= 3:
            value, formula = rest[1], " ".join(rest[2:])
        elif len(rest) == 2:
            if _FORMULA.search(rest[1]) or len(rest[1]) > 25:
                formula = rest[1]
            else:
                value = rest[1]
        if value is None:
            issues.append(ParseIssue(row.where, "warning", "INDICATOR_WITHOUT_VALUE",
                                     f"scored indicator {name!r} has no target value"))
        form.indicators.append(make_indicator(level1, level2, name, None, value, formula=formula,
                                              where=row.where, budget_year=form.budget_year))
    first_level1 = next((i.level1 for i in form.indicators[start:] if i.level1), None)
    for ind in form.indicators[start:]:
        if ind.level1 is not None:
            break
        ind.level1 = first_level1


def parse_purchase(lines: list[Line], year: int | None, issues: list[ParseIssue]) -> Form:
    form = Form(form_kind="purchase_service", where=lines[0].where, title=PURCHASE_TITLE,
                budget_year=year)
    carry = LevelCarry()
    in_table = False
    for row in tab_rows(lines[1:]):
        keys = row.keys
        if in_table:
            cells = (row.cells + [""] * 5)[:5]
            level1, level2 = carry.take(cells[0], cells[1])
            if not clean_cell(cells[2]) and not clean_cell(cells[3]):
                continue  # an empty template row
            form.indicators.append(make_indicator(level1, level2, cells[2], None, cells[3],
                                                  unit_column=cells[4], where=row.where,
                                                  budget_year=form.budget_year))
        elif keys[0].startswith("项目单位"):
            name = keys[0].split(":", 1)[1] if ":" in keys[0] else row.after("^项目单位")
            form.budget_unit_name = name or None
        elif "项目名称" in keys:
            form.project_name = row.after("^项目名称$")
            form.budget_total_wan = amount_after(row, "^年度预算金额", issues)
        elif keys[0] == "年度绩效目标":
            form.goal_annual = row.after("^年度绩效目标$")
        elif "一级指标" in keys:
            in_table = True
        else:
            issues.append(ParseIssue(row.where, "warning", "UNRECOGNISED_ROW",
                                     f"row not recognised in the purchased-service form: {row.filled()!r}"))
    if not in_table:
        issues.append(ParseIssue(form.where, "error", "NO_INDICATOR_TABLE",
                                 f"{form.project_name}: form has no indicator table (truncated?)"))
    return form

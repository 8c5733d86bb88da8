"""本级预算项目绩效目标表 as spreadsheet rows (samples 000, 003): one table row per line,
cells split by tabs; continuation rows sometimes lose their leading tab, column counts vary."""
from __future__ import annotations

import re

from ingest.layouts.rows import (LayoutResult, LevelCarry, Row, amount_after, make_indicator,
                                 realign, split_segments, tab_rows, year_in)
from ingest.records import Form, Line, ParseIssue
from ingest.text import clean_cell, compact, looks_cut_short

TITLE = "本级预算项目绩效目标表"


def parse(lines: list[Line]) -> LayoutResult:
    result = LayoutResult(title=TITLE)
    for segment in split_segments(lines, lambda l: compact(l.text) == TITLE):
        form = parse_form(segment, result.issues)
        result.forms.append(form)
    years = {f.budget_year for f in result.forms if f.budget_year}
    result.budget_year = min(years) if years else None
    reporting = [f.budget_unit_name for f in result.forms if f.budget_unit_name]
    departments = [f.department_name for f in result.forms if f.department_name]
    result.department_name = (reporting or departments or [None])[0]
    return result


def parse_form(segment: list[Line], issues: list[ParseIssue]) -> Form:
    form = Form(form_kind="project", where=segment[0].where, title=TITLE)
    rows = tab_rows(segment[1:])
    goal_cols: list[int] = []
    indicator_rows: list[Row] | None = None
    for row in rows:
        keys = row.keys
        first = keys[0] if keys else ""
        if indicator_rows is not None:
            indicator_rows.append(row)
        elif re.fullmatch(r"\(?(\d{4})年度\)?", first):
            form.budget_year = year_in(first)
        elif first.startswith("填报单位"):
            name = first.split(":", 1)[1] if ":" in first else ""
            form.budget_unit_name = None if "盖章" in name else (clean_cell(name) or None)
        elif "项目名称" in keys:
            form.project_name = row.after("^项目名称$")
            form.period_text = row.after("^项目实施期$")
        elif "主管部门" in keys:
            form.department_name = row.after("^主管部门$")
            form.implementing_unit = row.after("^实施单位$")
        elif row.index("^实施期金额$") is not None:
            form.period_total_wan = amount_after(row, "^实施期金额$", issues)
            form.budget_total_wan = amount_after(row, "^年度金额$", issues)
        elif row.index(r"^其中.*财政") is not None:
            form.fiscal_wan = _annual(row, r"^其中.*财政", issues)
        elif row.index("^其他资金$") is not None:
            form.other_wan = _annual(row, "^其他资金$", issues)
        elif first.startswith("单位") or "项目属性" in keys:
            continue  # the unit line (万元) and the empty 项目属性/项目类别 row
        elif first == "绩效目标":
            goal_cols = [j for j, k in enumerate(keys) if k in ("实施期目标", "年度目标")]
        elif goal_cols and form.goal_annual is None and form.goal_period is None:
            texts = [clean_cell(row.cells[j]) if j < len(row.cells) else "" for j in goal_cols]
            if not any(texts):
                texts = row.filled()
            form.goal_period = (texts[0] if texts else None) or None
            form.goal_annual = (texts[-1] if len(texts) > 1 else None) or None
        elif "一级指标" in keys:
            indicator_rows = []
        else:
            issues.append(ParseIssue(row.where, "warning", "UNRECOGNISED_ROW",
                                     f"row not recognised in the form header: {row.filled()!r}"))
    if form.budget_total_wan is None:
        form.budget_total_wan = form.period_total_wan
    if form.budget_total_wan is None:
        issues.append(ParseIssue(form.where, "warning", "BUDGET_TOTAL_EMPTY",
                                 f"{form.project_name}: the budget total is empty in the source; "
                                 "kept null, fiscal and other funds kept as written"))
    for goal in (form.goal_period, form.goal_annual):
        if looks_cut_short(goal):
            form.goal_cut_short = True
    if form.goal_cut_short:
        issues.append(ParseIssue(form.where, "info", "GOAL_CUT_SHORT",
                                 f"{form.project_name}: goal text stops mid-sentence in the source; kept as read"))
    if indicator_rows is None:
        issues.append(ParseIssue(form.where, "error", "NO_INDICATOR_TABLE",
                                 f"{form.project_name}: form has no indicator table (truncated?)"))
    else:
        _indicators(form, indicator_rows, issues)
    return form


def _indicators(form: Form, rows: list[Row], issues: list[ParseIssue]) -> None:
    carry = LevelCarry()
    for row in rows:
        if row.is_empty():
            continue
        cells, shifted = realign(row.cells)
        level1, level2 = carry.take(cells[0], cells[1] if len(cells) > 1 else "")
        rest = [clean_cell(c) for c in cells[2:] if clean_cell(c)]
        if not rest:
            continue  # an empty template row
        if shifted:
            issues.append(ParseIssue(row.where, "info", "ROW_REALIGNED",
                                     f"indicator row lost {shifted} leading cell(s) in the source; "
                                     "levels taken from the rows above"))
        raw_value = rest[-1] if len(rest) > 1 else None
        description = " ".join(rest[1:-1]) or None
        if raw_value is None:
            issues.append(ParseIssue(row.where, "warning", "INDICATOR_WITHOUT_VALUE",
                                     f"indicator {rest[0]!r} has no target value"))
        form.indicators.append(make_indicator(
            level1, level2, rest[0], description, raw_value,
            where=row.where, budget_year=form.budget_year))


def _annual(row: Row, label: str, issues: list[ParseIssue]) -> float | None:
    """Rows such as 其中：财政拨款 hold the period's value, then the year's: take the year's."""
    positions = [i for i, k in enumerate(row.keys) if re.search(label, k)]
    values = [amount_after(row, label, issues, i) for i in positions]
    known = [v for v in values if v is not None]
    return known[-1] if known else None

"""Numbers as people read them: thousands separators, money with two decimals, other numbers
with at most two, and a blank where a value is missing (never 0.0, never 55239.95999999999).
Queries keep exact decimals; only what is shown or printed goes through here."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl

# Chinese column headers of the tables in reports, notebooks and Excel exports.
LABELS = {
    "budget_year": "年度", "province": "省份", "city": "地市", "county": "县区",
    "department_name": "主管部门", "budget_unit": "预算单位", "project_name": "项目名称",
    "project_code": "项目编码", "form_label": "表", "form_kind": "表类型", "purpose_name": "用途",
    "documents": "文件数", "forms": "表数", "project_forms": "项目表数", "department_forms": "部门整体表数",
    "projects": "项目数", "counties": "县区数", "indicator_rows": "指标数", "n_indicators": "指标数",
    "budget_wan": "预算（万元）", "budget_total_wan": "预算（万元）", "project_budget_wan": "项目预算（万元）",
    "department_budget_wan": "部门预算（万元）", "fiscal_wan": "财政资金（万元）", "other_wan": "其他资金（万元）",
    "measure_name": "可比产出", "value_base": "目标量", "base_unit": "单位", "yuan_per_unit": "单位成本（元）",
    "peer_projects": "同组项目数", "peer_counties": "同组县区数", "n_measures_in_project": "同表可比产出数",
    "level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "raw_value": "指标值",
    "value_kind": "取值类型", "op": "比较", "value": "数值", "unit": "度量单位",
    "rule_code": "规则代码", "rule_name_zh": "规则", "severity_zh": "严重程度", "category": "类别",
    "rule_basis": "依据", "findings": "发现数", "errors": "错误", "warnings": "警告", "infos": "提示",
    "n_errors": "错误", "n_warnings": "警告", "n_infos": "提示", "errors_per_form": "每表错误",
    "warnings_per_form": "每表警告", "findings_per_form": "每表发现（错误+警告）", "score": "加权分",
    "message": "问题描述", "indicator_name": "指标", "source_file": "来源文件", "source_line": "位置",
    "target": "目标类型", "targets": "目标数", "lowest_pct": "最低（%）", "median_pct": "中位数（%）",
    "highest_pct": "最高（%）", "spend_q1_pct": "3月底（%）", "spend_q2_pct": "6月底（%）",
    "spend_q3_pct": "10月底（%）", "spend_q4_pct": "12月底（%）",
}
# Integer columns that are codes, not quantities: no thousands separator.
_PLAIN_INTEGERS = {"budget_year", "年度"}


def _is_money(column: str) -> bool:
    return column.endswith("_wan") or "万元" in column or column in ("yuan_per_unit", "单位成本（元）")


def number(value, decimals: int = 2, fixed: bool = False) -> str:
    """1623.79 → '1,623.79'; 70000.0 → '70,000'; 0.5 → '0.5'; None → ''. `fixed` keeps
    trailing zeros (money: '63,040.00'). Rounds half up, as 会计 does, on the exact value."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    if not fixed and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def money(value) -> str:
    """万元 or 元 for people: two decimals, thousands separators, blank when missing."""
    return number(value, 2, fixed=True)


def readable(frame: pl.DataFrame, chinese: bool = False) -> pl.DataFrame:
    """The frame as text for reading: money with two decimals, other numbers with at most two,
    thousands separators (not in years), blanks for nulls; `chinese` renames the columns."""
    columns = []
    for name, dtype in frame.schema.items():
        col = frame[name]
        if dtype.is_numeric() and name not in _PLAIN_INTEGERS:
            fixed = _is_money(name)
            decimals = 0 if dtype.is_integer() else 2
            col = pl.Series(name, [number(v, decimals, fixed) for v in col.to_list()], dtype=pl.String)
        elif dtype != pl.String:
            col = pl.Series(name, ["" if v is None else str(v) for v in col.to_list()], dtype=pl.String)
        else:
            col = col.fill_null("")
        columns.append(col)
    out = pl.DataFrame(columns)
    return chinese_headers(out) if chinese else out


def chinese_headers(frame: pl.DataFrame) -> pl.DataFrame:
    """Columns renamed to their Chinese headers (a header already taken keeps the name)."""
    taken, mapping = set(frame.columns), {}
    for column in frame.columns:
        label = LABELS.get(column)
        if label and label not in taken:
            mapping[column] = label
            taken.add(label)
    return frame.rename(mapping)


def is_numeric_column(name: str, dtype: pl.DataType) -> bool:
    """Right-aligned in tables: numbers, except the year."""
    return dtype.is_numeric() and name not in _PLAIN_INTEGERS

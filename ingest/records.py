"""Typed records that the parsers produce and the loader writes to raw.*."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ingest.values import TargetValue


@dataclass(slots=True)   # not frozen: a frozen dataclass is 4x slower to make, and a document has thousands
class Line:
    """One line of a document as a reader gives it: its text and where it stands. A table
    row is its cells joined by tabs (tabs and newlines inside a cell become spaces)."""
    no: int          # 1-based ordinal in the reader's output
    text: str
    where: str       # "line 85", "table 2 row 4", "page 3 table 1 row 7", "Sheet1 row 12"
    origin: str | None = None   # how the text was obtained when not read directly: "ocr:rapidocr"
    confidences: tuple[float | None, ...] | None = None   # per cell, from OCR (0..1)


@dataclass(frozen=True)
class ParseIssue:
    where: str
    severity: str    # error: data lost; warning: data kept but doubtful; info: explained oddity
    code: str
    reason: str


@dataclass
class Indicator:
    level1: str | None
    level2: str | None
    level3: str | None
    description: str | None
    raw_value: str | None
    target: TargetValue
    unit_column: str | None = None   # 度量单位 column, where the form has one
    basis: str | None = None         # 指标值确定依据
    formula: str | None = None       # 计算公式、考核目标及评分说明 (department form)
    where: str = ""
    op_column: str | None = None     # 指标性质 column, where the form has one (≥ ≤ ＝ 定性)
    weight: str | None = None        # 权重 / 分值 column
    value_source: str | None = None  # how the value was obtained when not read as text: "ocr:…"
    value_confidence: float | None = None   # the OCR engine's confidence for the row (0..1)


@dataclass
class FundingLine:
    """One funding source of a form (中央/省级/市级/县级财政资金, 上年结转, 自有资金 …)."""
    source_name: str                 # the standard name (seed ingest/data/funding_source_names.csv)
    source_label: str                # the label as printed
    amount_wan: Decimal | None
    category: str                    # fiscal | other | carryover
    where: str


@dataclass
class KeyTask:
    name: str
    content: str | None
    where: str


@dataclass
class Form:
    form_kind: str                   # project | purchase_service | department
    where: str
    title: str | None = None
    template: str | None = None      # the template recognised (seed ingest/data/form_templates.csv)
    project_name: str | None = None
    project_code: str | None = None
    budget_unit_code: str | None = None
    budget_unit_name: str | None = None
    department_name: str | None = None    # 主管部门 / 部门名称
    implementing_unit: str | None = None  # 实施单位
    period_text: str | None = None        # 项目实施期
    budget_year: int | None = None
    budget_total_wan: Decimal | None = None
    fiscal_wan: Decimal | None = None
    other_wan: Decimal | None = None
    period_total_wan: Decimal | None = None  # 实施期金额, where it differs from the year's
    basic_expenditure_wan: Decimal | None = None
    project_expenditure_wan: Decimal | None = None
    staff_at_year_end: int | None = None
    spend_q1_pct: float | None = None
    spend_q2_pct: float | None = None
    spend_q3_pct: float | None = None
    spend_q4_pct: float | None = None
    purpose: str | None = None            # 资金用途
    goal_period: str | None = None        # 实施期目标
    goal_annual: str | None = None        # 年度目标 / 绩效目标
    goal_cut_short: bool = False
    duties: str | None = None             # 部门职责 (department form)
    redacted: bool = False
    department_code: str | None = None
    money_unit: str | None = None         # the unit the amounts were printed in (元 / 万元 / 亿元)
    fields_found: list[str] = field(default_factory=list)   # which header fields were read
    indicators: list[Indicator] = field(default_factory=list)
    key_tasks: list[KeyTask] = field(default_factory=list)
    funding: list[FundingLine] = field(default_factory=list)


@dataclass
class Narrative:
    section: str
    heading: str | None
    text: str
    where: str


@dataclass
class ParsedDocument:
    source_file: str
    sha256: str
    layout: str                      # the template recognised (of the first form), or unknown/unreadable
    title: str | None = None
    rendering: str | None = None     # how the text was laid out: rows | cells
    format: str | None = None        # what the reader read: txt, docx, pdf …
    province: str | None = None
    city: str | None = None
    county: str | None = None
    admin_code: str | None = None
    region_type: str | None = None
    region_basis: str | None = None
    department_name: str | None = None
    budget_year: int | None = None
    forms: list[Form] = field(default_factory=list)
    narratives: list[Narrative] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)

"""Typed records that the parsers produce and the loader writes to raw.*."""
from __future__ import annotations

from dataclasses import dataclass, field

from ingest.values import TargetValue


@dataclass(frozen=True)
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
    project_name: str | None = None
    project_code: str | None = None
    budget_unit_code: str | None = None
    budget_unit_name: str | None = None
    department_name: str | None = None    # 主管部门 / 部门名称
    implementing_unit: str | None = None  # 实施单位
    period_text: str | None = None        # 项目实施期
    budget_year: int | None = None
    budget_total_wan: float | None = None
    fiscal_wan: float | None = None
    other_wan: float | None = None
    period_total_wan: float | None = None  # 实施期金额, where it differs from the year's
    basic_expenditure_wan: float | None = None
    project_expenditure_wan: float | None = None
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
    indicators: list[Indicator] = field(default_factory=list)
    key_tasks: list[KeyTask] = field(default_factory=list)


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
    layout: str
    format: str | None = None        # how it was read: "txt (utf-8)", "doc→docx (LibreOffice)", …
    title: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    admin_code: str | None = None
    region_basis: str | None = None
    department_name: str | None = None
    budget_year: int | None = None
    forms: list[Form] = field(default_factory=list)
    narratives: list[Narrative] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)

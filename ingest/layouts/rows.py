"""Rows of cells, the common shape every layout parser reads, and helpers on them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.records import Form, Indicator, Line, Narrative, ParseIssue
from ingest.text import clean_cell, compact, is_blank, parse_amount
from ingest.values import parse_value


@dataclass
class Row:
    cells: list[str]   # raw cell texts, as read
    where: str
    no: int

    @property
    def keys(self) -> list[str]:
        return [compact(c) for c in self.cells]

    def is_empty(self) -> bool:
        return all(is_blank(c) for c in self.cells)

    def index(self, pattern: str, start: int = 0) -> int | None:
        """Position of the first cell at or after `start` whose compact text matches `pattern`."""
        rx = re.compile(pattern)
        for i, key in enumerate(self.keys[start:], start):
            if rx.search(key):
                return i
        return None

    def after(self, pattern: str, start: int = 0) -> str | None:
        """The value beside a label: the next non-empty cell after it, unless that is a label."""
        i = self.index(pattern, start)
        if i is None:
            return None
        for cell in self.cells[i + 1:]:
            if is_blank(cell):
                continue
            return None if is_label(cell) else clean_cell(cell)
        return None

    def filled(self, start: int = 0) -> list[str]:
        return [clean_cell(c) for c in self.cells[start:] if not is_blank(c)]


def tab_rows(lines: list[Line]) -> list[Row]:
    """One row per non-blank line, cells split by tabs (spreadsheet and PDF extractions)."""
    return [Row(line.text.split("\t"), line.where, line.no) for line in lines if not is_blank(line.text)]


_LABELS = re.compile(
    r"^(项目名称|项目编码|项目实施期|主管部门|实施单位|项目属性|项目类别|预算数|实施期金额|年度金额|"
    r"其中[:：]?.*(财政|拨款).*|其他资金|部门名称|预算年度|预算单位个数|年度预算金额.*|项目单位[:：]?|"
    r"绩效目标|实施期目标|年度目标|年度绩效目标)$")


def is_label(text: str) -> bool:
    return bool(_LABELS.match(compact(text)))


# Names of indicator levels, used to put a row back in place when the extraction lost its
# leading empty cells ("可持续影响指标→…" stands where "→可持续影响指标→…" belongs).
LEVEL1_NAME = re.compile(r"^(产出|效益|效果|满意度|成本|财政综合管理)指标$")
LEVEL2_NAME = re.compile(
    r"^(数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|"
    r"经济成本|社会成本|生态环境成本)指标$")


def realign(cells: list[str]) -> tuple[list[str], int]:
    """Shift a spreadsheet indicator row right when its first cell is not a level-1 name.
    Returns the cells and how many leading cells were restored (0, 1 or 2)."""
    first = compact(cells[0]) if cells else ""
    if not first or LEVEL1_NAME.match(first):
        return cells, 0
    if LEVEL2_NAME.match(first):
        return [""] + cells, 1
    return ["", ""] + cells, 2


class LevelCarry:
    """Merged cells of levels 1 and 2 are written once; carry them down to the rows below."""

    def __init__(self) -> None:
        self.level1: str | None = None
        self.level2: str | None = None

    def take(self, level1: str, level2: str) -> tuple[str | None, str | None]:
        l1, l2 = clean_cell(level1), clean_cell(level2)
        if l1:
            if l1 != self.level1:
                self.level2 = None
            self.level1 = l1
        if l2:
            self.level2 = l2
        return self.level1, self.level2


def make_indicator(level1, level2, level3, description, raw_value, *, where: str,
                   budget_year: int | None, unit_column=None, basis=None, formula=None) -> Indicator:
    raw = raw_value.strip() if raw_value and raw_value.strip() else None
    unit_column = clean_cell(unit_column) or None
    return Indicator(
        level1=level1 or None, level2=level2 or None,
        level3=clean_cell(level3) or None, description=clean_cell(description) or None,
        raw_value=raw,
        target=parse_value(raw, unit_hint=unit_column, budget_year=budget_year),
        unit_column=unit_column, basis=clean_cell(basis) or None,
        formula=clean_cell(formula) or None, where=where)


def amount_after(row: Row, label: str, issues: list[ParseIssue], start: int = 0) -> float | None:
    """The amount beside a label; an unreadable one is reported with its place, and null."""
    try:
        return parse_amount(row.after(label, start))
    except ValueError as exc:
        issues.append(ParseIssue(row.where, "error", "BAD_AMOUNT", str(exc)))
        return None


def year_in(text: str | None) -> int | None:
    m = re.search(r"(19|20)\d{2}", compact(text))
    return int(m.group(0)) if m else None


@dataclass
class LayoutResult:
    """What a layout parser reads from one document, before region and load."""
    title: str | None = None
    department_name: str | None = None
    budget_year: int | None = None
    forms: list[Form] = field(default_factory=list)
    narratives: list[Narrative] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)


def split_segments(lines: list[Line], is_start) -> list[list[Line]]:
    """Cut a document into segments, each beginning at a line where `is_start` holds."""
    segments: list[list[Line]] = []
    for line in lines:
        if is_start(line):
            segments.append([line])
        elif segments:
            segments[-1].append(line)
    return segments

"""The header of a form (everything above its indicator table), read by its labels.

A label's value is, in this order: written in the same cell after a colon (`填报单位：…`); the
next filled cell to its right, unless that is a label too; the cell under it in the next row
when that row holds only values (`3月底 | 6月底` over `25% | 50%`, `实施期目标 | 年度目标` over the
two goals). In a two-year funding matrix (`上年度安排资金 | 本年度申请资金`) a line's value is taken
from this year's column. A label printed twice in a row (实施期 and 年度 side by side) keeps the
rightmost value, the year's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.forms.amounts import money_unit_in, parse_money
from ingest.forms.labels import Hit, book, fold
from ingest.forms.rendering import Row
from ingest.records import KeyTask
from ingest.text import clean_cell

_INLINE = re.compile(r"^([^:：]{1,24})[:：]\s*(.*)$", re.S)
_YEAR_LINE = re.compile(r"^\(?\s*((?:19|20)\d{2})\s*\)?\s*年?度?\s*\)?$")
_UNIT_LINE = re.compile(r"^(\d{6})\s*(\D.{1,60})$")
_NOISE = re.compile(r"^[-—_.·…=*]+$")
# Columns of a two-year matrix: the one that is this year's, and the one that is not.
_THIS_YEAR = {"budget_total"}
_OTHER_YEAR = {"period_total"}
_OTHER_YEAR_LABELS = re.compile(r"^上年|实施期|中期")
_TASK_FIELDS = {"task_name", "task_content"}


@dataclass
class Value:
    field: str
    text: str
    label: str                 # the label as printed (a funding line keeps it)
    unit: str | None           # the money unit in force for it
    where: str
    groups: tuple[str, ...] = ()


@dataclass
class Header:
    values: list[Value] = field(default_factory=list)
    money_unit: str | None = None
    year: int | None = None
    unit_line: tuple[str, str] | None = None     # (code, name) of a `324001 …本级` line
    tasks: list[KeyTask] = field(default_factory=list)
    unread: list[tuple[str, str]] = field(default_factory=list)   # (where, text)
    labels_seen: set[str] = field(default_factory=set)
    _by_field: tuple[int, dict[str, list[Value]]] = field(default_factory=lambda: (0, {}), repr=False,
                                                          compare=False)

    def get(self, name: str) -> list[Value]:
        return self._index().get(name, [])

    def first(self, name: str) -> Value | None:
        return next((v for v in self.get(name) if v.text), None)

    def _index(self) -> dict[str, list[Value]]:
        """The values by field, made again when values were added (a form asks for some twenty)."""
        count, index = self._by_field
        if count != len(self.values):
            index = {}
            for v in self.values:
                index.setdefault(v.field, []).append(v)
            self._by_field = (len(self.values), index)
        return index

    def fields(self) -> set[str]:
        """The fields whose labels the header prints (filled in or not)."""
        return {v.field.split(":")[0] for v in self.values} | self.labels_seen


def is_noise(row: Row) -> bool:
    """Ruler lines (----), stray dots: no data."""
    for t in row.texts:
        if t and t[0].isalnum():
            return False      # a letter, digit or CJK character: content
    joined = "".join(row.texts)
    return not joined or bool(_NOISE.match(joined))


@dataclass(slots=True)
class _Cell:
    col: int
    text: str
    hit: Hit | None = None
    inline: str | None = None   # the value written after the label's colon


def _classify(row: Row) -> list[_Cell]:
    return [_Cell(col, text, *_label_in(text)) for col, text in enumerate(row.texts) if text]


@lru_cache(maxsize=1 << 16)
def _label_in(text: str) -> tuple[Hit | None, str | None]:
    """The label a cell is, or begins with before a colon (`填报单位：…`), and the text after it."""
    b = book()
    hit = b.field(text)
    if hit is None and (m := _INLINE.match(text)):
        inline = b.field(m.group(1))
        if inline is not None:
            return inline, m.group(2).strip()
    return hit, None


def join_wrapped_labels(rows: list[Row]) -> list[Row]:
    """A label wrapped over two one-cell lines (`主管部门` / `及编码`) is one label."""
    b = book()
    out: list[Row] = []
    before: list[str] = []       # the filled cells of the row before
    for row in rows:
        filled = row.filled()
        if len(before) == 1 and len(filled) == 1:
            prev = out[-1]
            a, c = clean_cell(before[0]), clean_cell(filled[0])
            if b.field(c) is None and b.field(a + c) is not None and len(c) <= 6:
                out[-1] = Row([a + c], prev.where, prev.no, prev.page, prev.origin)
                before = out[-1].filled()
                continue
        out.append(row)
        before = filled
    return out


def read_header(rows: list[Row]) -> Header:
    """The header's values from its rows, noise already dropped (is_noise)."""
    h = Header()
    unit: str | None = None            # a money unit written in a label stays in force below
    pending: list[_Cell] = []          # labels waiting for their values in the next row
    matrix_col: int | None = None      # this year's column of a two-year funding matrix
    task_cols: list[int] | None = None
    last: Value | None = None          # a long text a following row may continue
    stream = False                     # one cell per line, labels and values in runs
    for row in join_wrapped_labels(rows):
        cells = _classify(row)
        text = " ".join(c.text for c in cells)
        if declared := money_unit_in(text):
            h.money_unit = h.money_unit or declared
        if (not h.values and h.unit_line is None and cells and cells[0].hit is None
                and (m := _UNIT_LINE.match(cells[0].text))):
            h.unit_line = (m.group(1), m.group(2).strip())   # 河北: `324001 …本级` above the form
            cells = cells[1:]
        labels = [c for c in cells if c.hit is not None]
        one_cell = len(cells) == 1
        if not labels:
            if task_cols is not None and cells:
                _task(h, cells, row)     # a task row under the tasks table's header
                pending = []
                continue
            if pending and one_cell and stream:
                # one cell per line: the labels above take the values below in order, each the
                # first waiting label of its kind (an amount for 预算数, text for 年度目标); the
                # labels passed over had empty cells, which such text does not show
                label = _take(pending, cells[0].text)
                if label is not None:
                    last = _add(h, label, cells[0].text, row, unit) \
                        if label.hit.target not in ("ignore", "money_unit") else None
                    continue
            if pending:
                _fill_from_below(h, pending, cells, row, unit)
                pending, last = [], (h.values[-1] if h.values else None)
                continue
            if len(cells) == 1 and (m := _YEAR_LINE.match(fold(cells[0].text))):
                h.year = h.year or int(m.group(1))
                continue
            if last is not None and cells and cells[0].col > 0 and len(cells) == 1 \
                    and last.field.startswith("goal"):
                last.text += "\n" + cells[0].text      # a goal continued in the row below
                continue
            if cells and not declared:
                h.unread.append((row.where, text))
            continue
        # one cell per line: a run of labels without values waits for a run of values
        stream = one_cell and not labels[0].inline and (stream or not pending) and \
            all(p.col == 0 for p in pending)
        if not (stream and pending):
            pending = []
        last = None
        if stream and labels[0].hit.target in ("goal_period", "goal_annual"):
            pending = [p for p in pending if p.hit.target != "goal_overall"]   # 总体目标 over 中期/年度
        h.labels_seen |= {c.hit.target.split(":")[0] for c in labels}
        for c in labels:
            if c.hit.key.unit:
                unit = c.hit.key.unit
        if any(c.hit.target in _TASK_FIELDS for c in labels):
            task_cols = [c.col for c in labels if c.hit.target in _TASK_FIELDS]
        if task_cols is not None:
            # a key-tasks table: the cells left of the first other label are a task; a row
            # led by another label ends the table
            others = [c for c in labels if c.hit.target not in _TASK_FIELDS]
            first_other = others[0].col if others else 10 ** 6
            if first_other == min(c.col for c in cells):
                task_cols = None
            else:
                task_cells = [c for c in cells if c.col < first_other and c.hit is None]
                if task_cells:
                    _task(h, task_cells, row)
                labels = others
        matrix_col = _matrix_column(cells, labels) if _is_label_row(cells, labels) else matrix_col
        consumed: set[int] = set()
        for c in labels:
            if c.hit.target == "money_unit":
                continue
            if c.inline:
                last = _add(h, c, c.inline, row, unit)
                continue
            if c.inline == "" and c.hit.target != "ignore":
                pass  # `项目单位：` with nothing after the colon: look right, then below
            value = None
            if matrix_col is not None and c.col < matrix_col and c.hit.target.split(":")[0] in (
                    "budget_total", "budget_total_generic", "fiscal", "other", "funding"):
                value = next((x for x in cells if x.col == matrix_col), None)
            if value is None:
                value = next((x for x in cells if x.col > c.col and x.col not in consumed), None)
                if value is not None and value.hit is not None:
                    value = None
            if value is None:
                pending.append(c)
                continue
            consumed.add(value.col)
            last = _add(h, c, value.text, row, unit)
    return h


_AMOUNT_FIELDS = ("budget_total", "budget_total_generic", "period_total", "fiscal", "other",
                  "funding", "basic_expenditure", "project_expenditure")


def _is_amount(text: str) -> bool:
    try:
        return parse_money(text)[0] is not None
    except ValueError:
        return False


def _take(pending: list[_Cell], text: str) -> _Cell | None:
    amount = _is_amount(text)
    for i, label in enumerate(pending):
        kind = label.hit.target.split(":")[0]
        if (kind in _AMOUNT_FIELDS) == amount or (kind == "spend_q" and amount):
            del pending[:i + 1]
            return label
    return None


def _is_label_row(cells: list[_Cell], labels: list[_Cell]) -> bool:
    return len(labels) >= 2 and len(labels) == len(cells) and not any(c.inline for c in labels)


def _matrix_column(cells: list[_Cell], labels: list[_Cell]) -> int | None:
    """This year's column when a row of column labels names two years (上年度安排资金 |
    本年度申请资金, 实施期 | 年度)."""
    this = [c.col for c in labels if c.hit.target in _THIS_YEAR]
    other = [c.col for c in labels
             if c.hit.target in _OTHER_YEAR or _OTHER_YEAR_LABELS.match(c.hit.key.text)]
    return this[-1] if this and other else None


def _add(h: Header, c: _Cell, text: str, row: Row, unit: str | None) -> Value:
    value = Value(c.hit.target, text.strip(), c.hit.key.text, c.hit.key.unit or unit, row.where,
                  c.hit.groups)
    h.values.append(value)
    return value


def _fill_from_below(h: Header, pending: list[_Cell], cells: list[_Cell], row: Row,
                     unit: str | None) -> None:
    """Values in the row under a row of labels: each label takes the first filled cell from its
    own column up to the next waiting label's; if that finds nothing for every label but the
    counts agree, they pair up in order."""
    if any(p.hit.target in ("goal_period", "goal_annual") for p in pending):
        pending = [p for p in pending if p.hit.target != "goal_overall"]   # 总体目标 over 中期/年度
    if len(cells) != len(pending):
        # a group label (项目资金, 资金情况) waits for no value of its own
        grouped = [p for p in pending if p.hit.target != "ignore"]
        pending = grouped if len(grouped) == len(cells) else pending
    if len(cells) == len(pending):
        found = list(zip(pending, (c.text for c in cells)))
        pending = []
    else:
        found = []
    for i, label in enumerate(pending):
        stop = pending[i + 1].col if i + 1 < len(pending) else 10 ** 6
        cell = next((x for x in cells if label.col <= x.col < stop), None)
        if cell is not None:
            found.append((label, cell.text))
    for label, text in found:
        if label.hit.target not in ("ignore", "money_unit"):
            _add(h, label, text, row, unit)


def _task(h: Header, cells: list[_Cell], row: Row) -> None:
    texts = [c.text for c in cells if c.hit is None or c.hit.target not in _TASK_FIELDS]
    if texts:
        h.tasks.append(KeyTask(texts[0], texts[1] if len(texts) > 1 else None, row.where))

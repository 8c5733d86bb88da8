"""The words the forms are read by, as data: form titles, header-field labels, indicator-table
column names, footers and indicator level names, each with its synonyms, from
ingest/data/form_labels.csv (and template signatures from form_templates.csv). A new county's
variant is mostly a new row there.

A label is compared by its key: full-width forms folded, spaces removed (`合 计`, `总 体 目 标`),
enumerations (`一、`, `(1)`, `1、`), a leading `其中：` and a trailing colon dropped; a money unit
(`(万元)`, `（元）`) and a scope (`(年度)`, `(长期)`) written in the label are kept aside."""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

MONEY_UNITS = ("亿元", "万元", "元")
_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[、.](?!\d)|\(\d{1,2}\)|"
                   r"\([一二三四五六七八九十]+\)|[①②③④⑤⑥⑦⑧⑨⑩])+")
_TRAILING_GROUP = re.compile(r"\(([^()]*)\)$")
_SCOPES = {"年度": "annual", "当年": "annual", "本年度": "annual", "长期": "long", "中期": "long"}
_DROPPED = {"盖章", "签章", "印章", "文字", "必填"}
# Scores printed beside a level name: 产出指标(70分), 成本指标(0-20)分, 产出指标 (40-50)分.
_LEVEL_DECOR = re.compile(r"\((\d+(-\d+)?分?)\)分?$|\d+分$")


@dataclass(frozen=True)
class Key:
    text: str              # the label as compared
    unit: str | None       # 万元 / 元 / 亿元 written in the label
    scope: str | None      # annual | long


@dataclass(frozen=True)
class Hit:
    kind: str              # field | column | title | footer
    target: str            # the field or column role it names
    key: Key
    groups: tuple[str, ...] = ()   # what a pattern label captured (the month of 3月底)


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """Full-width forms folded and every space removed: the text labels are compared in."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@lru_cache(maxsize=1 << 16)
def label_key(text: str) -> Key:
    key = fold(text).rstrip(":")
    key = re.sub(r"^其中:?", "", key)
    key = _ENUM.sub("", key)
    unit = scope = None
    while (m := _TRAILING_GROUP.search(key)) and m.start() > 0:
        inner = m.group(1)
        if inner in MONEY_UNITS:
            unit = inner
        elif inner in _SCOPES:
            scope = _SCOPES[inner]
        elif inner not in _DROPPED:
            break
        key = key[:m.start()].rstrip(":")
    return Key(key, unit, scope)


class LabelBook:
    """The seed, compiled once: exact keys in dicts, pattern labels (RE:) as regexes."""

    def __init__(self, rows: list[dict]) -> None:
        self.exact: dict[str, dict[str, str]] = {"field": {}, "column": {}}
        self.patterns: dict[str, list[tuple[re.Pattern, str]]] = {
            "field": [], "column": [], "title": [], "footer": [], "level": []}
        for row in rows:
            kind, target, label = row["kind"], row["target"], row["label"]
            if label.startswith("RE:"):
                self.patterns[kind].append((re.compile(label[3:]), target))
            else:
                self.exact[kind][label_key(label).text] = target
        # The lookups, cached per text on the instance: every cell of every form is asked, and a
        # cache on the method would bind it and hash the book with each text.
        self.field = lru_cache(maxsize=1 << 16)(self._field)
        self.column = lru_cache(maxsize=1 << 16)(self._column)
        self.title = lru_cache(maxsize=1 << 14)(self._title)
        self.is_footer = lru_cache(maxsize=1 << 14)(self._is_footer)
        self.level = lru_cache(maxsize=1 << 14)(self._level)
        self.names_level = lru_cache(maxsize=1 << 16)(self._names_level)

    def _find(self, kind: str, key: Key) -> Hit | None:
        target = self.exact[kind].get(key.text)
        if target is not None:
            return Hit(kind, target, key)
        for pattern, target in self.patterns[kind]:
            if m := pattern.search(key.text):
                return Hit(kind, target, key, m.groups())
        return None

    def _field(self, text: str) -> Hit | None:
        """The header field a cell names, if the whole cell is a label (after its key is made):
        `其中：财政拨款` → fiscal, `资金投入（万元）` → ignore (with its unit)."""
        if not text:
            return None
        key = label_key(text)
        if not key.text:
            return None
        hit = self._find("field", key)
        if hit is None and ":" in key.text:
            # a group label before the field: 资金来源：(1)财政拨款 (the group a label too)
            head, _, rest = key.text.rpartition(":")
            tail = label_key(rest)
            if tail.text and self._find("field", label_key(head)) is not None:
                hit = self._find("field", Key(tail.text, tail.unit or key.unit, tail.scope or key.scope))
        return hit

    def _column(self, text: str) -> Hit | None:
        key = label_key(text)
        return self._find("column", key) if key.text else None

    def _title(self, text: str) -> str | None:
        """The kind of form a title line names (project, department, purchase_service,
        reject), or None."""
        key = fold(text)
        key = re.sub(r"\(?\s*(19|20)?\d{0,2}\s*\)?年度?\)?$", "", key) or key  # (2024年度)
        for pattern, target in self.patterns["title"]:
            if pattern.search(key):
                return target
        return None

    def _is_footer(self, text: str) -> bool:
        key = fold(text)
        return any(p.search(key) for p, _ in self.patterns["footer"])

    def _names_level(self, text: str) -> bool:
        """Whether a cell names a level column of the indicator table (三级指标, 二级指标,
        指标名称 …), as every table header does."""
        hit = self.column(text) if text else None
        return hit is not None and hit.target in ("level1", "level2", "level3")

    def _level(self, text: str) -> int | None:
        """1 or 2 when the cell is an indicator level name (产出指标, 经济效益指标; decorations
        such as (70分) allowed), 12 for a name that is either (成本指标: a level 1 since 2021, a
        level 2 under 产出指标 before), else None."""
        key = re.sub(r"(\([^()]*\))+$", "", strip_level_decoration(fold(text))) or fold(text)
        levels = {1 if target == "level1" else 2
                  for pattern, target in self.patterns["level"] if pattern.match(key)}
        return 12 if levels == {1, 2} else next(iter(levels), None)


@lru_cache(maxsize=1 << 12)     # a few level names, on every indicator row
def strip_level_decoration(name: str) -> str:
    """A level name without the score a template prints beside it: 成本指标(0-20)分 → 成本指标."""
    while (stripped := _LEVEL_DECOR.sub("", name)) != name and stripped:
        name = stripped
    return name


def _rows(name: str) -> list[dict]:
    with resources.files("ingest.data").joinpath(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def book() -> LabelBook:
    return LabelBook(_rows("form_labels.csv"))


@dataclass(frozen=True)
class Template:
    template: str
    form_kind: str
    priority: int
    title: str
    fields: tuple[str, ...]
    columns: tuple[str, ...]
    description: str


@cache
def templates() -> tuple[Template, ...]:
    rows = [Template(r["template"], r["form_kind"], int(r["priority"]), r["title"],
                     tuple(r["fields"].split()), tuple(r["columns"].split()), r["description"])
            for r in _rows("form_templates.csv")]
    return tuple(sorted(rows, key=lambda t: t.priority))


def recognise(form_kind: str, title: str | None, fields: set[str], columns: set[str]) -> str:
    """The template a form follows: the first signature (by priority) of its kind whose title,
    fields and columns it has."""
    for t in templates():
        if t.form_kind != form_kind:
            continue
        if t.title and t.title not in fold(title or ""):
            continue
        if set(t.fields) <= fields and set(t.columns) <= columns:
            return t.template
    return f"{form_kind}_generic"

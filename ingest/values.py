"""Parse a target value (指标值) into kind, comparison, number, unit, base value and deadline.

Pure: text in, a TargetValue out, never an exception. What cannot be read is `malformed`
with the raw text kept; nothing is guessed.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import date

from ingest.units import canonical_unit, to_base

VALUE_KINDS = ("numeric", "qualitative", "deadline", "redacted", "malformed", "empty")
OPS = (">=", "<=", ">", "<", "=")


@dataclass(frozen=True)
class TargetValue:
    value_kind: str
    op: str | None = None
    value: float | None = None
    unit: str | None = None
    value_base: float | None = None
    base_unit: str | None = None
    deadline: date | None = None
    note: str | None = None
    value_high: float | None = None   # the upper end of a range (3-5个: value 3, value_high 5)


# Comparison words before a number. Longest first so 大于等于 wins over 大于.
_PREFIX_OPS = [
    ("大于等于", ">="), ("大于或等于", ">="), ("不少于", ">="), ("不低于", ">="), ("不小于", ">="),
    ("至少", ">="), ("≥", ">="), ("≧", ">="), (">=", ">="),
    ("小于等于", "<="), ("小于或等于", "<="), ("不超过", "<="), ("不高于", "<="), ("不大于", "<="),
    ("最多", "<="), ("≤", "<="), ("≦", "<="), ("<=", "<="),
    ("少于", "<"), ("低于", "<"), ("小于", "<"), ("<", "<"),
    ("多于", ">"), ("高于", ">"), ("大于", ">"), ("超过", ">"), (">", ">"),
    ("=", "="), ("达到", "="),
]
# Comparison words after the unit: 50%以上, 10分钟内完成, 3小时以内.
_SUFFIX_OPS = sorted([
    ("以上", ">="), ("及以上", ">="), ("以内", "<="), ("之内", "<="), ("内完成", "<="),
    ("以内完成", "<="), ("内", "<="), ("以下", "<="), ("及以下", "<="),
], key=lambda w: -len(w[0]))  # longest first: 以内完成 before 内
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9, "十": 10}
# Measure words a Chinese numeral may stand before (大于等于一套); keeps 一般 qualitative.
_CN_MEASURES = "套个台项次件本家人处条座批份部宗块"
_PLACEHOLDER = re.compile(r"^(一般|较好|很好|好|较差|差)(/(一般|较好|很好|好|较差|差)){1,}$")
_REDACTED = re.compile(r"^(\d+[.、])?[密＊*]+$")
_NUMBER = r"\d+(?:\.\d+)?"
_NUMERIC = re.compile(rf"^(?P<num>{_NUMBER})(?P<unit>[^\d]*)$")
_SEASON_END = {"春": 5, "夏": 8, "秋": 11, "冬": 12, "上半": 6, "下半": 12}
# After a date: 底/末 (end of the month or year), 前/以前/之前/内 (by), then what is done by
# then (完成, 报批, 开工 …): 2024年8月底前报批, 12月底前, 年底前完成.
_DATE_TAIL = re.compile(r"^(?P<end>底|末)?(?P<by>前|以前|之前|以内|内)?(?P<act>已?[\u4e00-\u9fff]{0,6})$")
_ACTS = re.compile(r"^已?(完成|实施|实施完毕|完工|竣工|开工|验收|办结|到位|拨付|发放|支付|上线|报批|结算|启动|落实)")
# A period, not a deadline: 2023.07-2024.01, 2020年1月--2020年11月, 2021年全年.
_PERIOD = re.compile(r"^(19|20)\d{2}([.年/-]\d{1,2}月?)?(份)?[-~～至到—]+((19|20)\d{2})?([.年/-]?\d{1,2}月?)?(份)?$"
                     r"|^(19|20)\d{2}年(度)?(全年|整年|全年度)$")
_RANGE = re.compile(rf"^(?P<a>{_NUMBER})(?P<ua>[^\d~～至到—-]{{0,4}})[-~～至到—]+(?P<b>{_NUMBER})(?P<unit>[^\d]*)$")
# Approximation words, before or after the number. Tested with startswith/endswith (the same
# as _APPROX.search, as normalised text has no newline for $ to match before), removed by _APPROX.
_APPROX_STARTS = ("约", "大约", "大概", "近")
_APPROX_ENDS = ("左右", "上下")
_APPROX = re.compile(rf"^({'|'.join(_APPROX_STARTS)})|({'|'.join(_APPROX_ENDS)})$")
_MAX_DIGITS = 15    # more digits than an amount or a count can have: a typo, not a number
_TOO_LONG_NUMBER = re.compile(rf"\d{{{_MAX_DIGITS + 1},}}")
_ANY_DIGIT = re.compile(r"\d")
_ONLY_OPS = re.compile(r"[≥≤<>=]+")
# Thousands separators: 1,234,567 → 1234567 (only groups of exactly three digits).
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def normalise(text: str) -> str:
    """Fold full-width forms, superscripts and separators so the patterns see one spelling."""
    text = "".join(text.split())
    # ASCII text is already in NFKC and holds none of the characters folded below.
    if not text.isascii():
        text = _fold_unicode(text)
    if "," in text:  # also a full-width ， that NFKC has folded
        text = _THOUSANDS.sub("", text)
    return text


def _fold_unicode(text: str) -> str:
    # Before NFKC, which would turn m² into m2 and ㎡ into m2.
    text = text.replace("m²", "平方米").replace("㎡", "平方米").replace("m³", "立方米")
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("≧", "≥").replace("≦", "≤").replace("﹪", "%")
    # NFKC can bring spaces back (¨ is a space and a diaeresis).
    return "".join(text.split())


def parse_value(raw: str | None, *, unit_hint: str | None = None, op_hint: str | None = None,
                budget_year: int | None = None) -> TargetValue:
    """Parse one target value. `unit_hint` is the form's 度量单位 column and `op_hint` its 指标性质
    column (>=, <=, =, … or `qualitative` for 定性), used when the value itself has none;
    `budget_year` dates a deadline written without a year (12月31日前, 年底前)."""
    return _parse_cached(raw, unit_hint, op_hint, budget_year)


@lru_cache(maxsize=1 << 16)
def _parse_cached(raw: str | None, unit_hint: str | None, op_hint: str | None,
                  budget_year: int | None) -> TargetValue:
    try:
        return _parse(raw, unit_hint, op_hint, budget_year)
    except Exception as exc:  # a parser bug must not stop a document; say so instead
        return TargetValue("malformed", note=f"value parser error: {exc!r}")


def _parse(raw: str | None, unit_hint: str | None, op_hint: str | None,
           budget_year: int | None) -> TargetValue:
    if raw is None or not raw.strip():
        return TargetValue("empty")
    text = normalise(raw)
    if not text:
        return TargetValue("empty")
    if _REDACTED.match(text):
        return TargetValue("redacted", note="redacted (密)")
    if _PLACEHOLDER.match(text):
        return TargetValue("qualitative", note="template choice left unfilled")
    if _TOO_LONG_NUMBER.search(text):
        return TargetValue("malformed", note=f"a number of more than {_MAX_DIGITS} digits")
    if _PERIOD.match(text):
        return TargetValue("qualitative", note="a period, not a target")
    deadline = _parse_deadline(text, budget_year)
    if deadline is not None:
        return deadline
    approx = text.startswith(_APPROX_STARTS) or text.endswith(_APPROX_ENDS)
    body = _APPROX.sub("", text) if approx else text
    plus_minus = body.startswith("±")
    body = body.lstrip("±")
    numeric = _parse_numeric(body, unit_hint, op_hint) or _parse_range(body, unit_hint)
    if numeric is not None:
        if not (approx or plus_minus):
            return numeric  # its own note is the whole note; no copy needed
        notes = [n for n in (numeric.note, "approximately" if approx else None,
                             "a tolerance (±)" if plus_minus else None) if n]
        return replace(numeric, note="; ".join(notes))
    if _ANY_DIGIT.search(text):
        return TargetValue("malformed", note="has digits but no readable number, unit or date")
    if _ONLY_OPS.fullmatch(text):
        return TargetValue("malformed", note="a comparison with no value")
    return TargetValue("qualitative")


def _parse_range(text: str, unit_hint: str | None) -> TargetValue | None:
    """3-5个, 90%~95%: value is the low end, value_high the high end, op >=."""
    m = _RANGE.match(text)
    if not m or (m.group("ua") and m.group("ua") != m.group("unit")):
        return None
    low, high = float(m.group("a")), float(m.group("b"))
    unit = m.group("unit") or None
    if low > high or (unit is not None and not _looks_like_unit(unit)):
        return None
    unit, factor, base_unit = _unit_and_factor(unit, unit_hint)
    value_base = low * factor
    return TargetValue("numeric", op=">=", value=low, unit=unit, value_base=_round(value_base),
                       base_unit=base_unit, value_high=high, note="a range")


_STARTS_NUMBER = re.compile(rf"^({_NUMBER}|[{''.join(_CN_DIGITS)}])")
# The characters prefix op words begin with. Most values (2457, 128元/人) hold none of them,
# and the others only a few, so only the op words that can occur in a text are looked for.
_PREFIX_OP_START = re.compile("[" + "".join(sorted({re.escape(w[0]) for w, _ in _PREFIX_OPS})) + "]")
_SUFFIX_WORDS = tuple(w for w, _ in _SUFFIX_OPS)
_CN_COUNT = re.compile(rf"^([{''.join(_CN_DIGITS)}])([{_CN_MEASURES}])$")
_ACTION_CHARS = re.compile(r"[完成提高改善增长降低减少要求]")


@lru_cache(maxsize=1024)
def _prefix_ops_starting_with(starts: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """The _PREFIX_OPS entries whose word begins with one of `starts`, in _PREFIX_OPS order,
    since the first entry that qualifies wins."""
    return tuple((word, op) for word, op in _PREFIX_OPS if word[0] in starts)


def _split_ops(text: str) -> tuple[str | None, str, str | None]:
    """Return (prefix op, remaining text, suffix op); a subject may stand before the op
    (年故障次数少于3次), but only when an explicit comparison word follows it."""
    prefix_op = None
    starts = _PREFIX_OP_START.findall(text)
    if starts:
        for word, op in _prefix_ops_starting_with(frozenset(starts)):
            idx = text.find(word)
            if idx == -1:
                continue
            rest = text[idx + len(word):]
            if idx == 0 or _STARTS_NUMBER.match(rest):
                prefix_op, text = op, rest
                break
    suffix_op = None
    if text.endswith(_SUFFIX_WORDS):  # one test for all; the loop then finds the longest
        for word, op in _SUFFIX_OPS:
            if text.endswith(word) and len(text) > len(word):
                suffix_op, text = op, text[: -len(word)]
                break
    return prefix_op, text, suffix_op


def _parse_numeric(text: str, unit_hint: str | None, op_hint: str | None = None) -> TargetValue | None:
    prefix_op, body, suffix_op = _split_ops(text)
    if prefix_op and suffix_op and prefix_op != suffix_op:
        return None
    op = prefix_op or suffix_op or (op_hint if op_hint in OPS else None) or "="
    m = _NUMERIC.match(body)
    if m:
        value = float(m.group("num"))
        unit = m.group("unit") or None
    else:
        cn = _CN_COUNT.match(body)
        if not cn or (op == "=" and not prefix_op and len(text) > 2):
            return None
        value, unit = float(_CN_DIGITS[cn.group(1)]), cn.group(2)
    if unit is not None and not _looks_like_unit(unit):
        return None
    unit, factor, base_unit = _unit_and_factor(unit, unit_hint)
    value_base = value * factor
    return TargetValue("numeric", op=op, value=value, unit=unit,
                       value_base=_round(value_base), base_unit=base_unit)


@lru_cache(maxsize=4096)
def _unit_and_factor(unit: str | None, unit_hint: str | None) -> tuple[str | None, float, str | None]:
    """The unit (the value's own, else the form's 度量单位 column), and the factor to and the
    name of its base unit: to_base(v, unit) is (v * factor, base unit), also for no unit
    (factor 1.0). Few units occur, so the folding and lookups are done once for each."""
    unit = canonical_unit(unit) or canonical_unit(unit_hint)
    factor, base_unit = to_base(1.0, unit)
    return unit, factor, base_unit


def _looks_like_unit(unit: str) -> bool:
    # A unit is short and names no action: 万亩, 元/个, 等别, 个百分点 - not 年度工作要求.
    return len(unit) <= 5 and not _ACTION_CHARS.search(unit)


# 年底前, 2024年底前完成, 年内完成
_YEAR_END = re.compile(r"^(?:(?P<y>\d{4})年|(?P<this>当年|本年|年))(?P<end>底|末|内)(?P<rest>.*)$")
# 当年完成, 本年度验收
_THIS_YEAR_ACT = re.compile(r"^(?:当年|本年度?)(?P<act>.*)$")
# [year][season][month[day]] then the rest: 2024年6月完成, 2022年春季完成, 12月31日前
_DATE = re.compile(
    r"^(?:(?P<y>\d+)年(?:度)?)?(?:(?P<season>春|夏|秋|冬|上半|下半)(?:季|年)?)?"
    r"(?:(?P<m>\d{1,2})月(?:份)?(?:(?P<d>\d{1,2})[日号])?)?(?P<rest>.*)$")


def _parse_deadline(text: str, budget_year: int | None) -> TargetValue | None:
    """Dates by which something is done: 2024年6月完成, 12月31日前完成, ≤12月底, 2022年春季完成,
    2025年12月底前, 2024年8月底前报批, 年底前, 年内完成."""
    if "年" not in text and "月" not in text:
        return None  # every form below names a year or a month; most values are neither
    op_prefix = None
    if text[:1] in "≤<":
        op_prefix, text = "<=", text[1:]
    if m := _YEAR_END.match(text):
        # 年底前, 2024年底前完成, 年内完成: the end of the (budget) year
        tail = _DATE_TAIL.match(m.group("rest"))
        if tail and (not tail.group("act") or _ACTS.match(tail.group("act")) or tail.group("by")):
            return _deadline(int(m.group("y")) if m.group("y") else budget_year, 12, None, "", False)
    if m := _THIS_YEAR_ACT.match(text):
        if _ACTS.match(m.group("act")):
            return _deadline(budget_year, 12, None, "", False)
    m = _DATE.match(text)
    if not m or not (m.group("y") or m.group("m")):
        return None
    rest = m.group("rest")
    tail = _DATE_TAIL.match(rest)
    year_only = m.group("y") and not (m.group("m") or m.group("season"))
    if year_only and not (tail and (tail.group("end") or tail.group("by")
                                    or (len(m.group("y")) == 4 and _ACTS.match(tail.group("act"))))):
        return None  # a bare "3年" is a duration, not a date; 2024年完成 is a date
    if not tail:
        return None
    marked = tail.group("end") or tail.group("by")
    act = tail.group("act")
    if act and not (_ACTS.match(act) or marked):
        return None  # 6月完成 is a date; 6月工资 is not
    if m.group("m") and not m.group("y") and not rest and not op_prefix:
        return None  # a bare "6月" alone is ambiguous; leave it to the numeric parser
    if m.group("y") and not 1900 <= int(m.group("y")) <= 2100:
        return TargetValue("malformed", note=f"year {m.group('y')} is not a year")
    month = int(m.group("m")) if m.group("m") else None
    if m.group("season"):
        month = _SEASON_END[m.group("season")]
    if month is not None and not 1 <= month <= 12:
        return TargetValue("malformed", note=f"month {month} does not exist")
    year = int(m.group("y")) if m.group("y") else budget_year
    day = int(m.group("d")) if m.group("d") else None
    return _deadline(year, month or 12, day, act, act.startswith("已"))


def _deadline(year: int | None, month: int, day: int | None, act: str, done: bool) -> TargetValue:
    if year is None:
        return TargetValue("deadline", op="<=", note="deadline without a year")
    last = calendar.monthrange(year, month)[1]
    day = day if day is not None else last
    if not 1 <= day <= last:
        return TargetValue("malformed", note=f"day {day} does not exist in {year}-{month:02d}")
    return TargetValue("deadline", op="<=", deadline=date(year, month, day),
                       note="reported as already done" if done else None)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)

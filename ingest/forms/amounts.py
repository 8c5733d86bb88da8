"""Amounts as forms print them, to exact 万元: `24569. 00`, `3,309,840.00` (in 元), `164万元`,
`250万`, `854万(高标准农田建设400万元,…)`, the same cell printed twice (`854万854万`). Pure."""
from __future__ import annotations

import re
from decimal import Decimal

from ingest.forms.labels import fold

# 元 → 万元 is a shift of four decimal places, so no amount loses a digit.
_SCALE = {"元": -4, "万元": 0, "万": 0, "亿元": 4, "亿": 4}
_AMOUNT = re.compile(r"^(?:约|共|合计|计)?(-?\d{1,15}(?:,\d{3})*(?:\.\d{1,6})?)(亿元|万元|元|亿|万)?")
_EMPTY = {"", "-", "—", "--", "/", "\\", "无"}


def parse_money(text: str | None, unit: str = "万元") -> tuple[Decimal | None, str | None]:
    """(amount in 万元, the unit it was written in) for an amount cell; (None, None) for an
    empty one. `unit` is the unit in force (from the label, the form's 单位：… line); a unit
    written in the cell wins. Raises ValueError for text that is not an amount."""
    s = fold(text or "")
    if s in _EMPTY:
        return None, None
    m = _AMOUNT.match(s)
    if not m:
        raise ValueError(f"not an amount: {text!r}")
    rest = s[m.end():]
    doubled = rest.startswith(m.group(0)) and not rest[len(m.group(0)):][:1].isdigit()  # 854万854万
    if rest and not (rest[0] in "(（[【;；,，" or doubled):
        raise ValueError(f"not an amount: {text!r}")
    written = m.group(2)
    number = Decimal(m.group(1).replace(",", ""))
    used = written or unit
    return number.scaleb(_SCALE[used]), ("万元" if used == "万" else "亿元" if used == "亿" else used)


def parse_percent(text: str | None) -> float | None:
    """A spending-plan cell: '25%' -> 25.0, ' 0' -> 0.0, '' -> None; ValueError otherwise."""
    s = fold(text or "").removesuffix("%")
    if s in ("", "-", "—", "/"):
        return None
    if not re.fullmatch(r"\d{1,3}(\.\d+)?", s):
        raise ValueError(f"not a percentage: {text!r}")
    return float(s)


_UNIT_LINE = re.compile(r"(?:金额|资金|货币)?单位[:：]\s*(亿元|万元|元)")


def money_unit_in(text: str) -> str | None:
    """The unit a `单位：万元` / `金额单位:元` line declares, wherever it stands in the text."""
    if "单位" not in text:
        return None
    m = _UNIT_LINE.search(fold(text))
    return m.group(1) if m else None

"""Units of target values: aliases as written, and how each converts to a base unit.

One table serves the value parser and (exported as a dbt seed) the warehouse, so a unit is
converted the same way everywhere.
"""
from __future__ import annotations

# Spellings that mean the same unit. The key is compared after whitespace is removed.
UNIT_ALIASES: dict[str, str] = {
    "百分比": "%",
    "％": "%",
    "m²": "平方米",
    "㎡": "平方米",
    "m2": "平方米",
    "平米": "平方米",
    "m³": "立方米",
    "m3": "立方米",
    "方": "立方米",
    "km": "公里",
    "千米": "公里",
    "hm²": "公顷",
}

# unit -> (factor to the base unit, base unit). Areas of land convert to 亩 so that 亩, 万亩
# and 公顷 compare (1 公顷 = 15 亩); money to 元; rates to %.
BASE_UNITS: dict[str, tuple[float, str]] = {
    "%": (1.0, "%"),
    "‰": (0.1, "%"),
    "亩": (1.0, "亩"),
    "公顷": (15.0, "亩"),
    "平方公里": (1500.0, "亩"),
    "平方米": (1.0, "平方米"),
    "立方米": (1.0, "立方米"),
    "元": (1.0, "元"),
    "公里": (1.0, "公里"),
    "米": (1.0, "米"),
    "吨": (1.0, "吨"),
    "小时": (1.0, "小时"),
    "分钟": (1.0 / 60, "小时"),
    "天": (24.0, "小时"),
    "日": (24.0, "小时"),
}

# Multiplier prefixes: 7万亩 is 70000 亩, 30万元 is 300000 元.
MULTIPLIERS: dict[str, float] = {"万": 1e4, "亿": 1e8}


def canonical_unit(unit: str | None) -> str | None:
    """The unit as written, with spellings of the same unit folded together."""
    if not unit:
        return None
    unit = "".join(unit.split())
    if unit in UNIT_ALIASES:
        return UNIT_ALIASES[unit]
    # 万元/亩 → convert the numerator only; 元/个 stays as it is.
    if "/" in unit:
        num, _, den = unit.partition("/")
        return f"{canonical_unit(num) or num}/{canonical_unit(den) or den}"
    return unit


def to_base(value: float, unit: str | None) -> tuple[float | None, str | None]:
    """Convert a value in `unit` to its base unit: (7, 万亩) -> (70000, 亩).

    Units with no known conversion (人, 个, 次…) are their own base. A bare multiplier
    (60万) gives the multiplied value with no base unit, since nothing says 万 what.
    """
    unit = canonical_unit(unit)
    if unit is None:
        return value, None
    if "/" in unit:
        num, _, den = unit.partition("/")
        factor, base = _factor(num)
        return value * factor, f"{base}/{den}" if base else None
    factor, base = _factor(unit)
    return value * factor, base


def _factor(unit: str) -> tuple[float, str | None]:
    if unit in BASE_UNITS:
        return BASE_UNITS[unit]
    if unit in MULTIPLIERS:
        return MULTIPLIERS[unit], None
    if unit[0] in MULTIPLIERS and len(unit) > 1:
        rest = canonical_unit(unit[1:]) or unit[1:]
        factor, base = _factor(rest)
        return MULTIPLIERS[unit[0]] * factor, base
    return 1.0, unit


def conversion_rows() -> list[dict]:
    """The conversion table as rows, for the dbt seed."""
    rows = [
        {"unit": u, "factor": f, "base_unit": b, "kind": "base"} for u, (f, b) in BASE_UNITS.items()
    ]
    rows += [
        {"unit": a, "factor": to_base(1.0, c)[0], "base_unit": to_base(1.0, c)[1], "kind": "alias"}
        for a, c in UNIT_ALIASES.items()
    ]
    return rows

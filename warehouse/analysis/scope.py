"""What an analysis covers: which warehouse, which budget years, which counties. Notebooks get
it from their `parameters` cell, `jixiao report` from --warehouse/--year/--county; every query
filters by it, so a total never mixes years or counties the analyst did not ask for."""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from warehouse.paths import published_warehouse


def _as_list(value) -> list:
    """A parameter as a list: None or '' is every value, one value is a list of one, and
    '2023,2024' (as papermill -p or an environment variable passes it) is split."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


@dataclass(frozen=True)
class Scope:
    warehouse: Path | None = None            # None: $JIXIAO_WAREHOUSE or warehouse/jixiao.duckdb
    years: tuple[int, ...] = ()              # empty: every budget year
    counties: tuple[str, ...] = ()           # empty: every county

    @classmethod
    def of(cls, warehouse=None, years=None, counties=None) -> Scope:
        """From notebook parameters or CLI options, forgiving about their form."""
        return cls(Path(warehouse) if warehouse else None,
                   tuple(sorted(int(y) for y in _as_list(years))),
                   tuple(sorted(str(c) for c in _as_list(counties))))

    @property
    def path(self) -> Path:
        return published_warehouse(self.warehouse)

    def where(self, year: str = "budget_year", county: str = "county") -> str:
        """A SQL condition on the given columns; its values are the query's $years/$counties."""
        return (f"(len($years::integer[]) = 0 or list_contains($years::integer[], {year})) and "
                f"(len($counties::varchar[]) = 0 or list_contains($counties::varchar[], {county}))")

    def params(self) -> dict:
        return {"years": list(self.years), "counties": list(self.counties)}

    def describe(self) -> str:
        """The scope in words, for titles: 2024年 · 卢龙县、承德县."""
        years = "、".join(f"{y}年" for y in self.years) if self.years else "全部年度"
        counties = "、".join(self.counties) if self.counties else "全部县区"
        return f"{years} · {counties}"


def from_environment() -> Scope:
    """The scope the environment asks for: $JIXIAO_WAREHOUSE, $JIXIAO_YEARS, $JIXIAO_COUNTIES."""
    return Scope.of(os.environ.get("JIXIAO_WAREHOUSE"), os.environ.get("JIXIAO_YEARS"),
                    os.environ.get("JIXIAO_COUNTIES"))

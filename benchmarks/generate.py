"""Synthetic budget performance-target documents (预算绩效目标表) that read like the real ones,
with the truth of every form known: for benchmarks at any size, and for tests of the reader.

    python benchmarks/generate.py --forms N --out DIR [--seed S] [--truth]

Each document is one department of a real area (a county-level area of the national table, now
and then a city's own department or a functional zone named after its city) publishing 5-30
forms of one template family, in one of the renderings the reader knows:

    family            renderings                                    like
    hebei_project     pdf_rows (tab rows), word_cells (cell a line)  data/samples/chengde…, lulong…
    liaoning_project  tab_rows, xlsx                                 data/samples/dalian_gaoxin…
    national_101      tab_rows, xlsx                                 tests/fixtures/forms/13_…
    flat_export       tab_rows, xlsx                                 tests/fixtures/forms/01_…
    department        tab_rows (department form + purchase forms)    tests/fixtures/forms/15_…, xigang
    project_generic   pipes_collapsed, spaces                        tests/fixtures/forms/05_…, 04_…

Values are drawn from patterns whose reading is known (≥4人, ≤3‰, 7万亩, 3-5个, 约5公里,
2024年12月底前, 年底前, 明显改善 …), with the anomalies of real forms at the rates in ANOMALY.
Documents are streamed: `documents()` yields them one by one, each made from its own seeded
random generator, so a document depends only on (seed, index) and the whole is deterministic.
"""
from __future__ import annotations

import argparse
import calendar
import io
import json
import random
import re
import sys
import time
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Iterator, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.region import CITY_LEVEL, COUNTY, all_regions  # noqa: E402

# ------------------------------------------------------------------------------------------
# Tables: what documents are made of
# ------------------------------------------------------------------------------------------

# family → (share of documents, renderings with their shares)
FAMILIES: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {
    "hebei_project": (0.24, (("pdf_rows", 0.5), ("word_cells", 0.5))),
    "liaoning_project": (0.12, (("tab_rows", 0.97), ("xlsx", 0.03))),
    "national_101": (0.28, (("tab_rows", 0.985), ("xlsx", 0.015))),
    "flat_export": (0.06, (("tab_rows", 0.92), ("xlsx", 0.08))),
    "department": (0.12, (("tab_rows", 1.0),)),
    "project_generic": (0.18, (("pipes_collapsed", 0.5), ("spaces", 0.5))),
}
# The province a family belongs to (None: any province).
FAMILY_PROVINCE = {"hebei_project": "河北省", "liaoning_project": "辽宁省"}
# Who publishes: a county-level area, a city's own department, a zone named after a city.
PUBLISHER_SHARES = (("county", 0.93), ("city", 0.04), ("zone", 0.03))
ZONE_SUFFIXES = ("高新技术产业开发区", "经济技术开发区", "高新区")
YEARS = (2023, 2024, 2025)

# Rates of the anomalies real forms carry (per form, per indicator or per cost row).
ANOMALY = {
    "redacted_form": 0.005,        # a 密 form: goal, names and values redacted
    "zero_budget": 0.005,          # a budget of 0
    "duplicate_row": 0.03,         # one indicator row printed twice
    "spend_not_monotonic": 0.03,   # a cumulative plan that goes down (hebei)
    "spend_not_100": 0.02,         # a plan ending at 90% or 110% (hebei)
    "placeholder": 0.05,           # 一般/较好/很好 left in (per 效益 indicator)
    "malformed": 0.003,            # 20122012 年 5 月 28 日, 2024年13月底前, ≥ (per indicator)
    "rate_over_100": 0.005,        # 120% (per rate)
    "cost_mismatch": 0.08,         # a total-cost target that disagrees with the budget
    "deadline_next_year": 0.03,    # a deadline outside the budget year
    "full_width": 0.01,            # ≥９５％ (per inline value)
}

# Departments: name, sub-units, projects, quantity indicators (name, unit, low, high).
DEPARTMENTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[tuple[str, str, float, float], ...]], ...] = (
    ("自然资源和规划局", ("不动产登记中心", "土地储备中心"),
     ("国土空间规划编制", "地质灾害防治", "不动产登记服务", "耕地保护补偿", "矿山生态修复治理", "土地整治",
      "自然资源执法监察", "自然资源调查监测"),
     (("地质灾害隐患点巡查", "个", 20, 150), ("不动产登记办件量", "件", 3000, 60000),
      ("耕地保护面积", "万亩", 5, 80), ("矿山修复治理面积", "亩", 100, 3000), ("土地整治面积", "亩", 500, 8000),
      ("清理危岩体积", "立方米", 500, 50000))),
    ("农业农村局", ("农业技术推广中心", "动物疫病预防控制中心"),
     ("高标准农田建设", "动物疫病防控", "农村人居环境整治", "耕地地力保护补贴", "农产品质量安全监管", "农机购置补贴"),
     (("高标准农田建设面积", "万亩", 1, 10), ("畜禽免疫数量", "万头", 5, 200), ("补贴农户数", "户", 500, 30000),
      ("农村户厕改造数量", "户", 200, 5000), ("农产品抽检批次", "批次", 100, 2000))),
    ("教育局", ("教师发展中心", "学生资助管理中心"),
     ("学生资助", "校舍维修改造", "教师培训", "学前教育公用经费", "义务教育营养改善计划", "中小学校安全保障"),
     (("受助学生人数", "人", 200, 8000), ("校舍维修面积", "平方米", 1000, 30000), ("教师培训人次", "人次", 100, 3000),
      ("惠及学校数量", "所", 5, 120))),
    ("卫生健康局", ("疾病预防控制中心", "妇幼保健院"),
     ("基本公共卫生服务", "家庭医生签约服务", "计划生育奖励扶助", "疾病预防控制", "村卫生室运行补助"),
     (("家庭医生签约人数", "人", 5000, 200000), ("扶助对象人数", "人", 100, 6000), ("免疫接种人次", "人次", 2000, 90000),
      ("村卫生室数量", "个", 30, 400))),
    ("交通运输局", ("公路事业发展中心", "农村公路管理站"),
     ("农村公路养护", "道路安全生命防护工程", "农村客运补贴", "桥梁维修加固", "公路灾毁恢复重建"),
     (("养护农村公路里程", "公里", 50, 1500), ("安装护栏长度", "米", 1000, 30000), ("维修桥梁数量", "座", 1, 30),
      ("补贴客运车辆", "辆", 10, 300))),
    ("水利局", ("水利工程管理站", "河道管理所"),
     ("河道治理", "农村饮水安全巩固提升", "小型水库维修养护", "水土保持综合治理", "防汛抗旱"),
     (("治理河道长度", "公里", 2, 60), ("新建管网长度", "公里", 5, 120), ("维修水库数量", "座", 1, 20),
      ("治理水土流失面积", "平方公里", 2, 80))),
    ("民政局", ("社会福利中心", "救助管理站"),
     ("城乡低保", "特困人员供养", "残疾人两项补贴", "养老服务体系建设", "临时救助", "志愿服务推进"),
     (("保障低保对象人数", "人", 500, 30000), ("特困供养人数", "人", 50, 3000), ("发放补贴人次", "人次", 1000, 60000),
      ("新建养老服务站", "个", 2, 40), ("注册志愿者人数", "人", 500, 20000))),
    ("文化广电和旅游局", ("文化馆", "图书馆"),
     ("公共文化服务", "文物保护", "送戏下乡", "全域旅游宣传推介", "非物质文化遗产保护"),
     (("送戏下乡场次", "场", 20, 300), ("文物巡查次数", "次", 12, 200), ("免费开放场馆数量", "个", 2, 30),
      ("宣传推介活动", "次", 3, 40))),
    ("住房和城乡建设局", ("园林绿化中心", "市政设施管理所"),
     ("老旧小区改造", "农村危房改造", "城市道路维修", "园林绿化养护", "燃气安全整治"),
     (("改造老旧小区数量", "个", 3, 60), ("危房改造户数", "户", 20, 1500), ("维修道路面积", "平方米", 2000, 90000),
      ("绿化养护面积", "万平方米", 5, 300))),
    ("生态环境分局", ("环境监测站", "生态环境保护综合行政执法大队"),
     ("大气污染防治", "水污染防治", "环境监测", "农村环境整治", "土壤污染防治"),
     (("监测点位数量", "个", 5, 80), ("执法检查企业", "家", 30, 600), ("整治村庄数量", "个", 5, 90))),
    ("应急管理局", ("应急救援中心", "安全生产执法大队"),
     ("安全生产监管", "应急物资储备", "防汛抗旱应急", "森林防火", "防灾减灾宣传"),
     (("安全检查企业数量", "家", 50, 1500), ("储备应急物资", "件", 500, 20000), ("应急演练次数", "次", 2, 30))),
    ("人力资源和社会保障局", ("就业服务中心", "社会保险事业中心"),
     ("就业补助", "职业技能培训", "城乡居民养老保险", "劳动保障监察"),
     (("职业技能培训人数", "人", 100, 6000), ("新增城镇就业人数", "人", 200, 9000), ("发放补贴人数", "人", 100, 20000))),
    ("林业局", ("国有林场", "林业工作站"),
     ("森林抚育", "退耕还林", "林业有害生物防治", "造林绿化", "森林防火"),
     (("森林抚育面积", "万亩", 1, 30), ("造林面积", "亩", 500, 30000), ("有害生物防治面积", "亩", 1000, 90000))),
    ("市场监督管理局", ("市场监管综合行政执法大队", "检验检测中心"),
     ("食品安全抽检", "特种设备安全监察", "消费者权益保护", "药品安全监管"),
     (("食品抽检批次", "批次", 200, 5000), ("检查特种设备", "台", 100, 3000), ("处理投诉举报", "件", 100, 6000))),
    ("司法局", ("公共法律服务中心", "法律援助中心"),
     ("法律援助", "人民调解", "社区矫正", "普法宣传"),
     (("办理法律援助案件", "件", 50, 1500), ("调解矛盾纠纷", "件", 100, 5000), ("开展普法活动", "场", 10, 200))),
)
# Projects any department has.
COMMON_PROJECTS = ("综合业务经费", "信息化建设运维", "办公设备购置", "聘用人员经费", "业务培训", "档案数字化服务",
                   "宣传经费", "劳务派遣经费", "专项工作经费", "办公楼维修")
PROJECT_FORMS = ("{p}", "{p}", "{p}项目", "{p}专项资金", "{y}年{p}", "{p}工作经费", "{p}补助资金",
                 "{place}{p}", "{p}（第二批）", "提前下达{y}年{p}资金")

# Indicators any project has, by level 2: (name, pattern, argument).
GENERIC_INDICATORS: dict[str, tuple[tuple[str, str, object], ...]] = {
    "数量指标": (("培训人次", "count", ("人次", 50, 3000)), ("覆盖行政村数", "count", ("个", 5, 300)),
             ("印制宣传资料", "count", ("份", 500, 20000)), ("开展专项检查次数", "count", ("次", 2, 50)),
             ("购置设备数量", "count", ("台", 1, 60)), ("保障在职人数", "count", ("人", 10, 400))),
    "质量指标": (("项目验收合格率", "rate_high", None), ("工程质量合格率", "rate_high", None),
             ("资料归档完整率", "rate_high", None), ("资金使用合规率", "rate_high", None),
             ("任务完成率", "rate_high", None), ("设备故障率", "rate_low", None),
             ("安全事故发生率", "rate_low", None), ("服务质量", "qual", "质量")),
    "时效指标": (("项目完成时间", "deadline", None), ("工程完工时间", "deadline", None),
             ("资金拨付时间", "deadline", None), ("资金拨付及时率", "rate_high", None),
             ("按时完成率", "rate_high", None), ("故障响应时间", "duration", ("小时", 1, 24)),
             ("业务办结时限", "duration", ("个工作日", 3, 15)), ("任务完成及时性", "qual", "时效")),
    "成本指标": (("项目总成本", "cost_total", None), ("单位建设成本", "unit_cost", ("元/个", 200, 9000)),
             ("亩均投资", "unit_cost", ("元/亩", 300, 3000)), ("人均补助标准", "unit_cost", ("元/人", 100, 3000)),
             ("成本控制率", "rate_high", None)),
    "经济效益指标": (("带动群众增收", "count", ("万元", 10, 800)), ("节约行政成本", "count", ("万元", 1, 50)),
               ("促进地方经济发展", "qual", "经济")),
    "社会效益指标": (("群众生活条件改善", "qual", "社会"), ("公共服务水平", "qual", "社会"),
               ("受益群众人数", "count", ("人", 500, 90000)), ("社会稳定", "qual", "社会"),
               ("受益人口", "approx", ("万人", 1, 30)),
               ("群众安全感", "rate_high", None)),
    "生态效益指标": (("生态环境改善", "qual", "生态"), ("森林覆盖率", "rate_level", None),
               ("减少污染物排放", "qual", "生态")),
    "可持续影响指标": (("工程设计使用年限", "count", ("年", 10, 50)), ("长效管理机制", "qual", "可持续"),
                ("持续发挥效益年限", "count", ("年", 3, 20))),
    "服务对象满意度指标": (("服务对象满意度", "satisfaction", None), ("受益群众满意度", "satisfaction", None),
                  ("社会公众满意度", "satisfaction", None)),
}
QUALITATIVE = {
    "质量": ("合格", "达标", "符合标准", "良好"),
    "时效": ("及时", "按时完成"),
    "经济": ("明显", "逐步提升", "有所提高"),
    "社会": ("明显改善", "逐步提升", "显著提高", "有效保障", "好"),
    "生态": ("有效改善", "明显改善", "持续向好"),
    "可持续": ("长期", "持续发挥效益", "长效"),
}
PLACEHOLDERS = ("一般/较好/很好", "好/较好/一般")
MALFORMED = ("20122012 年 5 月 28 日", "{y}年13月底前", "≥")
BASES = ("项目实施方案", "竣工报告", "年初预算", "三定方案", "行业标准", "上年度完成情况", "历史数据", "相关政策文件")
# How the operator of a value is printed inline (≥95%, 不少于500户, 95%以上).
OP_PREFIX = {">=": (("≥", 0.72), ("不少于", 0.08), ("不低于", 0.07), (">=", 0.03), ("", 0.10)),
             "<=": (("≤", 0.75), ("不超过", 0.1), ("不高于", 0.05), ("<=", 0.03), ("", 0.07))}
OP_SUFFIX = {">=": "以上", "<=": "以内"}
OP_SYMBOL = {">=": "≥", "<=": "≤", "=": "＝", "<": "<", ">": ">"}
FUNDING_LABELS = {"中央财政资金": ("中央财政资金", "中央补助资金", "中央资金"),
                  "省级财政资金": ("省级财政资金", "省级资金", "省级补助资金"),
                  "市级财政资金": ("市级财政资金", "市级资金"),
                  "县级财政资金": ("县级财政资金", "县级资金", "区级财政资金"),
                  "上年结转": ("上年结转", "上年结转资金")}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "海燕", "志强", "丽华", "伟", "敏", "静", "磊", "红梅", "军", "秀英", "晓东")

# ------------------------------------------------------------------------------------------
# Truth records: what a careful reader reads from each generated form
# ------------------------------------------------------------------------------------------


class Value(NamedTuple):
    """A target value: its reading and the ways it is printed."""
    kind: str                 # numeric | qualitative | deadline | redacted | malformed | empty
    op: str | None
    value: float | None
    high: float | None
    unit: str | None          # as the reader reports it (canonical: 百分比 → %)
    deadline: date | None
    inline: str               # operator, number and unit in one cell: ≥95%
    symbol: str               # the 指标性质 column: ≥ ≤ ＝ 定性
    bare: str                 # the 指标值 cell when operator and unit have columns of their own
    unit_cell: str            # the 度量单位 cell


@dataclass(slots=True)
class IndicatorTruth:
    level1: str
    level2: str
    level3: str
    raw_value: str | None
    value_kind: str
    op: str | None
    value: float | None
    value_high: float | None
    unit: str | None
    deadline: date | None


@dataclass(slots=True)
class FormTruth:
    kind: str                       # project | department | purchase_service
    template: str
    project_name: str | None
    project_code: str | None
    department_name: str | None = None
    budget_unit_code: str | None = None
    budget_unit_name: str | None = None
    implementing_unit: str | None = None
    budget_year: int | None = None
    budget_total_wan: Decimal | None = None
    fiscal_wan: Decimal | None = None
    other_wan: Decimal | None = None
    basic_expenditure_wan: Decimal | None = None
    project_expenditure_wan: Decimal | None = None
    funding: list[tuple[str, Decimal]] = field(default_factory=list)
    spend_plan: tuple[float, float, float, float] | None = None
    goal: str | None = None
    redacted: bool = False
    rows: list = field(default_factory=list, repr=False)   # the indicator rows as printed
    raw: str = "inline"                                     # how their values are printed

    @property
    def indicators(self) -> list[IndicatorTruth]:
        """The truth of the indicator rows (made when asked: writing documents needs none)."""
        return _indicator_truth(self.rows, self.raw)

    def as_dict(self) -> dict:
        out = {f: getattr(self, f) for f in self.__dataclass_fields__ if f not in ("rows", "raw")}
        out["indicators"] = [asdict(i) for i in self.indicators]
        return out


@dataclass(slots=True)
class DocumentTruth:
    family: str
    rendering: str
    province: str
    city: str | None
    county: str | None
    admin_code: str | None
    forms: list[FormTruth] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    path: str          # relative to the output folder: 河北省/0000001_130324_2024.txt
    data: bytes
    truth: DocumentTruth

    @property
    def suffix(self) -> str:
        return self.path[self.path.rindex("."):]

# ------------------------------------------------------------------------------------------
# Areas: who publishes
# ------------------------------------------------------------------------------------------


class Publisher(NamedTuple):
    province: str
    city: str | None
    county: str | None         # the county-level area or the zone's name
    admin_code: str | None     # of the area (the city's for its own departments)
    code_prefix: str           # the 6 digits project codes start with
    place: str                 # what the department's name starts with: 卢龙县, 徐州市丰县 …
    short_place: str           # the place as a finance bureau is named after it


@lru_cache(maxsize=1)
def _areas() -> tuple[dict[str | None, list], list, list]:
    """Counties by province (None: all), cities (their own level), and the cities a zone can
    be named after (a two- or three-character stem: 大连 → 大连高新技术产业开发区)."""
    regions = [r for r in all_regions() if r.province.endswith(("省", "市", "自治区")) and r.province != "台湾省"]
    counties_ = [r for r in regions if r.region_type == COUNTY and r.county[-1] in "县区市旗"]
    names: dict[str, int] = {}
    for r in counties_:
        names[r.county] = names.get(r.county, 0) + 1
    counties: dict[str | None, list] = {None: []}
    for r in counties_:
        # an area whose name other areas share is printed after its city (大连市西岗区)
        place = r.county if names[r.county] == 1 or r.city == r.province else r.city + r.county
        counties.setdefault(r.province, []).append((r, place))
        counties[None].append((r, place))
    cities = [r for r in regions if r.region_type == CITY_LEVEL and r.city.endswith("市")]
    zone_cities = [(r, r.city[:-1]) for r in cities if 2 <= len(r.city) - 1 <= 3]
    return counties, cities, zone_cities


def _publisher(rng: random.Random, family: str) -> Publisher:
    counties, cities, zone_cities = _areas()
    province = FAMILY_PROVINCE.get(family)
    kind = _pick(rng, PUBLISHER_SHARES)
    if family == "flat_export":
        kind = "county"
    if kind == "city":
        pool = [c for c in cities if province is None or c.province == province]
        c = pool[int(rng.random() * len(pool))]
        return Publisher(c.province, c.city, None, c.admin_code, c.admin_code, c.city, c.city)
    if kind == "zone":
        pool = [z for z in zone_cities if province is None or z[0].province == province]
        c, stem = pool[int(rng.random() * len(pool))]
        zone = stem + ZONE_SUFFIXES[int(rng.random() * len(ZONE_SUFFIXES))]
        return Publisher(c.province, c.city, zone, None, c.admin_code, zone, zone)
    pool = counties[province]
    r, place = pool[int(rng.random() * len(pool))]
    return Publisher(r.province, r.city, r.county, r.admin_code, r.admin_code, place, r.county)

# ------------------------------------------------------------------------------------------
# Values
# ------------------------------------------------------------------------------------------


class Rng(random.Random):
    """Python's generator with quicker draws of an item and of an integer (both from random(),
    so a seed gives the same documents on every platform)."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


def _pick(rng: random.Random, weighted) -> str:
    x = rng.random()
    for item, share in weighted:
        x -= share
        if x < 0:
            return item
    return weighted[-1][0]


def _num(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:.2f}".rstrip("0").rstrip(".")


_FULL_WIDTH = str.maketrans("0123456789%.", "０１２３４５６７８９％．")


def _numeric(rng: random.Random, op: str, x: float, unit: str, printed_unit: str | None = None,
             thousands: bool = False) -> Value:
    """A number with its comparison and unit, printed inline in one of the usual ways."""
    num = _num(x)
    x = float(num)          # the number as printed is the value
    shown = f"{int(x):,}" if thousands and x == int(x) else num
    unit_cell = printed_unit or unit
    if op in OP_PREFIX:
        prefix = _pick(rng, OP_PREFIX[op])
        inline = f"{prefix}{shown}{unit}" if prefix else f"{shown}{unit}{OP_SUFFIX[op]}"
    else:
        inline = f"{shown}{unit}"
    if rng.random() < ANOMALY["full_width"]:
        inline = inline.translate(_FULL_WIDTH)
    return Value("numeric", op, float(x), None, unit or None, None, inline, OP_SYMBOL[op], shown, unit_cell)


_APPROXIMATE_UNITS = ("公里", "万人", "亩", "万亩", "平方公里", "万平方米", "米")


def _count(rng: random.Random, unit: str, lo: float, hi: float) -> Value:
    if hi <= 100 and unit.startswith("万") or unit in ("公里", "平方公里"):
        x = round(rng.uniform(lo, hi), 1)
    else:
        x = rng.randint(int(lo), int(hi))
        if x >= 1000:
            x = round(x, -2)
    r = rng.random()
    if r < 0.05 and unit in _APPROXIMATE_UNITS:     # 约5公里
        return Value("numeric", "=", float(x), None, unit, None, f"约{_num(x)}{unit}", "＝", f"约{_num(x)}", unit)
    if r < 0.09 and x >= 4:     # a range: 3-5个
        a = int(x * 0.8)
        b = int(x)
        return Value("numeric", ">=", float(a), float(b), unit, None, f"{a}-{b}{unit}", "≥", f"{a}-{b}", unit)
    op = ">=" if r < 0.6 else "="
    return _numeric(rng, op, x, unit, thousands=x >= 10000 and rng.random() < 0.3)


def _approx(rng: random.Random, unit: str, lo: float, hi: float) -> Value:
    x = round(rng.uniform(lo, hi), 1)
    if rng.random() < 0.5:
        return _numeric(rng, ">=", x, unit)
    return Value("numeric", "=", x, None, unit, None, f"约{_num(x)}{unit}", "＝", f"约{_num(x)}", unit)


def _rate(rng: random.Random, op: str, x: float, unit: str = "%") -> Value:
    printed = "百分比" if unit == "%" and rng.random() < 0.15 else unit
    return _numeric(rng, op, x, unit, printed_unit=printed)


def _rate_high(rng: random.Random) -> Value:
    if rng.random() < ANOMALY["rate_over_100"]:
        return _rate(rng, "=", 120)
    if rng.random() < 0.4:
        return _rate(rng, "=", 100)
    return _rate(rng, ">=", rng.choice((80, 85, 90, 95, 98)))


def _rate_low(rng: random.Random) -> Value:
    r = rng.random()
    if r < 0.15:
        return _rate(rng, "<=", rng.choice((1, 3, 5)), "‰")
    if r < 0.22:
        x = rng.choice((1, 2, 3))
        return Value("numeric", "<", float(x), None, "%", None, f"低于{x}%", "<", str(x), "%")
    return _rate(rng, "<=", rng.choice((1, 2, 3, 5)))


def _deadline(rng: random.Random, year: int) -> Value:
    y = year + 1 if rng.random() < ANOMALY["deadline_next_year"] else year
    r = rng.random()
    month = 12 if r < 0.6 else rng.choice((6, 9, 10, 11))
    last = calendar.monthrange(y, month)[1]
    if y != year or r < 0.3:
        text = f"{y}年{month}月底前"
    elif r < 0.4:
        text, month, last = "年底前", 12, 31
    elif r < 0.5:
        text, month, last = "12月31日前完成", 12, 31
    elif r < 0.6:
        text, month, last = "12月底前", 12, 31
    elif r < 0.8:
        text = f"{y}年{month}月完成"
    else:
        text = f"{y}年{month}月底前完成"
    return Value("deadline", "<=", None, None, None, date(y, month, last), text, "≤", text, "")


def _words(text: str) -> Value:
    return Value("qualitative", None, None, None, None, None, text, "定性", text, "")


def _malformed(rng: random.Random, year: int) -> Value:
    text = rng.choice(MALFORMED).format(y=year)
    return Value("malformed", None, None, None, None, None, text, "＝", text, "")


REDACTED = Value("redacted", None, None, None, None, None, "密", "", "密", "")


VALUE_VARIANTS = 128    # values drawn once per value pattern and year, then picked from


@lru_cache(maxsize=None)
def _value_pool(pattern: str, arg, year: int) -> tuple[Value, ...]:
    """Values of one indicator template, drawn once from a generator seeded by the template (so
    the pool is the same whatever the order documents are made in)."""
    rng = Rng(zlib.crc32(f"{pattern}|{arg}|{year}".encode("utf-8")))
    return tuple(_draw_value(rng, pattern, arg, year) for _ in range(VALUE_VARIANTS))


def _draw_value(rng: Rng, pattern: str, arg, year: int) -> Value:
    if pattern == "count":
        return _count(rng, *arg)
    if pattern == "approx":
        return _approx(rng, *arg)
    if pattern == "rate_high":
        return _rate_high(rng)
    if pattern == "satisfaction":
        return _rate(rng, ">=", rng.choice((85, 90, 90, 95, 95, 98)))
    if pattern == "rate_low":
        return _rate_low(rng)
    if pattern == "rate_level":
        return _rate(rng, ">=", rng.randint(20, 70))
    if pattern == "deadline":
        return _deadline(rng, year)
    if pattern == "duration":
        unit, lo, hi = arg
        return _numeric(rng, "<=", rng.randint(lo, hi), unit)
    if pattern == "unit_cost":
        unit, lo, hi = arg
        x = round(rng.uniform(lo, hi), 2) if rng.random() < 0.3 else rng.randint(lo, hi)
        return _numeric(rng, "<=" if rng.random() < 0.5 else "=", x, unit)
    if pattern == "qual":
        return _words(rng.choice(QUALITATIVE[arg]))
    raise ValueError(pattern)

# ------------------------------------------------------------------------------------------
# Content of forms (shared by the families)
# ------------------------------------------------------------------------------------------


class Row(NamedTuple):
    """One indicator row as printed."""
    level1: str
    level2: str
    level3: str
    value: Value
    description: str
    basis: str


class Project(NamedTuple):
    name: str
    code: str | None
    total: int           # hundredths of the printed money unit
    fiscal: int | None
    other: int | None
    goal: str
    purpose: str
    rows: list[Row]
    redacted: bool


# Level-2 blocks of a project's table: (level 1, level 2, low, high count).
_PLAN = (("产出指标", "数量指标", 1, 4), ("产出指标", "质量指标", 1, 2), ("产出指标", "时效指标", 1, 1),
         ("产出指标", "成本指标", 0, 1), ("效益指标", "经济效益指标", 0, 1), ("效益指标", "社会效益指标", 1, 2),
         ("效益指标", "生态效益指标", 0, 1), ("效益指标", "可持续影响指标", 0, 1),
         ("满意度指标", "服务对象满意度指标", 1, 2))
_PLAN_LEVEL2 = {level2: level2 for _, level2, _, _ in _PLAN} | {"经济成本指标": "成本指标"}


@lru_cache(maxsize=None)
def _pool(level2: str, dept_no: int) -> tuple:
    """The indicators a level-2 block draws from: a department's own quantities first."""
    pool = GENERIC_INDICATORS[level2]
    if level2 == "数量指标":
        own = tuple((name, "count", (unit, lo, hi)) for name, unit, lo, hi in DEPARTMENTS[dept_no][3])
        pool = own + pool[:3]
    # each with the longer description some forms print: 培训人次（数量）
    return tuple((name, pattern, arg, f"{name}（{level2[:-2]}）") for name, pattern, arg in pool)


def _indicator_rows(rng: Rng, dept_no: int, year: int, budget_wan: Decimal, *,
                    cost_as_level1: bool, redacted: bool) -> list[Row]:
    if redacted:
        return _redacted_rows(rng, budget_wan, cost_as_level1)
    rand, new_row = rng.random, tuple.__new__
    rows: list[Row] = []
    for (_, level2, lo, hi), templates in zip(_PLAN, _templates(dept_no, year, cost_as_level1)):
        n = lo + int(rand() * (hi - lo + 1)) if hi > lo else lo
        if level2 == "数量指标":
            n = max(n, 2)       # at least two quantities: 6 to 15 rows in all
        size = len(templates)
        start = int(rand() * size)
        for k in range(min(n, size)):
            level1, level2, name, values, described = templates[(start + k) % size]
            r = rand()
            if r < ANOMALY["malformed"]:
                value = _malformed(rng, year)
            elif level1 == "效益指标" and r > 1 - ANOMALY["placeholder"]:
                value = _words(PLACEHOLDERS[int(rand() * len(PLACEHOLDERS))])
            elif values is None:     # a total cost, from this form's budget
                value = _cost_total(rng, budget_wan)
            else:
                value = values[int(r * VALUE_VARIANTS)]
            # one draw for the description and the basis: its low digits are as random as the rest
            d = int(rand() * 1000)
            rows.append(new_row(Row, (level1, level2, name, value, name if d < 600 else described,
                                      BASES[d % len(BASES)])))
    if rand() < ANOMALY["duplicate_row"]:
        k = int(rand() * len(rows))
        rows.insert(k + 1, rows[k])
    return rows


@lru_cache(maxsize=None)
def _templates(dept_no: int, year: int, cost_as_level1: bool) -> tuple[tuple[tuple, ...], ...]:
    """For each block of _PLAN, its indicator templates as (level 1, level 2, name, the pool of
    values to draw from (None for a total cost, drawn from each form's budget), the longer
    description some forms print)."""
    out = []
    for level1, level2, _, _ in _PLAN:
        if level2 == "成本指标" and cost_as_level1:
            level1, level2 = "成本指标", "经济成本指标"
        out.append(tuple((level1, level2, name, None if pattern == "cost_total" else _value_pool(pattern, arg, year),
                          described) for name, pattern, arg, described in _pool(_PLAN_LEVEL2[level2], dept_no)))
    return tuple(out)


def _cost_total(rng: Rng, budget_wan: Decimal) -> Value:
    """A total-cost target: the budget, or (now and then) an amount that disagrees with it."""
    wan = budget_wan * Decimal(rng.choice((1.2, 1.5, 2, 3))) if rng.random() < ANOMALY["cost_mismatch"] \
        else budget_wan
    return _numeric(rng, "<=" if rng.random() < 0.6 else "=", float(round(wan, 2)), "万元")


def _redacted_rows(rng: Rng, budget_wan: Decimal, cost_as_level1: bool) -> list[Row]:
    """A 密 form's table: names, descriptions and values redacted, but for the cost (卢龙's 60万)."""
    rows = []
    for level1, level2, lo, _ in _PLAN:
        if level2 == "成本指标" and cost_as_level1:
            level1, level2 = "成本指标", "经济成本指标"
        for _ in range(max(lo, 1)):
            value = _numeric(rng, "=", float(budget_wan), "万") if level2 in ("成本指标", "经济成本指标") \
                else REDACTED
            rows.append(Row(level1, level2, "密", value, "密", "密"))
    return rows


def _project_names(rng: random.Random, dept: tuple, n: int, year: int, place: str) -> list[str]:
    """n different project names of the department: 农村公路养护, 2024年学生资助, 河道治理专项资金 …"""
    bases = dept[2] + COMMON_PROJECTS
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        base = bases[int(rng.random() * len(bases))]
        form = PROJECT_FORMS[int(rng.random() * len(PROJECT_FORMS))]
        if base.endswith(("经费", "资金", "维修", "购置")) and ("经费" in form or "资金" in form or "项目" in form):
            form = "{p}"        # not 综合业务经费工作经费
        name = form.format(p=base, y=year, place=place)
        if name in seen:
            name = f"{name}（{len(names) + 1}）"
        seen.add(name)
        names.append(name)
    return names


def _amount(rng: random.Random, lo: float = 0.5, hi: float = 3.5, yuan: bool = False) -> int:
    """An amount between 10**lo and 10**hi 万元, in hundredths of the unit printed (万元 or 元):
    often a round number, else with its decimals."""
    wan = 10 ** rng.uniform(lo, hi)
    if yuan:
        return int(wan * 10000) * 100 if rng.random() < 0.7 else int(wan * 1_000_000)
    return int(wan) * 100 if rng.random() < 0.5 else int(wan * 100)


def _money_parts(rng: random.Random, total: int) -> tuple[int, int | None]:
    """(fiscal, other) of a total: mostly all fiscal, other left blank."""
    if rng.random() < 0.8:
        return total, None
    other = total * rng.randint(5, 40) // 100
    return total - other, other


_GOAL_QUALITY = ("项目实施质量符合相关标准", "资金使用规范高效", "保障各项工作正常运转", "切实提高服务水平")
_GOAL_EFFECT = ("服务对象满意度不低于90%", "群众满意度进一步提高", "社会效益明显")
_PURPOSES = ("用于{}相关支出", "保障{}顺利实施", "日常运行", "支付{}所需费用，保障工作正常开展")


def _goal(rng: Rng, name: str, rows: list[Row]) -> str:
    """完成…各项任务，<the first quantity and its target>，<quality>，<effect>。"""
    q = next((r for r in rows if r.level2 == "数量指标"), None)
    target = f"{q.level3}{q.value.inline}，" if q is not None and q.value.kind == "numeric" else ""
    d = int(rng.random() * 12)
    return f"完成{name}各项任务，{target}{_GOAL_QUALITY[d % 4]}，{_GOAL_EFFECT[d % 3]}。"


def _project(rng: Rng, dept_no: int, name: str, code: str | None, year: int, *,
             cost_as_level1: bool = False, total: int | None = None, unit_yuan: bool = False,
             redactable: bool = True) -> Project:
    redacted = redactable and rng.random() < ANOMALY["redacted_form"]
    if total is None:
        total = 0 if rng.random() < ANOMALY["zero_budget"] else _amount(rng, yuan=unit_yuan)
    budget_wan = Decimal(total).scaleb(-6 if unit_yuan else -2)
    fiscal, other = _money_parts(rng, total)
    rows = _indicator_rows(rng, dept_no, year, budget_wan, cost_as_level1=cost_as_level1, redacted=redacted)
    goal = "1.密" if redacted else _goal(rng, name, rows)
    purpose = "密" if redacted else _PURPOSES[int(rng.random() * len(_PURPOSES))].format(name)
    return Project(name, code, total, fiscal, other, goal, purpose, rows, redacted)


def _project_code(rng: random.Random, prefix: str, year: int) -> str:
    return f"{prefix}{year % 100:02d}P{rng.randint(0, 10 ** 11 - 1):011d}{rng.choice('0123456789PR')}"


def _money(hundredths: int | None, thousands: bool = False) -> str:
    if hundredths is None:
        return ""
    whole, cents = divmod(hundredths, 100)
    return f"{whole:,}.{cents:02d}" if thousands else f"{whole}.{cents:02d}"


def _wan(hundredths: int | None, unit_yuan: bool = False) -> Decimal | None:
    return None if hundredths is None else Decimal(hundredths).scaleb(-6 if unit_yuan else -2)


def _indicator_truth(rows: list[Row], raw: str) -> list[IndicatorTruth]:
    """Truth of the rows, the raw value as printed in the `raw` way (inline, bare, value_only)."""
    out = []
    for r in rows:
        v = r.value
        text = v.inline if raw == "inline" else v.bare if raw == "bare" else _value_only(v)
        out.append(IndicatorTruth(r.level1, r.level2, r.level3, text or None, v.kind, v.op, v.value,
                                  v.high, v.unit, v.deadline))
    return out


def _value_only(v: Value) -> str:
    """The value cell of a form with a 度量单位 column but no 指标性质 column: ≥95 beside %."""
    if v.kind != "numeric" or not v.unit_cell or v.high is not None:
        return v.inline if v.high is None else v.bare
    return (v.symbol if v.symbol in ("≥", "≤", "<", ">") else "") + v.bare


def _form_truth(p: Project, template: str, year: int, raw: str, *, kind: str = "project",
                unit_yuan: bool = False, **fields) -> FormTruth:
    """The truth of a project form; `fields` are those its family prints (department_name …)."""
    return FormTruth(kind, template, p.name, p.code, budget_year=year, budget_total_wan=_wan(p.total, unit_yuan),
                     fiscal_wan=fields.pop("fiscal_wan", _wan(p.fiscal, unit_yuan)),
                     other_wan=fields.pop("other_wan", _wan(p.other, unit_yuan)),
                     goal=fields.pop("goal", p.goal), redacted=p.redacted, rows=p.rows, raw=raw, **fields)


def _blocks(rows: list[Row], repeat_level2: bool) -> list[tuple[str, str, Row]]:
    """Each row with the level names it prints: merged cells print a name on its first row."""
    out = []
    prev1 = prev2 = None
    for r in rows:
        l1 = r.level1 if r.level1 != prev1 else ""
        l2 = r.level2 if (r.level2 != prev2 or r.level1 != prev1 or repeat_level2) else ""
        prev1, prev2 = r.level1, r.level2
        out.append((l1, l2, r))
    return out


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + f"1{rng.randint(3, 9)}{rng.randint(0, 10 ** 9 - 1):09d}"

# ------------------------------------------------------------------------------------------
# Families: a document's lines (a str is a line of text, a list a table row of cells)
# ------------------------------------------------------------------------------------------


class Context(NamedTuple):
    rng: random.Random
    pub: Publisher
    dept: tuple
    dept_no: int
    dept_name: str          # 卢龙县自然资源和规划局
    year: int
    n_forms: int
    rendering: str


def _spend_plan(rng: random.Random) -> tuple[float, float, float, float]:
    r = rng.random()
    if r < ANOMALY["spend_not_monotonic"]:
        return (50.0, 40.0, 80.0, 100.0)
    if r < ANOMALY["spend_not_monotonic"] + ANOMALY["spend_not_100"]:
        return (25.0, 50.0, 75.0, rng.choice((90.0, 110.0)))
    return rng.choice(((25.0, 50.0, 75.0, 100.0), (30.0, 60.0, 90.0, 100.0), (0.0, 0.0, 100.0, 100.0),
                       (10.0, 40.0, 80.0, 100.0), (20.0, 50.0, 80.0, 100.0)))


def _pct(x: float, word: bool) -> str:
    return (" 0" if word else "0") if x == 0 else f"{_num(x)}%"


def _hebei_preamble(c: Context, names: list[str]) -> list:
    pdf = c.rendering == "pdf_rows"
    year = f"{c.year} 年" if pdf else f"{c.year}年"
    out: list = ["", "", c.dept_name, f"{year}部门预算绩效文本", "(草案)" if pdf else "（草案）", "", "",
                 f"{c.dept_name}编制", f"{c.pub.short_place}财政局审核", "", "目    录" if not pdf else "目 录", "",
                 "第一部分 部门整体绩效目标"]
    dots = "....." if pdf else ""
    out += [f"{h}{dots}\t{p}" for h, p in (("一、总体绩效目标", 1), ("二、分项绩效目标", 1), ("三、工作保障措施", 3))]
    out += ["", "第二部分 预算项目绩效目标"]
    out += [f"{i}.{n}绩效目标表{dots}\t{i + 4}" for i, n in enumerate(names, 1)]
    out += ["", "第一部分", "部门整体绩效目标", "", "一、总体绩效目标",
            f"{c.year}年我局坚持稳中求进工作总基调，紧紧围绕{c.pub.short_place}中心工作，认真履行部门职责，"
            f"全面完成年度各项工作任务，确保预算资金使用安全高效。",
            "二、分项绩效目标", "（一）重点工作任务全面完成",
            "绩效目标：按期完成年度重点工作任务，各项业务工作规范有序开展。",
            "绩效指标：重点任务完成率达到100%，服务对象满意度不低于90%。",
            "三、工作保障措施",
            "一是加强组织领导，明确责任分工。二是强化预算执行，确保资金安全。三是加强绩效监控，及时纠正偏差。",
            "", "第二部分", "", "预算项目绩效目标", ""]
    return out


def _hebei(c: Context) -> tuple[list, list[FormTruth]]:
    rng, pdf = c.rng, c.rendering == "pdf_rows"
    names = _project_names(rng, c.dept, c.n_forms, c.year, c.pub.short_place)
    dept_code = 301 + c.dept_no
    unit_code, unit_name = f"{dept_code}001", f"{c.dept_name}本级"
    lines = _hebei_preamble(c, names)
    forms = []
    for i, name in enumerate(names, 1):
        p = _project(rng, c.dept_no, name, _project_code(rng, c.pub.code_prefix, c.year), c.year)
        plan = (0.0, 0.0, 100.0, 100.0) if p.redacted else _spend_plan(rng)
        other = _money(p.other) if p.other is not None else ("" if pdf else " ")
        if pdf:
            lines += [f"{i}.{name}绩效目标表", "", f"{unit_code} {unit_name}", "", "单位：万元", ""]
            lines.append(["项目编码", p.code, "", "项目名称", name, "", ""])
            lines.append([rng.choice(("预算规模及资金用途", "预算规模及 资金用途")), "预算数", _money(p.total),
                          rng.choice(("其中：财政资金", "其中：财政 资金")), _money(p.fiscal), "其他资金", other])
            lines.append(["", p.purpose, "", "", "", "", ""])
            month = rng.choice(("{}月底", "{} 月底"))
            if rng.random() < 0.5:   # the plan's labels and values one cell apart, as PDF tables cut them
                lines.append(["资金支出计划（%）", month.format(3), "", month.format(6), "", month.format(10),
                              month.format(12)])
                lines.append(["", "", _pct(plan[0], False), "", _pct(plan[1], False), _pct(plan[2], False),
                              _pct(plan[3], False)])
            else:
                lines.append(["资金支出计划（%）"] + [month.format(m) for m in (3, 6, 10, 12)] + ["", ""])
                lines.append([""] + [_pct(x, False) for x in plan] + ["", ""])
            lines.append(["绩效目标", p.goal, "", "", "", "", ""])
            lines.append(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据", ""])
            p = p._replace(rows=[_pdf_artefacts(rng, r) for r in p.rows])
            for l1, l2, r in _blocks(p.rows, repeat_level2=True):
                lines.append([l1, l2, _pdf_wrap(rng, r.level3), r.description, r.value.inline, r.basis, ""])
            lines.append("")
            goal = p.goal
        else:
            lines.append(f"[bookmark: _Toc_4_4_{i + 3:010d}]{i}.{name}绩效目标表")
            lines.append([f"{unit_code}{unit_name}", "单位：万元"])
            lines.append(["项目编码", p.code, "项目名称", name])
            lines.append(["预算规模及资金用途", "预算数", _money(p.total), "其中：财政    资金", _money(p.fiscal),
                          "其他资金", other])
            lines.append(["", p.purpose])
            lines.append(["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"])
            lines.append([""] + [_pct(x, True) for x in plan])
            goal = p.goal if p.redacted or rng.random() < 0.5 else p.goal.replace("，", "；\n", 1)
            lines.append(["绩效目标", goal])
            lines += ["", " "]
            lines.append(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])
            for l1, l2, r in _blocks(p.rows, repeat_level2=False):
                lines.append([l1, l2, r.level3, r.description, r.value.inline, r.basis])
            lines += ["", "", " "]
        forms.append(_form_truth(p, "hebei_project", c.year, "inline", department_name=c.dept_name,
                                 budget_unit_code=unit_code, budget_unit_name=unit_name,
                                 spend_plan=plan, goal=goal))
    return lines, forms


def _pdf_artefacts(rng: random.Random, r: Row) -> Row:
    """A value as PDF extraction prints it now and then: a space between number and unit."""
    if r.value.kind == "numeric" and rng.random() < 0.2:
        return r._replace(value=_spaced(r.value))
    return r


_NUMBER_THEN_UNIT = re.compile(r"(\d)([^\d\s.,%‰])")


@lru_cache(maxsize=1 << 14)
def _spaced(v: Value) -> Value:
    return v._replace(inline=_NUMBER_THEN_UNIT.sub(r"\1 \2", v.inline, count=1))


def _pdf_wrap(rng: random.Random, text: str) -> str:
    """A name wrapped in its cell, which PDF extraction prints with a space (汛前地质灾 害点核查)."""
    if len(text) >= 6 and rng.random() < 0.1:
        k = rng.randint(2, len(text) - 2)
        if "\u4e00" <= text[k - 1] <= "\u9fff" and "\u4e00" <= text[k] <= "\u9fff":
            return text[:k] + " " + text[k:]
    return text


def _period(rng: random.Random, year: int) -> tuple[str, int]:
    """The implementation period as printed, and how many years it spans."""
    if rng.random() < 0.8:
        return rng.choice((f"{year}年1月1日至{year}年12月31日", f"{year}.1.1-{year}.12.31",
                           f"{year}年1月至{year}年12月")), 1
    return f"{year}年1月至{year + 2}年12月", 3


def _liaoning(c: Context) -> tuple[list, list[FormTruth]]:
    rng = c.rng
    lines: list = []
    forms = []
    filler = c.dept_name if rng.random() < 0.7 else None
    impl_units = (c.dept_name, c.pub.place + c.dept[1][0])
    for name in _project_names(rng, c.dept, c.n_forms, c.year, c.pub.short_place):
        p = _project(rng, c.dept_no, name, None, c.year)
        period, span = _period(rng, c.year)
        impl = impl_units[0] if rng.random() < 0.7 else impl_units[1]
        period_total = p.total * span
        lines += ["", "本级预算项目绩效目标表", "", f"({c.year}年度)", "",
                  f"填报单位：{filler}" if filler else "填报单位 (盖章)", "",
                  rng.choice(("单位：万元", "单位: 万元")), ""]
        lines.append(["项目名称", name, "", "项目实施期", period])
        lines.append(["主管部门", c.dept_name, "", "实施单位", impl])
        if rng.random() < 0.3:
            lines.append(["项目属性", "", "", "项目类别", ""])
        lines.append([rng.choice(("资金投入（万元）", "资金投入(万元)", "资金投入 (万元)")), "实施期金额",
                      _money(period_total), "年度金额", _money(p.total)])
        fiscal_period = None if p.fiscal is None else p.fiscal * span
        lines.append(["", "其中：财政拨款", _money(fiscal_period), "其中：财政拨款", _money(p.fiscal)])
        lines.append(["", "其他资金", _money(None if p.other is None else p.other * span), "其他资金",
                      _money(p.other)])
        lines.append(["绩效目标", "实施期目标", "", "年度目标", ""])
        lines.append(["", p.goal, "", p.goal, ""])
        lines.append(["一级指标", "二级指标", "三级指标", "", "年度指标值"])
        for l1, l2, r in _blocks(p.rows, repeat_level2=False):
            lines.append([l1, l2, r.level3, "", r.value.inline])
        lines += ["", ""]
        forms.append(_form_truth(p, "liaoning_project", c.year, "inline", department_name=c.dept_name,
                                 budget_unit_name=filler, implementing_unit=impl))
    return lines, forms


def _national(c: Context) -> tuple[list, list[FormTruth]]:
    rng = c.rng
    unit_yuan = rng.random() < 0.5
    with_code = c.pub.admin_code is not None and rng.random() < 0.85
    lines: list = []
    forms = []
    for name in _project_names(rng, c.dept, c.n_forms, c.year, c.pub.short_place):
        code = _project_code(rng, c.pub.code_prefix, c.year) if with_code else None
        p = _project(rng, c.dept_no, name, code, c.year, cost_as_level1=True, unit_yuan=unit_yuan)
        impl = c.pub.place + c.dept[1][int(rng.random() * 2)] if rng.random() < 0.5 else c.dept_name
        money_unit = "元" if unit_yuan else "万元"
        lines += [rng.choice(("项目支出绩效目标表", "项目支出绩效目标申报表")), f"（{c.year}年度）", f"单位：{money_unit}"]
        lines.append(["项目名称", name, "", ""])
        if code:
            lines.append(["项目编码", code, "", ""])
        lines.append(["主管部门", c.dept_name, "实施单位", impl])
        lines.append([f"项目资金（{money_unit}）", "资金来源", "金额", ""])
        lines.append(["", "年度资金总额", _money(p.total, thousands=unit_yuan), ""])
        funding = _funding_lines(rng, p.fiscal or 0)
        for label, source, amount in funding:
            lines.append(["", label, _money(amount, thousands=unit_yuan), ""])
        other = p.other if p.other is not None else (0 if rng.random() < 0.5 else None)
        lines.append(["", "其他资金", _money(other, thousands=unit_yuan), ""])
        lines.append(["年度绩效目标", p.goal, "", ""])
        lines.append(["绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位",
                      "指标值设定依据及数据来源"])
        for l1, _, r in _blocks(p.rows, repeat_level2=True):
            v = r.value
            lines.append(["", l1, r.level2, r.level3, v.symbol, v.bare, v.unit_cell, r.basis])
        lines += ["注：指标性质填写≥、≤、＝或定性。", ""]
        lines_wan = [(s, Decimal(a).scaleb(-6 if unit_yuan else -2)) for _, s, a in funding if a is not None]
        covered = sum(a for _, _, a in funding if a is not None) == p.total
        fiscal = sum((a for _, a in lines_wan), Decimal(0)) if covered and lines_wan else None
        forms.append(_form_truth(p, "national_101", c.year, "bare", unit_yuan=unit_yuan,
                                 department_name=c.dept_name, implementing_unit=impl, funding=lines_wan,
                                 fiscal_wan=fiscal, other_wan=_wan(other, unit_yuan)))
    return lines, forms


def _funding_lines(rng: Rng, fiscal: int) -> list[tuple[str, str, int | None]]:
    """The fiscal part split over funding lines (中央, 省级, 市级, 县级, 上年结转), each printed
    under one of its names; a line without money is printed blank or left out."""
    rand = rng.random
    used = [s for s in FUNDING_LABELS if rand() < 0.5] or ["县级财政资金"]
    cuts = sorted(int(rand() * fiscal) for _ in range(len(used) - 1))
    amounts = dict(zip(used, (b - a for a, b in zip([0] + cuts, cuts + [fiscal]))))
    out = []
    for s, labels in FUNDING_LABELS.items():
        label = labels[int(rand() * len(labels))]
        if s in amounts:
            out.append((label, s, amounts[s]))
        elif rand() < 0.5:
            out.append((label, s, None))
    return out


def _flat(c: Context) -> tuple[list, list[FormTruth]]:
    rng = c.rng
    merged = rng.random() < 0.6
    dept_code = rng.randint(101, 999)
    units = [(f"{dept_code}001", c.dept_name)] + \
        [(f"{dept_code}{k + 2:03d}", c.pub.place + u) for k, u in enumerate(c.dept[1][:rng.randint(0, 2)])]
    projects = []
    for name in _project_names(rng, c.dept, c.n_forms, c.year, c.pub.short_place):
        unit = units[min(int(rng.random() * len(units) * 1.5), len(units) - 1)]
        projects.append((unit, _project(rng, c.dept_no, name, None, c.year, unit_yuan=True)))
    projects.sort(key=lambda x: x[0][0])
    header = ["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值",
              "度量单位", "权重", "指标方向性"]
    total = sum(p.total for _, p in projects)
    lines: list = [f"部门预算项目绩效目标申报表({c.year}年度)", "金额单位:元", header,
                   [f"{dept_code}-{c.dept_name}", "", _money(total, thousands=True)] + [""] * 9]
    forms = []
    prev_unit = None
    for (ucode, uname), p in projects:
        for k, r in enumerate(p.rows):
            v = r.value
            own = [f"{ucode}-{uname}", p.name, _money(p.total, thousands=True), p.goal]
            if merged and k > 0:
                own = ["", "", "", ""]
            elif merged and ucode == prev_unit:
                own[0] = ""
            direction = "反向指标" if v.op in ("<=", "<") and v.unit in ("%", "‰") else "正向指标"
            lines.append(own + [r.level1, r.level2, r.level3, v.symbol, v.bare, v.unit_cell,
                                str(rng.choice((5, 10, 10, 20))), direction])
        prev_unit = ucode
        forms.append(_form_truth(p, "flat_export", c.year, "bare", unit_yuan=True, department_name=c.dept_name,
                                 budget_unit_code=ucode, budget_unit_name=uname, fiscal_wan=None, other_wan=None))
    return lines, forms


def _department(c: Context) -> tuple[list, list[FormTruth]]:
    rng = c.rng
    names = _project_names(rng, c.dept, c.n_forms - 1, c.year, c.pub.short_place)
    services = [_project(rng, c.dept_no, n, None, c.year) for n in names]
    project_exp = sum(p.total for p in services)
    basic = _amount(rng, 2, 3.5)
    total = basic + project_exp
    other = total * rng.randint(0, 8) // 100 or None
    fiscal = total - (other or 0)
    d = _project(rng, c.dept_no, c.dept_name, None, c.year, total=total, redactable=False)
    d_rows = [r for r in d.rows if r.level2 != "成本指标"]
    goal = f"全面履行{c.dept[0]}职责，完成年度重点工作任务，" + d.goal.split("，", 1)[-1]
    lines: list = [rng.choice(("部门整体支出绩效目标表", "部门整体支出绩效目标申报表")), f"（{c.year}年度）",
                   [rng.choice(("部门（单位）名称", "部门名称")), c.dept_name, "", ""],
                   ["年度预算申请（万元）", "资金总额", "基本支出", "项目支出"],
                   ["", _money(total, True), _money(basic, True), _money(project_exp, True)],
                   ["其中：财政拨款", _money(fiscal, True), "", ""],
                   ["其他资金", _money(other, True), "", ""],
                   ["部门职能概述", f"负责全{c.pub.short_place[-1]}{c.dept[2][0]}、{c.dept[2][1]}等工作。", "", ""],
                   ["年度主要任务", "", "", ""], ["任务名称", "主要内容", "预算金额（万元）", ""]]
    for p in services[:3]:
        lines.append([p.name, p.purpose, _money(p.total, True), ""])
    lines.append(["年度绩效目标", goal, "", ""])
    lines.append(["一级指标", "二级指标", "三级指标", "指标值"])
    for l1, l2, r in _blocks(d_rows, repeat_level2=False):
        lines.append([l1, l2, r.level3, r.value.inline])
    lines.append("")
    forms = [FormTruth("department", "department", None, None, c.dept_name, None, None, None, c.year,
                       _wan(total), _wan(fiscal), _wan(other), _wan(basic), _wan(project_exp), goal=goal,
                       redacted=d.redacted, rows=d_rows)]
    with_year = rng.random() < 0.5
    for p in services:
        unit = c.pub.place + c.dept[1][int(rng.random() * 2)]
        lines += ["购买服务项目绩效目标表", ""] + ([f"（{c.year}年度）", ""] if with_year else []) + \
            [f"项目单位：{unit}", ""]
        lines.append(["项目名称", p.name, "", "年度预算金额 (万元)", _money(p.total)])
        lines.append(["年度绩效目标", p.goal, "", "", ""])
        lines.append(["一级指标", "二级指标", "三级指标", "年度指标值", "度量单位"])
        for l1, l2, r in _blocks(p.rows, repeat_level2=False):
            lines.append([l1, l2, r.level3, _value_only(r.value), r.value.unit_cell if r.value.kind == "numeric" else ""])
        lines.append("")
        forms.append(_form_truth(p, "purchase_service", c.year, "value_only", kind="purchase_service",
                                 department_name=c.dept_name, budget_unit_name=unit, fiscal_wan=None, other_wan=None))
    return lines, forms


def _generic(c: Context) -> tuple[list, list[FormTruth]]:
    rng = c.rng
    lines: list = []
    forms = []
    for name in _project_names(rng, c.dept, c.n_forms, c.year, c.pub.short_place):
        p = _project(rng, c.dept_no, name, None, c.year)
        impl = c.pub.place + c.dept[1][int(rng.random() * 2)] if rng.random() < 0.5 else c.dept_name
        lines += [rng.choice(("项目支出绩效目标申报表", "项目支出绩效目标批复表")), f"({c.year}年度)"]
        lines.append(["项目名称", name, "项目负责人及电话", _person(rng)])
        lines.append(["主管部门", c.dept_name, "实施单位", impl])
        lines.append(["资金情况(万元)", "年度资金总额:", _money(p.total)])
        lines.append(["", "其中:财政拨款", _money(p.fiscal)])
        lines.append(["", "其他资金", _money(p.other if p.other is not None else 0)])
        lines.append(["总体目标", "年度目标", "年度总体目标完成情况"])
        lines.append(["", p.goal, ""])
        lines.append(["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "备注"])
        for l1, l2, r in _blocks(p.rows, repeat_level2=False):
            lines.append(["", l1, l2, r.level3, r.value.inline, ""])
        lines.append("")
        forms.append(_form_truth(p, "project_generic", c.year, "inline", department_name=c.dept_name,
                                 implementing_unit=impl, other_wan=_wan(p.other if p.other is not None else 0)))
    return lines, forms


BUILDERS = {"hebei_project": _hebei, "liaoning_project": _liaoning, "national_101": _national,
            "flat_export": _flat, "department": _department, "project_generic": _generic}

# ------------------------------------------------------------------------------------------
# Renderings: lines → bytes
# ------------------------------------------------------------------------------------------


def _tab_rows(lines: list) -> str:
    return "\n".join([x if x.__class__ is str else "\t".join(x) for x in lines]) + "\n"


def _word_cells(lines: list) -> str:
    """One cell a line behind a tab, a blank line after each row (Word's text extraction)."""
    out: list[str] = []
    for x in lines:
        if isinstance(x, str):
            out.append(x)
        else:
            out.extend("\t" + cell for cell in x)
            out.append("")
    return "\n".join(out) + "\n"


def _pipes_collapsed(lines: list) -> str:
    """Cells between ` | ` with the empty ones gone and a run of `|` ending each row, as a web
    page's table is copied."""
    out = []
    for x in lines:
        if isinstance(x, str):
            out.append(x)
            continue
        filled = [cell for cell in x if cell.strip()]
        out.append(" | ".join(filled) + " ||" + "|" * (len(x) - len(filled)))
    return "\n".join(out) + "\n"


def _spaces(lines: list) -> str:
    """Cells separated by runs of spaces, a row that starts empty indented."""
    out = []
    for x in lines:
        if isinstance(x, str):
            out.append(x)
            continue
        lead = "    " if len(x) > 1 and not x[0].strip() else ""
        out.append(lead + "   ".join(cell for cell in x if cell.strip()))
    return "\n".join(out) + "\n"


_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_AMOUNT_CELL = re.compile(r"^\d{1,3}(,\d{3})*\.\d{2}$|^\d+\.\d{2}$")


def _cell(text: str):
    """A cell as a spreadsheet holds it: amounts (435.00, 3,309,840.00) as numbers."""
    if not text:
        return None
    return float(text.replace(",", "")) if _AMOUNT_CELL.match(text) else text


def _xlsx(lines: list) -> bytes:
    """A workbook written with openpyxl (write-only). openpyxl stamps the time of saving into
    the zip entries and docProps/core.xml; both are set to one date, so that the same document
    is the same bytes every time."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    for x in lines:
        ws.append([x] if isinstance(x, str) and x else [] if isinstance(x, str) else [_cell(v) for v in x])
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _STAMP.sub(b"2024-01-01T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, _ZIP_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


TEXT_RENDERERS = {"tab_rows": _tab_rows, "pdf_rows": _tab_rows, "word_cells": _word_cells,
                  "pipes_collapsed": _pipes_collapsed, "spaces": _spaces}

# ------------------------------------------------------------------------------------------
# Documents
# ------------------------------------------------------------------------------------------


def document(seed: int, index: int, *, family: str | None = None, rendering: str | None = None,
             n_forms: int | None = None) -> Document:
    """Document number `index` of a seed: the same arguments give the same document."""
    rng = Rng(seed * 1_000_003 + index)
    family = family or _pick(rng, [(f, share) for f, (share, _) in FAMILIES.items()])
    rendering = rendering or _pick(rng, FAMILIES[family][1])
    n = n_forms or rng.randint(5, 30)
    pub = _publisher(rng, family)
    dept_no = int(rng.random() * len(DEPARTMENTS))
    dept = DEPARTMENTS[dept_no]
    name = dept[0] if family == "hebei_project" or dept[0] != "自然资源和规划局" or rng.random() < 0.3 else "自然资源局"
    dept = (name,) + dept[1:]
    year = YEARS[int(rng.random() * len(YEARS))]
    c = Context(rng, pub, dept, dept_no, pub.place + name, year, n, rendering)
    lines, forms = BUILDERS[family](c)
    truth = DocumentTruth(family, rendering, pub.province, pub.city, pub.county, pub.admin_code, forms)
    suffix = ".xlsx" if rendering == "xlsx" else ".txt"
    data = _xlsx(lines) if rendering == "xlsx" else TEXT_RENDERERS[rendering](lines).encode("utf-8")
    path = f"{pub.province}/{index:07d}_{pub.admin_code or pub.code_prefix}_{year}{suffix}"
    return Document(path, data, truth)


@contextmanager
def anomaly_rates(scale: float) -> Iterator[dict[str, float]]:
    """Every anomaly `scale` times as frequent (at most 30%) while the block runs: to test a
    reader on them without generating thousands of forms."""
    saved = dict(ANOMALY)
    ANOMALY.update({k: min(0.3, v * scale) for k, v in saved.items()})
    _value_pool.cache_clear()
    _templates.cache_clear()
    try:
        yield ANOMALY
    finally:
        ANOMALY.update(saved)
        _value_pool.cache_clear()
        _templates.cache_clear()


def documents(forms: int, seed: int = 0) -> Iterator[Document]:
    """Documents totalling `forms` forms, one at a time (the last one cut to what is left)."""
    left, index = forms, 0
    while left > 0:
        doc = document(seed, index)
        if len(doc.truth.forms) > left:
            doc = document(seed, index, family=doc.truth.family, rendering=doc.truth.rendering,
                           n_forms=left)
        left -= len(doc.truth.forms)
        index += 1
        yield doc


def with_truth(forms: int, seed: int = 0) -> list[Document]:
    """The documents of a small size with their truth (doc.truth), for tests."""
    return list(documents(forms, seed))


def _json_default(x):
    if isinstance(x, Decimal):
        return str(x)
    if isinstance(x, date):
        return x.isoformat()
    raise TypeError(type(x))


def write(out: Path, forms: int, seed: int = 0, truth: bool = False) -> dict:
    """Write the documents under `out` (a folder per province); with `truth`, their expected
    records to out/truth.jsonl. Returns counts and timings."""
    out.mkdir(parents=True, exist_ok=True)
    made: set[str] = set()
    t0, cpu0 = time.perf_counter(), time.process_time()
    n_docs = n_forms = n_bytes = 0
    sink = (out / "truth.jsonl").open("w", encoding="utf-8") if truth else None
    try:
        for doc in documents(forms, seed):
            folder = doc.path.split("/", 1)[0]
            if folder not in made:
                (out / folder).mkdir(exist_ok=True)
                made.add(folder)
            (out / doc.path).write_bytes(doc.data)
            if sink:
                t = doc.truth
                record = {"path": doc.path, **{f: getattr(t, f) for f in t.__dataclass_fields__ if f != "forms"},
                          "forms": [f.as_dict() for f in t.forms]}
                sink.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")
            n_docs += 1
            n_forms += len(doc.truth.forms)
            n_bytes += len(doc.data)
    finally:
        if sink:
            sink.close()
    return {"documents": n_docs, "forms": n_forms, "bytes": n_bytes, "seconds": time.perf_counter() - t0,
            "cpu_seconds": time.process_time() - cpu0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--forms", type=int, required=True, help="how many forms in all")
    ap.add_argument("--out", type=Path, required=True, help="the folder to write into")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--truth", action="store_true", help="also write the expected records (truth.jsonl)")
    args = ap.parse_args(argv)
    s = write(args.out, args.forms, args.seed, args.truth)
    mb = s["bytes"] / 1e6
    print(f"{s['documents']} documents, {s['forms']} forms, {mb:.1f} MB in {s['seconds']:.1f} s "
          f"({s['forms'] / s['seconds']:,.0f} forms/s, {mb / s['seconds']:.1f} MB/s); "
          f"CPU {s['cpu_seconds']:.1f} s ({s['forms'] / s['cpu_seconds']:,.0f} forms/s, "
          f"{mb / s['cpu_seconds']:.1f} MB/s of CPU time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

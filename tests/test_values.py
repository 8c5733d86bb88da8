"""The target-value parser: every distinct value in the samples, the same values written
differently, and a property test that no text makes it raise."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.values import VALUE_KINDS, parse_value

# raw value -> (value_kind, op, value, unit, value_base, base_unit, deadline), read by hand.
# Dates without a year take the budget year, 2024 in these samples; "10" has 项 in its unit column.
SAMPLE_VALUES = [
    ('12月31 日前完成', 'deadline', '<=', None, None, None, None, date(2024, 12, 31)),
    ('2017年12月已完成', 'deadline', '<=', None, None, None, None, date(2017, 12, 31)),
    ('2022年春季完成', 'deadline', '<=', None, None, None, None, date(2022, 5, 31)),
    ('2024年10月前完成', 'deadline', '<=', None, None, None, None, date(2024, 10, 31)),
    ('2024年6月完成', 'deadline', '<=', None, None, None, None, date(2024, 6, 30)),
    ('2024年完成', 'deadline', '<=', None, None, None, None, date(2024, 12, 31)),
    ('≤10 月', 'deadline', '<=', None, None, None, None, date(2024, 10, 31)),
    ('≤12月底', 'deadline', '<=', None, None, None, None, date(2024, 12, 31)),
    (None, 'empty', None, None, None, None, None, None),
    ('20122012 年 5 月 28 日', 'malformed', None, None, None, None, None, None),
    ('≥100000m ²', 'numeric', '>=', 100000, '平方米', 100000, '平方米', None),
    ('10', 'numeric', '=', 10, '项', 10, '项', None),
    ('100 百分比', 'numeric', '=', 100, '%', 100, '%', None),
    ('100%', 'numeric', '=', 100, '%', 100, '%', None),
    ('100万元', 'numeric', '=', 100, '万元', 1000000, '元', None),
    ('101.73万元', 'numeric', '=', 101.73, '万元', 1017300, '元', None),
    ('10万元', 'numeric', '=', 10, '万元', 100000, '元', None),
    ('10元', 'numeric', '=', 10, '元', 10, '元', None),
    ('10分钟内 完成', 'numeric', '<=', 10, '分钟', 0.166667, '小时', None),
    ('11.94万亩', 'numeric', '=', 11.94, '万亩', 119400, '亩', None),
    ('11个', 'numeric', '=', 11, '个', 11, '个', None),
    ('13 人', 'numeric', '=', 13, '人', 13, '人', None),
    ('138.11 公顷', 'numeric', '=', 138.11, '公顷', 2071.65, '亩', None),
    ('13人', 'numeric', '=', 13, '人', 13, '人', None),
    ('15000元', 'numeric', '=', 15000, '元', 15000, '元', None),
    ('1个', 'numeric', '=', 1, '个', 1, '个', None),
    ('1套', 'numeric', '=', 1, '套', 1, '套', None),
    ('1年', 'numeric', '=', 1, '年', 1, '年', None),
    ('1项', 'numeric', '=', 1, '项', 1, '项', None),
    ('200 万元', 'numeric', '=', 200, '万元', 2000000, '元', None),
    ('20万元', 'numeric', '=', 20, '万元', 200000, '元', None),
    ('222万元', 'numeric', '=', 222, '万元', 2220000, '元', None),
    ('24.75万元', 'numeric', '=', 24.75, '万元', 247500, '元', None),
    ('2809.09元/个', 'numeric', '=', 2809.09, '元/个', 2809.09, '元/个', None),
    ('3.09万元', 'numeric', '=', 3.09, '万元', 30900, '元', None),
    ('30000元', 'numeric', '=', 30000, '元', 30000, '元', None),
    ('300万元', 'numeric', '=', 300, '万元', 3000000, '元', None),
    ('41 个', 'numeric', '=', 41, '个', 41, '个', None),
    ('450万份', 'numeric', '=', 450, '万份', 4500000, '份', None),
    ('4万元', 'numeric', '=', 4, '万元', 40000, '元', None),
    ('4个', 'numeric', '=', 4, '个', 4, '个', None),
    ('4项', 'numeric', '=', 4, '项', 4, '项', None),
    ('5 个', 'numeric', '=', 5, '个', 5, '个', None),
    ('50%以上', 'numeric', '>=', 50, '%', 50, '%', None),
    ('50万元', 'numeric', '=', 50, '万元', 500000, '元', None),
    ('52个', 'numeric', '=', 52, '个', 52, '个', None),
    ('54万元', 'numeric', '=', 54, '万元', 540000, '元', None),
    ('57人', 'numeric', '=', 57, '人', 57, '人', None),
    ('60万', 'numeric', '=', 60, '万', 600000, None, None),
    ('6万元', 'numeric', '=', 6, '万元', 60000, '元', None),
    ('700万元', 'numeric', '=', 700, '万元', 7000000, '元', None),
    ('720亩', 'numeric', '=', 720, '亩', 720, '亩', None),
    ('7375亩', 'numeric', '=', 7375, '亩', 7375, '亩', None),
    ('76.75万元', 'numeric', '=', 76.75, '万元', 767500, '元', None),
    ('7万亩', 'numeric', '=', 7, '万亩', 70000, '亩', None),
    ('85%', 'numeric', '=', 85, '%', 85, '%', None),
    ('8万亩', 'numeric', '=', 8, '万亩', 80000, '亩', None),
    ('95%', 'numeric', '=', 95, '%', 95, '%', None),
    ('98%', 'numeric', '=', 98, '%', 98, '%', None),
    ('9条', 'numeric', '=', 9, '条', 9, '条', None),
    ('≤0.5%', 'numeric', '<=', 0.5, '%', 0.5, '%', None),
    ('≤1 年', 'numeric', '<=', 1, '年', 1, '年', None),
    ('≤1%', 'numeric', '<=', 1, '%', 1, '%', None),
    ('≤1.55万亩', 'numeric', '<=', 1.55, '万亩', 15500, '亩', None),
    ('≤100%', 'numeric', '<=', 100, '%', 100, '%', None),
    ('≤100万元', 'numeric', '<=', 100, '万元', 1000000, '元', None),
    ('≤19679.2 万元', 'numeric', '<=', 19679.2, '万元', 196792000, '元', None),
    ('≤3 万元/亩', 'numeric', '<=', 3, '万元/亩', 30000, '元/亩', None),
    ('≤30分钟', 'numeric', '<=', 30, '分钟', 0.5, '小时', None),
    ('≤399.46 万 元', 'numeric', '<=', 399.46, '万元', 3994600, '元', None),
    ('≤3‰', 'numeric', '<=', 3, '‰', 0.3, '%', None),
    ('≤3小时', 'numeric', '<=', 3, '小时', 3, '小时', None),
    ('≤3次', 'numeric', '<=', 3, '次', 3, '次', None),
    ('≤48小时', 'numeric', '<=', 48, '小时', 48, '小时', None),
    ('≤5 万元', 'numeric', '<=', 5, '万元', 50000, '元', None),
    ('≤5%', 'numeric', '<=', 5, '%', 5, '%', None),
    ('≤5次', 'numeric', '<=', 5, '次', 5, '次', None),
    ('≤95 百分比', 'numeric', '<=', 95, '%', 95, '%', None),
    ('≥100%', 'numeric', '>=', 100, '%', 100, '%', None),
    ('≥1000亩', 'numeric', '>=', 1000, '亩', 1000, '亩', None),
    ('≥1000份', 'numeric', '>=', 1000, '份', 1000, '份', None),
    ('≥1000次', 'numeric', '>=', 1000, '次', 1000, '次', None),
    ('≥10万亩', 'numeric', '>=', 10, '万亩', 100000, '亩', None),
    ('≥10个', 'numeric', '>=', 10, '个', 10, '个', None),
    ('≥11台', 'numeric', '>=', 11, '台', 11, '台', None),
    ('≥12 等别', 'numeric', '>=', 12, '等别', 12, '等别', None),
    ('≥18000件', 'numeric', '>=', 18000, '件', 18000, '件', None),
    ('≥1个', 'numeric', '>=', 1, '个', 1, '个', None),
    ('≥20%', 'numeric', '>=', 20, '%', 20, '%', None),
    ('≥20000 本', 'numeric', '>=', 20000, '本', 20000, '本', None),
    ('≥20000件', 'numeric', '>=', 20000, '件', 20000, '件', None),
    ('≥20000本', 'numeric', '>=', 20000, '本', 20000, '本', None),
    ('≥2000亩', 'numeric', '>=', 2000, '亩', 2000, '亩', None),
    ('≥2000件', 'numeric', '>=', 2000, '件', 2000, '件', None),
    ('≥201人', 'numeric', '>=', 201, '人', 201, '人', None),
    ('≥2304.9 立方米', 'numeric', '>=', 2304.9, '立方米', 2304.9, '立方米', None),
    ('≥240件', 'numeric', '>=', 240, '件', 240, '件', None),
    ('≥24次', 'numeric', '>=', 24, '次', 24, '次', None),
    ('≥2次', 'numeric', '>=', 2, '次', 2, '次', None),
    ('≥2项', 'numeric', '>=', 2, '项', 2, '项', None),
    ('≥3 万元/亩', 'numeric', '>=', 3, '万元/亩', 30000, '元/亩', None),
    ('≥3 年', 'numeric', '>=', 3, '年', 3, '年', None),
    ('≥30000件', 'numeric', '>=', 30000, '件', 30000, '件', None),
    ('≥30000份', 'numeric', '>=', 30000, '份', 30000, '份', None),
    ('≥30个', 'numeric', '>=', 30, '个', 30, '个', None),
    ('≥30块', 'numeric', '>=', 30, '块', 30, '块', None),
    ('≥30家', 'numeric', '>=', 30, '家', 30, '家', None),
    ('≥30年', 'numeric', '>=', 30, '年', 30, '年', None),
    ('≥35公顷', 'numeric', '>=', 35, '公顷', 525, '亩', None),
    ('≥3件', 'numeric', '>=', 3, '件', 3, '件', None),
    ('≥3种', 'numeric', '>=', 3, '种', 3, '种', None),
    ('≥4000株', 'numeric', '>=', 4000, '株', 4000, '株', None),
    ('≥41384.6 立方米', 'numeric', '>=', 41384.6, '立方米', 41384.6, '立方米', None),
    ('≥44', 'numeric', '>=', 44, None, 44, None, None),
    ('≥4人', 'numeric', '>=', 4, '人', 4, '人', None),
    ('≥5.65 公顷', 'numeric', '>=', 5.65, '公顷', 84.75, '亩', None),
    ('≥500人', 'numeric', '>=', 500, '人', 500, '人', None),
    ('≥500次', 'numeric', '>=', 500, '次', 500, '次', None),
    ('≥5个', 'numeric', '>=', 5, '个', 5, '个', None),
    ('≥5件', 'numeric', '>=', 5, '件', 5, '件', None),
    ('≥5家', 'numeric', '>=', 5, '家', 5, '家', None),
    ('≥5年', 'numeric', '>=', 5, '年', 5, '年', None),
    ('≥6块', 'numeric', '>=', 6, '块', 6, '块', None),
    ('≥6家', 'numeric', '>=', 6, '家', 6, '家', None),
    ('≥70%', 'numeric', '>=', 70, '%', 70, '%', None),
    ('≥70块', 'numeric', '>=', 70, '块', 70, '块', None),
    ('≥80%', 'numeric', '>=', 80, '%', 80, '%', None),
    ('≥85%', 'numeric', '>=', 85, '%', 85, '%', None),
    ('≥90 百分比', 'numeric', '>=', 90, '%', 90, '%', None),
    ('≥90%', 'numeric', '>=', 90, '%', 90, '%', None),
    ('≥92 百分比', 'numeric', '>=', 92, '%', 92, '%', None),
    ('≥93 百分比', 'numeric', '>=', 93, '%', 93, '%', None),
    ('≥95 百分比', 'numeric', '>=', 95, '%', 95, '%', None),
    ('≥95%', 'numeric', '>=', 95, '%', 95, '%', None),
    ('≥96 百分比', 'numeric', '>=', 96, '%', 96, '%', None),
    ('≥97 百分比', 'numeric', '>=', 97, '%', 97, '%', None),
    ('≥98 百分比', 'numeric', '>=', 98, '%', 98, '%', None),
    ('≥98%', 'numeric', '>=', 98, '%', 98, '%', None),
    ('≥99%', 'numeric', '>=', 99, '%', 99, '%', None),
    ('不超过30 万元', 'numeric', '<=', 30, '万元', 300000, '元', None),
    ('大于等于 一套', 'numeric', '>=', 1, '套', 1, '套', None),
    ('年故障次 数少于3 次', 'numeric', '<', 3, '次', 3, '次', None),
    ('密', 'redacted', None, None, None, None, None, None),
]

# Words where a number is due, or judgements: qualitative, with no number, unit or date.
SAMPLE_QUALITATIVE = """
一般/较好/很好 严格把控 优秀 优良 便民利民 保持人员稳定性 保障系统顺利运行 保障运转 加强信息化建设
及时 及时保障 及时维护 可持续性 好 完整 已完成 已完成系统建设一套 已支付 成效显著 持续发挥 持续发挥作用
持续增长 按时缴纳 按要求执行 推动经济发展 提升动物保护意识 提高森林覆盖率，改善生态环境 提高登记质量
改善生态环境 改善生态环境质量 无违规问题 明显 有提升 标准化管理 标准化编制 正常开展 生态环境得到有效保护
科学严谨 维持不动产登记服务能力 维持社会稳定 良好 规范合理 较上年提高 较上年改善 较好 逐步增强 逐步完善
逐步提升 逐步提高 验收合格 高 进一步提高
""".split() + ["达到预期 目的", "公开 透明"]


def _hint(raw):
    return "项" if raw == "10" else None


@pytest.mark.parametrize("raw,kind,op,value,unit,base,base_unit,deadline", SAMPLE_VALUES)
def test_sample_values(raw, kind, op, value, unit, base, base_unit, deadline):
    got = parse_value(raw, unit_hint=_hint(raw), budget_year=2024)
    assert (got.value_kind, got.op, got.unit, got.base_unit, got.deadline) == (kind, op, unit, base_unit, deadline)
    assert got.value == (pytest.approx(value) if value is not None else None)
    assert got.value_base == (pytest.approx(base) if base is not None else None)


@pytest.mark.parametrize("raw", SAMPLE_QUALITATIVE)
def test_sample_qualitative_values(raw):
    got = parse_value(raw, budget_year=2024)
    assert (got.value_kind, got.value, got.unit, got.deadline) == ("qualitative", None, None, None)


def test_every_sample_value_is_in_the_tables(wh):
    values = {r[0] for r in wh.execute("select distinct raw_value from raw.indicators where raw_value is not null").fetchall()}
    known = {row[0] for row in SAMPLE_VALUES} | set(SAMPLE_QUALITATIVE)
    assert values - known == set()


def test_placeholder_is_flagged():
    assert parse_value("一般/较好/很好").note == "template choice left unfilled"


@pytest.mark.parametrize("raw,expected", [
    # full-width digits and signs
    ("≥４人", (">=", 4, "人", 4, "人")),
    ("１００％", ("=", 100, "%", 100, "%")),
    ("≧95%", (">=", 95, "%", 95, "%")),
    ("≦3‰", ("<=", 3, "‰", 0.3, "%")),
    # comparison words
    ("不少于5家", (">=", 5, "家", 5, "家")),
    ("不低于90%", (">=", 90, "%", 90, "%")),
    ("不超过30万元", ("<=", 30, "万元", 300000, "元")),
    ("不高于5%", ("<=", 5, "%", 5, "%")),
    ("3小时以内", ("<=", 3, "小时", 3, "小时")),
    ("1000亩以上", (">=", 1000, "亩", 1000, "亩")),
    ("少于3次", ("<", 3, "次", 3, "次")),
    ("低于1%", ("<", 1, "%", 1, "%")),
    ("大于等于一套", (">=", 1, "套", 1, "套")),
    # thousands separators and stray spaces
    ("≥30,000份", (">=", 30000, "份", 30000, "份")),
    ("≥1，234，567元", (">=", 1234567, "元", 1234567, "元")),
    ("2 4569. 00 万元", ("=", 24569, "万元", 245690000, "元")),
    # multipliers and related units
    ("7万亩", ("=", 7, "万亩", 70000, "亩")),
    ("2公顷", ("=", 2, "公顷", 30, "亩")),
    ("≥500立方米", (">=", 500, "立方米", 500, "立方米")),
    ("≥500m³", (">=", 500, "立方米", 500, "立方米")),
    ("1.2万元/亩", ("=", 1.2, "万元/亩", 12000, "元/亩")),
    ("≤35元/个", ("<=", 35, "元/个", 35, "元/个")),
    ("≥95百分比", (">=", 95, "%", 95, "%")),
    ("3万人", ("=", 3, "万人", 30000, "人")),
    ("≥200㎡", (">=", 200, "平方米", 200, "平方米")),
])
def test_written_differently(raw, expected):
    got = parse_value(raw)
    assert got.value_kind == "numeric"
    op, value, unit, base, base_unit = expected
    assert (got.op, got.unit, got.base_unit) == (op, unit, base_unit)
    assert got.value == pytest.approx(value) and got.value_base == pytest.approx(base)


@pytest.mark.parametrize("raw,deadline", [
    ("2024年6月完成", date(2024, 6, 30)),
    ("２０２４年６月完成", date(2024, 6, 30)),
    ("12月31日前完成", date(2025, 12, 31)),
    ("2024年10月底前完成", date(2024, 10, 31)),
    ("2025年完成", date(2025, 12, 31)),
    ("≤6月", date(2025, 6, 30)),
    ("2024年2月29日前完成", date(2024, 2, 29)),
])
def test_deadlines(raw, deadline):
    got = parse_value(raw, budget_year=2025)
    assert (got.value_kind, got.op, got.deadline) == ("deadline", "<=", deadline)


def test_deadline_without_year_and_no_budget_year():
    got = parse_value("12月31日前完成")
    assert (got.value_kind, got.deadline) == ("deadline", None)


@pytest.mark.parametrize("raw", ["20122012 年 5 月 28 日", "2023年2月30日前完成", "2024年13月完成",
                                 "≥", "3..5%", "≥5-8个"])
def test_malformed(raw):
    got = parse_value(raw, budget_year=2024)
    assert got.value_kind == "malformed" and got.value is None and got.deadline is None


@pytest.mark.parametrize("raw,kind", [(None, "empty"), ("", "empty"), ("   ", "empty"),
                                      ("密", "redacted"), ("1.密", "redacted")])
def test_empty_and_redacted(raw, kind):
    assert parse_value(raw).value_kind == kind


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_text_gives_a_result(text):
    got = parse_value(text, budget_year=2024)
    assert got.value_kind in VALUE_KINDS
    if got.value_kind == "numeric":
        assert got.value is not None and got.op in (">=", "<=", ">", "<", "=")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,，%‰≥≤<>=年月日万亩元个次前完成以上内不超过少于 ", max_size=20))
def test_value_like_text_gives_a_result(text):
    assert parse_value(text, budget_year=2024).value_kind in VALUE_KINDS

"""Every form, amount and indicator row of the five samples, as read by hand from the
documents (not from the parser's output)."""
from __future__ import annotations

from decimal import Decimal

import pytest

# (budget_total_wan, fiscal_wan, other_wan, indicator rows) per form, in document order.
EXPECTED = {
    "000": [(50.00, 50.00, None, 7), (72.71, 72.71, None, 8), (133.85, 133.85, None, 14),
            (303.42, 303.42, None, 12), (24569.00, 24569.00, None, 8), (2491.00, 2491.00, None, 11)],
    "001": [(t, t, None, n) for t, n in [
        (6.00, 6), (100.00, 7), (300.00, 6), (60.00, 6), (222.00, 9), (0.72, 6), (24.75, 9),
        (31.98, 8), (10.00, 6), (1.50, 6), (4.00, 7), (3.00, 6), (700.00, 6), (3.09, 7),
        (20.00, 7), (50.00, 8), (10.00, 7), (76.75, 7)]],
    "002": [(t, t, None, n) for t, n in [
        (435.00, 11), (200.00, 9), (100.00, 9), (1099.00, 12), (64.24, 11), (20.00, 10),
        (6014.00, 11), (13302.01, 11), (54.00, 11), (5.00, 10), (4.00, 10), (30.00, 11)]],
    # 第三方劳务服务采购 leaves 实施期金额/年度金额 empty and writes 324.73 as both fiscal and other.
    "003": [(200.6, 200.6, None, 7), (None, 324.73, 324.73, 6), (19.16, 19.16, None, 7),
            (300.95, 300.95, None, 7), (120.2, 120.2, None, 7), (1200, 1200, None, 8),
            (112.79, 112.79, None, 8), (35.99, 35.99, None, 8)],
    # The department form (42 scored indicator rows), then six purchased-service forms with
    # one filled indicator row each (their empty template rows do not count).
    "004": [(65495.31, 65459.31, None, 42)] + [(t, None, None, 1) for t in
                                              (200, 5300, 39200, 18000, 200, 140)],
}
# The template recognised (from the labels, never the province) and how the text was laid out.
LAYOUT = {"000": ("liaoning_project", "rows"), "001": ("hebei_project", "cells"),
          "002": ("hebei_project", "rows"), "003": ("liaoning_project", "rows"),
          "004": ("department", "rows")}
REGION = {
    "000": ("辽宁省", "大连市", "大连高新技术产业园区", None, 2024),
    "001": ("河北省", "秦皇岛市", "卢龙县", "130324", 2024),
    "002": ("河北省", "承德市", "承德县", "130821", 2024),
    "003": ("辽宁省", "大连市", "大连高新技术产业园区", None, 2023),
    "004": ("辽宁省", "大连市", "西岗区", "210203", 2024),
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_forms_amounts_and_indicator_counts(parsed, key):
    doc = parsed[key]
    got = [(f.budget_total_wan, f.fiscal_wan, f.other_wan, len(f.indicators)) for f in doc.forms]
    # amounts are exact decimals: 50.00 as printed equals 50 exactly, no tolerance
    assert got == [tuple(Decimal(str(v)) if isinstance(v, float) else v for v in row)
                   for row in EXPECTED[key]]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_layout_region_and_year(parsed, key):
    doc = parsed[key]
    assert (doc.layout, doc.rendering) == LAYOUT[key]
    assert (doc.province, doc.city, doc.county, doc.admin_code, doc.budget_year) == REGION[key]


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_no_unexplained_issue(parsed, key):
    # Errors mean lost data; the samples have none. Warnings and notes each name their cause.
    assert [i for i in parsed[key].issues if i.severity == "error"] == []


def test_form_kinds_of_004(parsed):
    kinds = [f.form_kind for f in parsed["004"].forms]
    assert kinds == ["department"] + ["purchase_service"] * 6


def test_department_totals_and_key_tasks(parsed):
    dept = parsed["004"].forms[0]
    assert dept.department_name == "大连市西岗区城市更新事务中心"
    assert (dept.basic_expenditure_wan, dept.project_expenditure_wan, dept.staff_at_year_end) == \
        (Decimal("478.36"), Decimal("65016.95"), 25)
    assert [t.name for t in dept.key_tasks] == [
        "丰元小区西侧地块项目", "大连理工大学市内校区东南院地块项目", "胜利东路绿山城南侧联通地块",
        "西岗区胜利东路南侧、松花街西侧围合（市水务集团）地块", "土地整理前期费用",
        "城乡规划设计和选址论证报告编写"]
    assert all(t.content for t in dept.key_tasks)
    scored = {i.level3: i for i in dept.indicators}
    assert scored["预算完成率"].raw_value == "100%"
    assert scored["预算完成率"].formula.startswith("支出预算完成率=")
    assert scored["预算编制规范性"].level1 == "财政综合管理指标"  # label written mid-block
    assert scored["经济效益指标1"].level1 == "效果指标"


def test_purchase_service_indicator_with_unit_column(parsed):
    form = parsed["004"].forms[1]
    assert form.project_name == "丰元小区西侧地块项目"
    (ind,) = form.indicators
    assert (ind.level2, ind.level3, ind.raw_value, ind.unit_column) == ("时效指标", "满意", "10", "项")
    assert (ind.target.value, ind.target.unit) == (10, "项")


def test_hebei_word_form_details(parsed):
    forms = parsed["001"].forms
    first = forms[0]
    assert (first.project_code, first.budget_unit_code, first.budget_unit_name) == \
        ("13032424P00442810307P", "324001", "卢龙县自然资源和规划局本级")
    assert (first.spend_q1_pct, first.spend_q2_pct, first.spend_q3_pct, first.spend_q4_pct) == (25, 50, 75, 100)
    assert first.goal_annual.startswith("1.保障下属苗圃场") and "2.下属局属场员工" in first.goal_annual
    redacted = forms[3]
    assert redacted.project_name == "冀财建【2023】182号资金" and redacted.redacted
    assert [i.target.value_kind for i in redacted.indicators].count("redacted") == 5
    assert forms[14].budget_unit_code == "324004"
    # A cell holding blank lines (森林抚育质量合格率) is still one row.
    quality = [i for i in forms[6].indicators if i.level3 == "森林抚育质量合格率"]
    assert len(quality) == 1 and quality[0].raw_value == "≥90%"
    # [bookmark: _GoBack] debris before a spending-plan value
    assert forms[17].spend_q1_pct == 0


def test_hebei_pdf_rows_wrapped_cells_and_duplicates(parsed):
    forms = parsed["002"].forms
    assert forms[0].project_name == "2024年承德县历史遗留矿山修复治理项目（冀财资环【2023】117号）"
    assert "<p>" not in forms[0].goal_annual
    geo = forms[2]
    assert geo.indicators[0].level3 == "汛前地质灾害点核查"   # wrapped cell joined
    land = [i.level3 for i in forms[4].indicators]
    assert land.count("完成出让宗数") == 2 and land.count("达到标准") == 2   # duplicates kept
    assert forms[9].budget_unit_name == "承德县不动产登记中心"


def test_narratives_keep_headings(parsed):
    lulong = parsed["001"].narratives
    assert {n.section for n in lulong} == {"总体绩效目标", "分项绩效目标", "工作保障措施"}
    farmland = [n for n in lulong if n.heading == "1、全面做好耕地保护"]
    assert [n.text[:5] for n in farmland] == ["绩效目标：", "绩效指标："]
    chengde = parsed["002"].narratives
    assert any(n.heading == "(一)全民所有自然资源资产所有者职责切实履行" or
               n.heading == "（一）全民所有自然资源资产所有者职责切实履行" for n in chengde)
    # the paragraph wrapped across a blank line in the PDF is one paragraph
    assert any("使新增农村乱占耕地建房行为得到遏制" in n.text for n in chengde)


def test_spreadsheet_rows_that_lost_leading_cells(parsed):
    pest = parsed["000"].forms[2]
    row = next(i for i in pest.indicators if i.level3 == "高新区当期林地有害生物防治完成率")
    assert (row.level1, row.level2, row.raw_value) == ("产出指标", "时效指标", "100%")
    sustain = next(i for i in pest.indicators if i.level2 == "可持续影响指标")
    assert (sustain.level1, sustain.raw_value) == ("效益指标", "好")
    # 003: the value stands in the 4th column when the form has only four
    software = parsed["003"].forms[3]
    assert software.indicators[0].raw_value == "4项"

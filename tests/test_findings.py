"""Audit findings on the samples: what an auditor reading the five documents finds (issue 4's
list), each located by rule, form and value as printed in the documents. Each rule's own
trip / no-trip fixtures are dbt unit tests (dbt_project/models/findings/_findings__unit_tests.yml)
run by every build; test_every_rule_has_a_model_and_a_fixture checks they exist."""
from __future__ import annotations

import csv
import re

import yaml

from warehouse.paths import DBT_PROJECT_DIR

FINDINGS = "select rule_code, form_label, indicator_name, observed, message from marts.fct_target_findings"


def _find(wh, rule, where="true", params=()):
    return wh.execute(f"{FINDINGS} where rule_code = ? and ({where}) order by source_file, source_line",
                      [rule, *params]).fetchall()


def test_redacted_lulong_form(wh):
    rows = _find(wh, "REDACTED")
    assert [(r[1], r[2]) for r in rows] == [("冀财建【2023】182号资金", None)]


def test_duplicated_rows_in_chengde(wh):
    rows = _find(wh, "DUPLICATE_INDICATOR")
    assert sorted((r[1], r[2].split("（")[0]) for r in rows) == [
        ("土地出让业务", "完成出让宗数"), ("土地出让业务", "达到标准"),
        ("土地开发支出", "按时达到标准"), ("征地和拆迁补偿支出", "征地补偿到位"),
    ]


def test_placeholder_values(wh):
    rows = _find(wh, "PLACEHOLDER_VALUE")
    placeholders = [r for r in rows if r[3] == "一般/较好/很好"]
    assert {r[2] for r in placeholders} == {"人居环境改善", "防灾减灾能力", "修复后周边生态状况适宜性"}
    template_names = {r[3] for r in rows if r[1] == "大连市西岗区城市更新事务中心"}
    assert {"经济效益指标1", "经济效益指标2", "社会效益指标2", "生态效益指标1", "生态效益指标2"} <= template_names


def test_upper_bound_on_a_pass_rate(wh):
    rows = _find(wh, "SUSPICIOUS_DIRECTION", "form_label = '地质灾害治理'")
    assert ("质量等级（野外验收合格率）", "≤100%") in [(r[2], r[3]) for r in rows]
    assert "≤100%" in rows[0][4] and "地质灾害治理" in rows[0][4]


def test_malformed_date(wh):
    assert [(r[1], r[3]) for r in _find(wh, "MALFORMED_VALUE")] == [("土地开发整治项目", "20122012 年 5 月 28 日")]


def test_deadlines_before_the_budget_year(wh):
    rows = _find(wh, "DEADLINE_OUTSIDE_YEAR")
    assert sorted((r[1], r[3]) for r in rows) == [
        ("不动产信息化建设", "2017年12月已完成（2017-12-31）"),
        ("义务植树经费", "2022年春季完成（2022-05-31）"),
    ]


def test_cost_indicator_larger_than_the_budget(wh):
    rows = _find(wh, "COST_TARGET_MISMATCH", "form_label like '冀财资环【2022】91号%'")
    [(_, _, indicator, observed, message)] = rows
    assert indicator == "预算控制数" and "101.73万元" in observed
    assert "31.98" in message and "101.73" in message


def test_department_totals(wh):
    [row] = _find(wh, "DEPARTMENT_TOTAL_MISMATCH")
    # 西岗区: 财政拨款 65459.31 + 其他资金 (empty) against 收入总额 65495.31; 基本 478.36 + 项目 65016.95 adds up
    assert row[1] == "大连市西岗区城市更新事务中心"
    assert "65459.31" in row[4] and "65495.31" in row[4]


def test_funding_parts_without_a_total(wh):
    [row] = _find(wh, "FUNDING_PARTS_MISMATCH")
    assert row[1] == "第三方劳务服务采购" and row[3] == "649.46"


def test_messages_name_form_and_numbers(wh):
    empty = wh.execute("select count(*) from marts.fct_target_findings where message like '%{%'"
                       " or message is null").fetchone()[0]
    assert empty == 0
    keys = wh.execute("select count(*), count(distinct finding_key) from marts.fct_target_findings").fetchone()
    assert keys[0] == keys[1] and keys[0] > 0


def test_every_rule_has_a_model_and_a_fixture():
    with open(DBT_PROJECT_DIR / "seeds" / "finding_rules.csv", encoding="utf-8") as f:
        codes = [r["rule_code"] for r in csv.DictReader(f)]
    findings = DBT_PROJECT_DIR / "models" / "findings"
    union = (DBT_PROJECT_DIR / "models" / "marts" / "fct_target_findings.sql").read_text(encoding="utf-8")
    tests = yaml.safe_load((findings / "_findings__unit_tests.yml").read_text(encoding="utf-8"))["unit_tests"]
    tested = {t["model"] for t in tests}
    design = {"FUNDING_PARTS_MISMATCH", "COST_TARGET_MISMATCH", "SPEND_PLAN_NOT_MONOTONIC",
              "MISSING_REQUIRED_CATEGORY", "UNQUANTIFIED_TARGET", "PLACEHOLDER_VALUE", "REDACTED",
              "DUPLICATE_INDICATOR", "SUSPICIOUS_DIRECTION", "MALFORMED_VALUE", "DEADLINE_OUTSIDE_YEAR",
              "DEPARTMENT_TOTAL_MISMATCH", "INPUT_AS_TARGET", "VAGUE_TARGET", "TOO_FEW_INDICATORS"}
    assert design <= set(codes)
    for code in codes:
        model = f"rule_{code.lower()}"
        sql = (findings / f"{model}.sql").read_text(encoding="utf-8")
        assert re.search(rf"'{code}' as rule_code", sql), model
        assert f"'{model}'" in union, model
        assert model in tested, model

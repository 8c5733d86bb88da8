"""What an analyst reads without joins: purposes and comparable measures from seeds, unit costs
compared only within one year, purpose and measure, and the wide views marts.projects,
marts.indicators and marts.findings. Expected figures are read from the sample documents."""
from __future__ import annotations

import csv
import re
from decimal import Decimal

import pytest

from warehouse.build.seeds import SEEDS_DIR


def test_purpose_of_each_project_comes_from_the_seed(wh):
    # 卢龙县 2024 forestry forms (lulong_ziranziyuan_guihua_2024.txt): 88号 0.72, 义务植树 3,
    # 野生动物保护 4, 美国白蛾 10, 90号 24.75, 91号 31.98, 107号 222, 造林补贴、苗木费 700
    row = wh.execute("""
        select count(*), sum(budget_total_wan) from marts.projects
        where county = '卢龙县' and budget_year = 2024 and purpose_name = '林业与生态'""").fetchone()
    assert row == (8, Decimal("996.45"))
    # a name with none of the seed's words is 其他, not dropped
    assert wh.execute("select purpose_code, purpose_name from marts.projects "
                      "where project_name = '冀财建【2023】182号资金'").fetchall() == [("other", "其他")]
    assert wh.execute("select count(*) from marts.projects where purpose_code is null").fetchone()[0] == 0
    seeded = {r[0] for r in wh.execute("select purpose_name from raw.project_purposes").fetchall()}
    assert {r[0] for r in wh.execute("select distinct purpose_name from marts.projects").fetchall()} <= seeded


def test_unit_costs_are_compared_within_one_year_purpose_and_measure(wh):
    rows = wh.execute("""
        select p.county, p.project_name, u.purpose_code, u.peer_projects, u.peer_counties
        from marts.fct_unit_cost u join marts.projects p using (project_key)
        where u.measure_code = 'pest_control_area' order by p.project_name""").fetchall()
    # 卢龙's 美国白蛾 and 90号 forms and 大连高新区's 2102 form: three forestry peers, two counties
    assert [r[1][:6] for r in rows] == ["2102林业", "冀财资环[2", "美国白蛾防治"]
    assert {(r[2], r[3], r[4]) for r in rows} == {("forestry_ecology", 3, 2)}
    # 不动产 registrations of a 委托服务费 (人员与机构运转) are not peers of 卢龙's 不动产业务经费
    assert wh.execute("""
        select p.purpose_name, u.peer_projects from marts.fct_unit_cost u join marts.projects p using (project_key)
        where u.measure_code = 'property_registrations' order by 1""").fetchall() == [
        ("不动产登记", 1), ("人员与机构运转", 1)]


def test_headcounts_are_not_unit_costs(wh):
    # 保障人数 (13 people of 企业改制资金, 201 of 综合业务经费) is read as a measure, but the
    # cost per head is a wage, not the price of an output
    assert wh.execute("select count(*) from marts.indicators where measure_code = 'people_supported'"
                      ).fetchone()[0] >= 4
    assert wh.execute("select count(*) from marts.fct_unit_cost where measure_code = 'people_supported'"
                      ).fetchone()[0] == 0


def test_indicators_view_reads_without_joins(wh):
    n_facts = wh.execute("select count(*) from marts.fct_indicator_target").fetchone()[0]
    assert wh.execute("select count(*) from marts.indicators").fetchone()[0] == n_facts == 416
    # 卢龙县 美国白蛾防治费用: 防治面积 8万亩, at line 944 of the document
    row = wh.execute("""
        select county, budget_year, purpose_name, raw_value, op, value, unit, value_base, base_unit,
               measure_name, source_file, source_line
        from marts.indicators where project_name = '美国白蛾防治费用' and level3 = '防治面积'""").fetchall()
    assert row == [("卢龙县", 2024, "林业与生态", "8万亩", "=", 8.0, "万亩", 80000.0, "亩",
                    "林业有害生物防治面积", "lulong_ziranziyuan_guihua_2024.txt", "line 944")]
    # department-level rows name their department instead of a project
    assert wh.execute("""select distinct form_label, project_name, purpose_name from marts.indicators
                         where form_kind = 'department'""").fetchall() == [
        ("大连市西岗区城市更新事务中心", None, None)]


def test_findings_view_names_each_rule_in_chinese_with_its_basis(wh):
    n = wh.execute("select count(*) from marts.fct_target_findings").fetchone()[0]
    rows = wh.execute("select rule_code, rule_name_zh, severity_zh, rule_basis, source_file, source_line "
                      "from marts.findings").fetchall()
    assert len(rows) == n > 0
    for code, name, severity, basis, source_file, source_line in rows:
        assert re.fullmatch(r"[\u4e00-\u9fff（）]+", name), (code, name)
        assert severity in ("错误", "警告", "提示") and basis and source_file and source_line
    # 卢龙县's 91号 form states a 101.73万元 预算控制数 (line 869) on a budget of 31.98 万元
    assert wh.execute("""select rule_name_zh, severity_zh, county, source_line from marts.findings
                         where rule_code = 'COST_TARGET_MISMATCH' and form_label like '冀财资环【2022】91号%'"""
                      ).fetchall() == [("成本指标与预算不符", "错误", "卢龙县", "line 869")]


def test_every_rule_has_a_chinese_name_in_the_seed():
    with (SEEDS_DIR / "finding_rules.csv").open(encoding="utf-8") as fh:
        rules = list(csv.DictReader(fh))
    assert list(rules[0])[-1] == "rule_name_zh"       # appended, so other columns keep their place
    names = [r["rule_name_zh"] for r in rules]
    assert all(re.fullmatch(r"[\u4e00-\u9fff（）]+", n) for n in names)
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("view", ["projects", "indicators", "findings"])
def test_wide_views_are_views_in_marts(wh, view):
    assert wh.execute("select table_type from information_schema.tables where table_schema = 'marts' "
                      "and table_name = ?", [view]).fetchone() == ("VIEW",)


def test_docs_command_writes_into_reports(built_warehouse, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from warehouse.cli import app
    from warehouse.paths import DBT_PROJECT_DIR

    monkeypatch.setenv("JIXIAO_REPORTS", str(tmp_path / "reports"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["docs", "--warehouse", str(built_warehouse)])
    assert result.exit_code == 0, result.output
    page = tmp_path / "reports" / "dbt_docs" / "static_index.html"
    assert page.is_file()
    assert not (DBT_PROJECT_DIR / "reports").exists()
    assert not re.search(r"<(?:script|link)[^>]*(?:src|href)=[\"']https?://", page.read_text(encoding="utf-8"))

"""The star schema (marts) built from the samples. Expected figures are added up by hand from
the documents' forms (amounts as printed, in 万元; indicator rows counted in the tables)."""
from __future__ import annotations

from decimal import Decimal

import json
import shutil

import duckdb
import pytest

from tests.conftest import SAMPLE
from warehouse.build import build, generate_docs
from warehouse.paths import SAMPLES_DIR

MARTS = ("dim_region", "dim_department", "dim_indicator_type", "dim_project",
         "fct_project_funding", "fct_indicator_target", "fct_department_budget", "fct_unit_cost")

FUNDING = """
    select r.county, f.budget_year, round(sum(f.budget_total_wan), 2), count(*)
    from marts.fct_project_funding f join marts.dim_region r using (region_key)
    group by all order by all"""


def test_marts_exist_as_tables(wh):
    rows = wh.execute("select table_name, table_type from information_schema.tables "
                      "where table_schema = 'marts'").fetchall()
    assert {name for name, kind in rows if kind == "BASE TABLE"} >= set(MARTS)
    views = {r[0] for r in wh.execute("select table_name from information_schema.tables "
                                      "where table_schema = 'intermediate'").fetchall()}
    assert {"int_forms__regions", "int_forms__keys", "int_indicators__typed",
            "int_indicators__measures"} <= views


def test_total_budget_per_county_and_year(wh):
    # 卢龙: 6+100+300+60+222+0.72+24.75+31.98+10+1.5+4+3+700+3.09+20+50+10+76.75
    # 承德: 435+200+100+1099+64.24+20+6014+13302.01+54+5+4+30
    # 大连高新区 2023: 200.6+(empty)+19.16+300.95+120.2+1200+112.79+35.99; 2024: 50+72.71+133.85+303.42+24569+2491
    # 西岗区: the six purchased-service forms 200+5300+39200+18000+200+140
    assert wh.execute(FUNDING).fetchall() == [
        ("卢龙县", 2024, Decimal("1623.79"), 18),
        ("大连高新技术产业园区", 2023, Decimal("1989.69"), 8),
        ("大连高新技术产业园区", 2024, Decimal("27619.98"), 6),
        ("承德县", 2024, Decimal("21327.25"), 12),
        ("西岗区", 2024, Decimal("63040"), 6),
    ]


def test_department_budget(wh):
    row = wh.execute("""
        select r.county, d.department_name, b.budget_year, b.budget_total_wan, b.fiscal_wan,
               b.basic_expenditure_wan, b.project_expenditure_wan, b.staff_at_year_end, b.n_key_tasks
        from marts.fct_department_budget b
        join marts.dim_department d using (department_key)
        join marts.dim_region r on r.region_key = b.region_key""").fetchall()
    assert row == [("西岗区", "大连市西岗区城市更新事务中心", 2024, Decimal("65495.31"),
                    Decimal("65459.31"), Decimal("478.36"), Decimal("65016.95"), 25, 6)]


def test_indicator_rows_per_county_and_level1(wh):
    # Counted in the documents' tables. 大连高新区 2024: 产出 37 written, one of them (生态效益指标
    # in form 2) is an outcome; 西岗区: the department form's 20 财政综合管理 rows, 6 产出, 8 under
    # 效果指标 (2 of them 满意度) and 8 under 满意度指标, plus the purchased-service forms' 5 时效
    # and 1 社会效益 rows.
    rows = wh.execute("""
        select r.county, f.budget_year, f.level1, count(*)
        from marts.fct_indicator_target f join marts.dim_region r using (region_key)
        group by all order by all""").fetchall()
    assert rows == [
        ("卢龙县", 2024, "产出指标", 79), ("卢龙县", 2024, "效益指标", 27),
        ("卢龙县", 2024, "满意度指标", 18),
        ("大连高新技术产业园区", 2023, "产出指标", 41), ("大连高新技术产业园区", 2023, "效益指标", 9),
        ("大连高新技术产业园区", 2023, "满意度指标", 8),
        ("大连高新技术产业园区", 2024, "产出指标", 36), ("大连高新技术产业园区", 2024, "效益指标", 17),
        ("大连高新技术产业园区", 2024, "满意度指标", 7),
        ("承德县", 2024, "产出指标", 72), ("承德县", 2024, "效益指标", 42),
        ("承德县", 2024, "满意度指标", 12),
        ("西岗区", 2024, "产出指标", 11), ("西岗区", 2024, "效益指标", 7),
        ("西岗区", 2024, "满意度指标", 10), ("西岗区", 2024, "财政综合管理指标", 20),
    ]


@pytest.mark.parametrize("key, expected", [
    ("001", ("河北省", "秦皇岛市", "卢龙县", "130324", "县级行政区", "document and project code")),
    ("002", ("河北省", "承德市", "承德县", "130821", "县级行政区", "document and project code")),
    ("000", ("辽宁省", "大连市", "大连高新技术产业园区", None, "功能区", "document")),
    ("003", ("辽宁省", "大连市", "大连高新技术产业园区", None, "功能区", "document")),
    ("004", ("辽宁省", "大连市", "西岗区", "210203", "县级行政区", "document")),
])
def test_county_of_every_form(wh, key, expected):
    rows = wh.execute("""
        select distinct r.province, r.city, r.county, r.admin_code, r.region_type, k.region_basis
        from intermediate.int_forms__keys k
        join marts.dim_region r using (region_key)
        join staging.stg_forms__documents d using (document_id)
        where d.source_file = ?""", [SAMPLE[key].name]).fetchall()
    assert rows == [expected]
    assert wh.execute("select count(*) from marts.dim_project where region_conflict").fetchone()[0] == 0


def test_pest_control_costs_per_mu_across_counties(wh):
    rows = dict(wh.execute("""
        select p.project_name, u.yuan_per_unit from marts.fct_unit_cost u
        join marts.dim_project p using (project_key)
        where u.measure_code = 'pest_control_area' and u.base_unit = '亩'""").fetchall())
    assert rows.pop("美国白蛾防治费用") == pytest.approx(10 * 10000 / 80000)      # 10万元 / 8万亩
    assert rows.pop("2102林业有害生物防治业务经费") == pytest.approx(133.85 * 10000 / 70000)  # 7万亩
    [(name, cost)] = rows.items()
    assert name.startswith("冀财资环[2023]90号")
    assert cost == pytest.approx(24.75 * 10000 / 119400)                        # 11.94万亩


def test_areas_in_hectares_are_compared_in_mu(wh):
    rows = dict(wh.execute("""
        select p.project_name, u.value_base from marts.fct_unit_cost u
        join marts.dim_project p using (project_key)
        where u.measure_code in ('mine_restoration_area', 'land_acquired_area')""").fetchall())
    assert rows == {"矿山生态环境恢复治理补助项目": pytest.approx(138.11 * 15),   # 138.11 公顷
                    "自然资源局征地补偿款": pytest.approx(35 * 15)}               # ≥35公顷


def test_comparable_measures_seed_and_use(wh):
    n_measures = wh.execute("select count(*) from raw.comparable_measures").fetchone()[0]
    assert n_measures >= 15
    used = {r[0] for r in wh.execute(
        "select distinct measure_code from marts.fct_indicator_target where measure_code is not null").fetchall()}
    assert {"pest_control_area", "afforestation_area", "forest_tending_area", "mine_restoration_area",
            "geohazard_points_checked", "land_acquired_area", "archives_digitised",
            "property_registrations", "satisfaction_rate", "systems_built"} <= used
    # 承德 地质灾害治理: 52个 points checked with 100万元
    cost = wh.execute("select yuan_per_unit from marts.fct_unit_cost where measure_code = "
                      "'geohazard_points_checked'").fetchone()[0]
    assert cost == pytest.approx(100 * 10000 / 52)


def test_level_names_written_differently_map_to_the_standard_types(wh):
    rows = set(wh.execute("""
        select level1_written, level2_written, indicator_type_key, level1, level2
        from marts.fct_indicator_target where type_basis = 'alias'""").fetchall())
    assert ("效果指标", "社会效益指标", "outcome_social", "效益指标", "社会效益指标") in rows
    assert ("效果指标", "满意度指标", "satisfaction_service", "满意度指标", "服务对象满意度指标") in rows
    assert ("产出指标", "生态效益指标", "outcome_ecological", "效益指标", "生态效益指标") in rows
    assert wh.execute("select count(*) from marts.fct_indicator_target "
                      "where indicator_type_key = 'unmapped'").fetchone()[0] == 0


def test_department_indicators_have_no_project(wh):
    rows = wh.execute("""
        select form_kind, count(*), count(project_key) from marts.fct_indicator_target
        group by 1 order by 1""").fetchall()
    assert rows == [("department", 42, 0), ("project", 368, 368), ("purchase_service", 6, 6)]


def test_region_dimension_covers_the_country(wh):
    n, provinces = wh.execute("select count(*), count(distinct province) from marts.dim_region "
                              "where region_type = '县级行政区'").fetchone()
    assert n > 2800 and provinces >= 31
    # the zone the 大连 documents name, under its city, with no code; a city's own level
    assert wh.execute("select region_key, city, admin_code, region_type from marts.dim_region "
                      "where region_type = '功能区'").fetchall() == [
        ("zone:大连高新技术产业园区", "大连市", None, "功能区")]
    assert wh.execute("select county, admin_code from marts.dim_region where region_key = '420200'"
                      ).fetchall() == [("黄石市本级", "420200")]


def _marts(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f"select * from marts.{t} order by all").fetchall() for t in MARTS}


def test_a_second_build_gives_identical_marts(built_warehouse, tmp_path):
    target = tmp_path / "again.duckdb"
    build([SAMPLES_DIR], target)
    first = _marts(target)
    build([SAMPLES_DIR], target)
    assert _marts(target) == first
    assert first == _marts(built_warehouse)      # and the same as a build in another file


def _variant(src, dst, replacements):
    text = src.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    dst.write_text(text, encoding="utf-8")


def test_unmapped_types_and_region_conflicts_are_reported(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    # 承德's forms with a level-1 name nobody uses, and 卢龙's with 承德's code prefix
    _variant(SAMPLE["002"], docs / "chengde_renamed.txt", [("满意度指标", "群众评价指标")])
    _variant(SAMPLE["001"], docs / "lulong_wrong_code.txt", [("13032424P00443110856D", "13082124P00443110856D")])
    summary = build([docs], tmp_path / "odd.duckdb")
    assert any(w.startswith("unmapped_indicator_types") for w in summary.warnings)
    assert any(w.startswith("region_conflicts") for w in summary.warnings)
    with duckdb.connect(str(tmp_path / "odd.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_indicator_target where indicator_type_key "
                           "= 'unmapped' and level1_written = '群众评价指标'").fetchone()[0] == 12
        conflict = con.execute("""select project_name, region_key, region_key_from_code
                                  from marts.dim_project where region_conflict""").fetchall()
    assert conflict == [("美国白蛾防治费用", "130324", "130821")]


def test_dbt_docs_describe_every_model_and_column(built_warehouse, tmp_path):
    copy = tmp_path / "w.duckdb"
    shutil.copyfile(built_warehouse, copy)
    page = generate_docs(copy, tmp_path / "docs")
    assert page.exists()
    manifest = json.loads((tmp_path / "docs" / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((tmp_path / "docs" / "catalog.json").read_text(encoding="utf-8"))
    undocumented = []
    for uid, node in catalog["nodes"].items():
        documented = manifest["nodes"][uid]
        if not documented["description"]:
            undocumented.append(uid)
        undocumented += [f"{uid}.{c}" for c in node["columns"]
                         if not documented["columns"].get(c, {}).get("description")]
    assert {uid.split(".")[-1] for uid in catalog["nodes"]} >= set(MARTS)
    assert undocumented == []

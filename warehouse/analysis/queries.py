"""The questions the notebooks and the audit report ask of the published warehouse, as polars
frames. The warehouse is opened read-only: a running build writes into its own copy and
publishes by renaming, so readers are never blocked and never see a half-built file."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from warehouse.paths import published_warehouse

# Purpose of a project, from words in its name (the forms carry no functional classification).
PURPOSES = [
    ("林业与生态", "林|造林|白蛾|有害生物|植树|野生动物|湿地|绿化"),
    ("矿山与地质灾害", "矿山|地质灾害|危岩"),
    ("土地收储与征收", "土地|征地|地块|收储|拆迁|出让|耕地|先予处置"),
    ("不动产登记", "不动产|登记|证书|档案"),
    ("国土空间规划", "规划|测绘|地勘|选址"),
    ("信息化与运维", "信息|系统|网络|软件|专网|平台|数字化"),
    ("人员与机构运转", "劳务|医保|人员|业务经费|运行|工作经费|改制|委托"),
]
# Errors first, then warnings, then notes.
SEVERITY_RANK = "case x.severity when 'error' then 0 when 'warning' then 1 else 2 end"
QUARTERS = {"spend_q1_pct": "3月底", "spend_q2_pct": "6月底", "spend_q3_pct": "10月底",
            "spend_q4_pct": "12月底"}


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The published warehouse, read-only ($JIXIAO_WAREHOUSE or warehouse/jixiao.duckdb)."""
    target = published_warehouse(path)
    if not target.exists():
        raise FileNotFoundError(f"{target}: no published warehouse; run `make demo` or `jixiao build` first")
    return duckdb.connect(str(target), read_only=True)


def _purpose_sql(column: str) -> str:
    cases = " ".join(f"when regexp_matches({column}, '{pattern}') then '{name}'" for name, pattern in PURPOSES)
    return f"case {cases} else '其他' end"


def _frame(con, sql: str, params=()) -> pl.DataFrame:
    return con.sql(sql, params=list(params) or None).pl()


def overview(con) -> pl.DataFrame:
    """Per county, department and year: forms, indicator rows, budget (万元)."""
    return _frame(con, """
        with forms as (
            select region_key, department_key, budget_year, budget_total_wan, 'project' as kind
            from marts.fct_project_funding
            union all
            select region_key, department_key, budget_year, budget_total_wan, 'department'
            from marts.fct_department_budget)
        select r.county, d.department_name, coalesce(d.budget_unit_name, d.department_name) as budget_unit,
               f.budget_year,
               count(*) filter (where f.kind = 'project') as project_forms,
               count(*) filter (where f.kind = 'department') as department_forms,
               (select count(*) from marts.fct_indicator_target t
                 where t.department_key = f.department_key and t.budget_year = f.budget_year) as indicator_rows,
               round(sum(f.budget_total_wan) filter (where f.kind = 'project'), 2) as project_budget_wan,
               round(sum(f.budget_total_wan) filter (where f.kind = 'department'), 2) as department_budget_wan
        from forms f
        join marts.dim_region r using (region_key)
        join marts.dim_department d using (department_key)
        group by all
        order by r.county, f.budget_year, budget_unit""")


def funding(con) -> pl.DataFrame:
    """Project funding per county, year, department and purpose (万元)."""
    return _frame(con, f"""
        select r.county, f.budget_year, d.department_name, {_purpose_sql('p.project_name')} as purpose,
               count(*) as projects, round(sum(f.budget_total_wan), 2) as budget_wan
        from marts.fct_project_funding f
        join marts.dim_project p using (project_key)
        join marts.dim_region r on r.region_key = f.region_key
        join marts.dim_department d on d.department_key = f.department_key
        group by all order by r.county, f.budget_year, budget_wan desc""")


def unit_costs(con) -> pl.DataFrame:
    """Yuan per unit of each comparable measure, per project, with the measure's name."""
    return _frame(con, """
        select m.measure_name, u.measure_code, r.county, p.project_name, u.budget_year,
               u.budget_total_wan, u.value_base, u.base_unit, round(u.yuan_per_unit, 2) as yuan_per_unit,
               u.n_measures_in_project,
               count(distinct r.county) over (partition by u.measure_code) as counties_with_measure
        from marts.fct_unit_cost u
        join raw.comparable_measures m using (measure_code)
        join marts.dim_project p using (project_key)
        join marts.dim_region r on r.region_key = u.region_key
        order by m.priority, u.yuan_per_unit""")


def spending_plans(con) -> pl.DataFrame:
    """Cumulative spending plan (%) per project and quarter end, long format."""
    wide = _frame(con, """
        select r.county, p.project_name, f.budget_total_wan, f.spend_q1_pct, f.spend_q2_pct,
               f.spend_q3_pct, f.spend_q4_pct
        from marts.fct_project_funding f
        join marts.dim_project p using (project_key)
        join marts.dim_region r on r.region_key = f.region_key
        where f.spend_q4_pct is not null""")
    return (wide.unpivot(index=["county", "project_name", "budget_total_wan"], on=list(QUARTERS),
                         variable_name="quarter", value_name="spent_pct")
            .with_columns(pl.col("quarter").replace_strict(QUARTERS)))


def rate_targets(con) -> pl.DataFrame:
    """Satisfaction and quality (pass-rate) targets in %, per county."""
    return _frame(con, """
        select r.county, case t.measure_code when 'satisfaction_rate' then '满意度' else '合格率/达标率' end as target,
               t.level3, t.raw_value, t.op, t.value_base as target_pct, p.project_name
        from marts.fct_indicator_target t
        join marts.dim_region r using (region_key)
        left join marts.dim_project p using (project_key)
        where t.measure_code in ('satisfaction_rate', 'pass_rate') and t.value_kind = 'numeric'
        order by r.county""")


def findings(con) -> pl.DataFrame:
    """Every finding with its county and department."""
    return _frame(con, f"""
        select x.rule_code, x.severity, x.category, r.county, d.department_name, x.form_label,
               x.indicator_name, x.message, x.source_file, x.source_line
        from marts.fct_target_findings x
        join marts.dim_region r using (region_key)
        join marts.dim_department d using (department_key)
        order by {SEVERITY_RANK}, x.rule_code""")


def scorecard(con) -> pl.DataFrame:
    """Per department: forms, indicator rows, findings by severity, findings per form."""
    return _frame(con, """
        with forms as (
            select department_key, count(*) as forms from intermediate.int_forms__keys group by 1),
        rows as (
            select department_key, count(*) as indicator_rows from marts.fct_indicator_target group by 1),
        found as (
            select department_key,
                   count(*) filter (where severity = 'error') as errors,
                   count(*) filter (where severity = 'warning') as warnings,
                   count(*) filter (where severity = 'info') as infos
            from marts.fct_target_findings group by 1)
        select r.county, d.department_name, coalesce(d.budget_unit_name, d.department_name) as budget_unit,
               forms.forms, rows.indicator_rows,
               coalesce(found.errors, 0) as errors, coalesce(found.warnings, 0) as warnings,
               coalesce(found.infos, 0) as infos,
               round((coalesce(found.errors, 0) + coalesce(found.warnings, 0)) / forms.forms, 2)
                   as findings_per_form
        from marts.dim_department d
        join marts.dim_region r using (region_key)
        join forms using (department_key)
        left join rows using (department_key)
        left join found using (department_key)
        order by findings_per_form desc, r.county""")


def worst_forms(con, limit: int = 5) -> pl.DataFrame:
    """The forms with the most serious findings (an error counts 3, a warning 1)."""
    return _frame(con, f"""
        select r.county, x.form_label, count(*) as findings,
               sum(case x.severity when 'error' then 3 when 'warning' then 1 else 0 end)::integer as score,
               string_agg(x.message, '\n' order by {SEVERITY_RANK}, x.rule_code) as messages
        from marts.fct_target_findings x
        join marts.dim_region r using (region_key)
        group by all order by score desc, findings desc limit ?""", [limit])

"""The questions the notebooks and the audit report ask of the published warehouse, as polars
frames. Every query takes a Scope (budget years, counties) and groups by budget year, so no
total mixes years; sums stay exact decimals (DECIMAL in DuckDB, Decimal in polars) and a sum
with nothing to add is null, not 0. Aggregation happens in DuckDB, so a national warehouse
hands the charts a few hundred rows, not its raw rows. Every ORDER BY is total: the same
warehouse gives the same rows in the same order.

The warehouse is opened read-only: a running build writes into its own copy and publishes by
renaming, so readers are never blocked and never see a half-built file."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from warehouse.analysis.scope import Scope
from warehouse.reading import open_published

QUARTERS = {"spend_q1_pct": "3月底", "spend_q2_pct": "6月底", "spend_q3_pct": "10月底",
            "spend_q4_pct": "12月底"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
EVERYTHING = Scope()


def connect(scope: Scope | Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """The published warehouse of the scope (or a path), read-only."""
    target = scope.path if isinstance(scope, Scope) else Scope.of(scope).path
    if not target.exists():
        raise FileNotFoundError(f"{target}: no published warehouse; run `make demo` or `jixiao build` first")
    return open_published(target)   # safe while a build publishes over it


def _frame(con, sql: str, scope: Scope = EVERYTHING, **params) -> pl.DataFrame:
    values = {k: v for k, v in {**scope.params(), **params}.items() if f"${k}" in sql}  # DuckDB wants exactly these
    return con.sql(sql, params=values or None).pl()


def _scalar(con, sql: str, scope: Scope = EVERYTHING, **params):
    return _frame(con, sql, scope, **params).item()


# -- scope and totals ---------------------------------------------------------------------

_FORMS = """
    select project_key as form_id, 'project' as kind, budget_year, county, budget_unit,
           department_key, budget_total_wan, n_indicators, source_file
    from marts.projects
    union all
    select b.department_form_key, 'department', b.budget_year, r.county,
           coalesce(d.budget_unit_name, d.department_name), b.department_key, b.budget_total_wan,
           b.n_indicators, b.source_file
    from marts.fct_department_budget b
    join marts.dim_region r using (region_key)
    join marts.dim_department d using (department_key)"""


def available(con) -> pl.DataFrame:
    """Every budget year and county in the warehouse, with its forms (to choose a scope)."""
    return _frame(con, f"""
        select budget_year, county, count(*) as forms from ({_FORMS}) group by all
        order by budget_year, county""")


def summary(con, scope: Scope) -> dict:
    """What the scope holds: its years, counties, documents, forms and indicator rows."""
    forms = _frame(con, f"select * from ({_FORMS}) where {scope.where()}", scope)
    indicators = _scalar(con, f"select count(*) from marts.indicators where {scope.where()}", scope)
    return {"years": sorted(forms["budget_year"].unique().to_list()),
            "counties": sorted(forms["county"].unique().to_list()),
            "documents": forms["source_file"].n_unique(),
            "forms": forms.height,
            "project_forms": forms.filter(pl.col("kind") == "project").height,
            "department_forms": forms.filter(pl.col("kind") == "department").height,
            "indicator_rows": indicators}


def documents(con, scope: Scope) -> pl.DataFrame:
    """One row per document in the marts: its county, year, forms and indicator rows."""
    return _frame(con, f"""
        select source_file, county, budget_year, count(*) as forms,
               sum(n_indicators)::bigint as indicator_rows
        from ({_FORMS}) where {scope.where()}
        group by all order by county, budget_year, source_file""", scope)


_TOTALS = """count(distinct source_file) as documents,
               count(*) filter (where kind = 'project') as project_forms,
               count(*) filter (where kind = 'department') as department_forms,
               sum(n_indicators)::bigint as indicator_rows,
               sum(budget_total_wan) filter (where kind = 'project') as project_budget_wan,
               sum(budget_total_wan) filter (where kind = 'department') as department_budget_wan"""


def totals_by_year(con, scope: Scope) -> pl.DataFrame:
    """Per budget year: counties, documents, forms, indicator rows, budgets (万元)."""
    return _frame(con, f"""
        select budget_year, count(distinct county) as counties, {_TOTALS}
        from ({_FORMS}) where {scope.where()}
        group by budget_year order by budget_year""", scope)


def totals_by_county(con, scope: Scope) -> pl.DataFrame:
    """Per budget year and county: documents, forms, indicator rows, budgets (万元)."""
    return _frame(con, f"""
        select budget_year, county, {_TOTALS}
        from ({_FORMS}) where {scope.where()}
        group by all order by budget_year, county""", scope)


def overview(con, scope: Scope) -> pl.DataFrame:
    """Per budget year, county and budget unit: forms, indicator rows, budgets (万元)."""
    return _frame(con, f"""
        select budget_year, county, budget_unit,
               count(*) filter (where kind = 'project') as project_forms,
               count(*) filter (where kind = 'department') as department_forms,
               sum(n_indicators)::bigint as indicator_rows,
               sum(budget_total_wan) filter (where kind = 'project') as project_budget_wan,
               sum(budget_total_wan) filter (where kind = 'department') as department_budget_wan
        from ({_FORMS}) where {scope.where()}
        group by all order by budget_year, county, budget_unit""", scope)


def indicator_kinds(con, scope: Scope) -> pl.DataFrame:
    """Indicator rows per budget year, level-1 type and value kind."""
    return _frame(con, f"""
        select budget_year, level1, value_kind, count(*) as indicator_rows
        from marts.indicators where {scope.where()}
        group by all order by budget_year, level1, value_kind""", scope)


# -- funding ------------------------------------------------------------------------------

def funding(con, scope: Scope) -> pl.DataFrame:
    """Project funding per budget year, county and purpose (万元, exact); `budget_wan` is null
    when no form of the group prints a budget."""
    return _frame(con, f"""
        select budget_year, county, purpose_name, count(*) as projects,
               count(budget_total_wan) as projects_with_budget, sum(budget_total_wan) as budget_wan
        from marts.projects where {scope.where()}
        group by all order by budget_year, county, purpose_name""", scope)


def funding_by_purpose(con, scope: Scope) -> pl.DataFrame:
    """Project funding per budget year and purpose (万元)."""
    return _frame(con, f"""
        select budget_year, purpose_name, count(distinct county) as counties, count(*) as projects,
               sum(budget_total_wan) as budget_wan
        from marts.projects where {scope.where()}
        group by all order by budget_year, budget_wan desc nulls last, purpose_name""", scope)


def funding_by_county(con, scope: Scope, top: int = 20) -> pl.DataFrame:
    """For the chart: per budget year the `top` counties by project budget, each split by
    purpose; the rest of the year's counties folded into one bar (其他 n 个县区)."""
    return _frame(con, f"""
        with per_county as (
            select budget_year, county, purpose_name, count(*) as projects,
                   sum(budget_total_wan) as budget_wan
            from marts.projects where {scope.where()} group by all),
        ranked as (
            select *, dense_rank() over (partition by budget_year order by county_total desc, county) as rank,
                   count(distinct county) over (partition by budget_year) as n_counties
            from (select *, sum(budget_wan) over (partition by budget_year, county) as county_total
                  from per_county))
        select budget_year,
               case when rank <= $top then county
                    else '其他 ' || (n_counties - $top) || ' 个县区' end as county,
               min(rank) as rank, purpose_name, sum(projects)::bigint as projects,
               sum(budget_wan) as budget_wan
        from ranked group by all order by budget_year, rank, purpose_name""", scope, top=top)


def funding_by_unit(con, scope: Scope, top: int = 15) -> pl.DataFrame:
    """For the chart and its table: per budget year the `top` budget units by project budget."""
    return _frame(con, f"""
        select * from (
            select budget_year, county, budget_unit, count(*) as projects,
                   sum(budget_total_wan) as budget_wan,
                   row_number() over (partition by budget_year
                                      order by sum(budget_total_wan) desc nulls last, county, budget_unit) as rank
            from marts.projects where {scope.where()} group by budget_year, county, budget_unit)
        where rank <= $top order by budget_year, rank""", scope, top=top)


# -- unit costs ---------------------------------------------------------------------------

_UNIT_COSTS = """
    select u.budget_year, p.purpose_name, m.measure_name, u.base_unit, p.county, p.project_name,
           u.budget_total_wan, u.value_base, u.yuan_per_unit, u.n_measures_in_project,
           u.peer_projects, u.peer_counties, u.project_key, u.measure_code, m.priority
    from marts.fct_unit_cost u
    join marts.projects p using (project_key)
    join raw.comparable_measures m using (measure_code)"""


def unit_costs(con, scope: Scope, min_peers: int = 2) -> pl.DataFrame:
    """Yuan per unit of comparable measures, one row per project, only in groups (budget year
    × purpose × measure) with at least `min_peers` projects: a unit cost is compared only
    with projects of the same purpose, measure and year."""
    return _frame(con, f"""
        select * exclude (priority) from ({_UNIT_COSTS})
        where {scope.where()} and peer_projects >= $min_peers
        order by budget_year, purpose_name, priority, yuan_per_unit, county, project_key""",
                  scope, min_peers=min_peers)


def unit_cost_groups(con, scope: Scope, min_peers: int = 2) -> pl.DataFrame:
    """Per comparable group (budget year × purpose × measure): projects, counties, lowest,
    median and highest yuan per unit, and how far apart they are."""
    return _frame(con, f"""
        select budget_year, purpose_name, measure_name, base_unit, count(*) as projects,
               count(distinct county) as counties, min(yuan_per_unit) as lowest,
               median(yuan_per_unit) as median, max(yuan_per_unit) as highest,
               max(yuan_per_unit) / nullif(min(yuan_per_unit), 0) as spread
        from ({_UNIT_COSTS}) where {scope.where()} and peer_projects >= $min_peers
        group by all order by budget_year, purpose_name, min(priority)""", scope, min_peers=min_peers)


def unit_cost_points(con, scope: Scope, min_peers: int = 2, limit: int = 1500) -> tuple[pl.DataFrame, int]:
    """For the chart, which needs one point per project: the comparable rows, at most `limit`
    of them, a fixed sample (by key hash, so every run draws the same) when there are more;
    returns (rows, how many there are in all) so the chart can say it samples."""
    where = f"{scope.where()} and peer_projects >= $min_peers"
    total = _scalar(con, f"select count(*) from ({_UNIT_COSTS}) where {where}", scope, min_peers=min_peers)
    rows = _frame(con, f"""
        select budget_year, purpose_name || ' · ' || measure_name || '（元/' || base_unit || '）' as comparable_group,
               county, project_name, budget_total_wan, value_base, base_unit, yuan_per_unit, peer_projects
        from ({_UNIT_COSTS}) where {where}
        order by md5(project_key || measure_code) limit $limit""", scope, min_peers=min_peers, limit=limit)
    return rows.sort("budget_year", "comparable_group", "yuan_per_unit", "county", "project_name"), total


# -- spending plans and rate targets ------------------------------------------------------

def spending_plans(con, scope: Scope, top: int = 8) -> pl.DataFrame:
    """Average cumulative spending plan (%) per budget year, county and quarter end, for the
    `top` counties with most plans per year; plus the year's average over all counties."""
    return _frame(con, f"""
        with plans as (
            select budget_year, county, spend_q1_pct, spend_q2_pct, spend_q3_pct, spend_q4_pct
            from marts.projects where {scope.where()} and spend_q4_pct is not null),
        long as (
            unpivot plans on spend_q1_pct, spend_q2_pct, spend_q3_pct, spend_q4_pct
            into name quarter value spent_pct),
        ranked as (
            select county, budget_year,
                   row_number() over (partition by budget_year order by count(*) desc, county) as rank
            from plans group by county, budget_year)
        select l.budget_year, l.county, l.quarter, avg(l.spent_pct) as spent_pct,
               count(*) as projects
        from long l join ranked r using (budget_year, county)
        where r.rank <= $top group by all
        union all
        select budget_year, '全部县区平均', quarter, avg(spent_pct), count(*) from long group by all
        order by budget_year, county, quarter""", scope, top=top).with_columns(
        pl.col("quarter").replace_strict(QUARTERS))


def rate_targets(con, scope: Scope) -> pl.DataFrame:
    """Satisfaction and pass-rate targets (%): how many targets of each value and comparison,
    per budget year (a histogram, whatever the number of counties)."""
    return _frame(con, f"""
        select budget_year,
               case measure_code when 'satisfaction_rate' then '满意度' else '合格率/达标率' end as target,
               value_base as target_pct, op, count(*) as targets
        from marts.indicators
        where {scope.where()} and measure_code in ('satisfaction_rate', 'pass_rate')
              and value_kind = 'numeric'
        group by all order by budget_year, target, target_pct, op""", scope)


def rate_summary(con, scope: Scope) -> pl.DataFrame:
    """Per budget year, county and target kind: number of targets, lowest, median, highest %."""
    return _frame(con, f"""
        select budget_year, county,
               case measure_code when 'satisfaction_rate' then '满意度' else '合格率/达标率' end as target,
               count(*) as targets, min(value_base) as lowest_pct, median(value_base) as median_pct,
               max(value_base) as highest_pct
        from marts.indicators
        where {scope.where()} and measure_code in ('satisfaction_rate', 'pass_rate')
              and value_kind = 'numeric'
        group by all order by budget_year, county, target""", scope)


# -- findings -----------------------------------------------------------------------------

def findings(con, scope: Scope, severities: tuple[str, ...] = ("error", "warning", "info")) -> pl.DataFrame:
    """Every finding in the scope, with the rule's Chinese name and basis and the case's
    source; by severity, rule, year, county, file and place."""
    return _frame(con, f"""
        select budget_year, rule_code, rule_name_zh, severity, severity_zh, category, rule_basis,
               county, department_name, budget_unit, form_label, indicator_name, message,
               source_file, source_line, finding_key
        from marts.findings
        where {scope.where()} and list_contains($severities::varchar[], severity)
        order by severity_rank, rule_code, budget_year, county, source_file,
                 try_cast(regexp_extract(source_line, '\\d+') as integer), source_line, finding_key""",
                  scope, severities=list(severities))


def findings_by_rule(con, scope: Scope) -> pl.DataFrame:
    """Per rule and budget year: severity, the rule's Chinese name and basis, findings, forms."""
    return _frame(con, f"""
        select budget_year, severity, severity_zh, rule_code, rule_name_zh, rule_basis,
               count(*) as findings, count(distinct form_id) as forms
        from marts.findings where {scope.where()}
        group by all order by budget_year, min(severity_rank), findings desc, rule_code""", scope)


def findings_by_county(con, scope: Scope) -> pl.DataFrame:
    """Per budget year and county: findings by severity."""
    return _frame(con, f"""
        select budget_year, county,
               count(*) filter (where severity = 'error') as errors,
               count(*) filter (where severity = 'warning') as warnings,
               count(*) filter (where severity = 'info') as infos
        from marts.findings where {scope.where()}
        group by all order by budget_year, errors desc, warnings desc, county""", scope)


def scorecard(con, scope: Scope, top: int | None = None) -> pl.DataFrame:
    """Per budget year and budget unit: forms, indicator rows, findings by severity, and
    errors and warnings per form (infos are style, not counted per form); worst first. `top`
    keeps the worst units of each year."""
    return _frame(con, f"""
        with forms as (
            select budget_year, county, budget_unit, department_key, count(*) as forms,
                   sum(n_indicators)::bigint as indicator_rows
            from ({_FORMS}) where {scope.where()} group by all),
        found as (
            select x.budget_year, x.department_key,
                   count(*) filter (where severity = 'error') as errors,
                   count(*) filter (where severity = 'warning') as warnings,
                   count(*) filter (where severity = 'info') as infos
            from marts.fct_target_findings x group by all),
        scored as (
            select forms.budget_year, county, budget_unit, forms, indicator_rows,
                   coalesce(errors, 0) as errors, coalesce(warnings, 0) as warnings,
                   coalesce(infos, 0) as infos,
                   round(coalesce(errors, 0) / forms, 2) as errors_per_form,
                   round(coalesce(warnings, 0) / forms, 2) as warnings_per_form,
                   round((coalesce(errors, 0) + coalesce(warnings, 0)) / forms, 2) as findings_per_form
            from forms left join found using (budget_year, department_key)),
        ranked as (
            select *, row_number() over (partition by budget_year
                order by findings_per_form desc, errors_per_form desc, county, budget_unit) as rank
            from scored)
        select * from ranked where $top is null or rank <= $top
        order by budget_year, rank""", scope, top=top)


def worst_forms(con, scope: Scope, limit: int = 10) -> pl.DataFrame:
    """The forms with the most serious findings (an error counts 3, a warning 1), per year.
    Forms are ranked on counts first; messages are gathered only for the forms kept."""
    return _frame(con, f"""
        with scored as (
            select budget_year, form_id, any_value(county) as county, any_value(form_label) as form_label,
                   any_value(source_file) as source_file, count(*) as findings,
                   sum(case severity when 'error' then 3 when 'warning' then 1 else 0 end)::integer as score
            from marts.findings where {scope.where()}
            group by budget_year, form_id),
        kept as (
            select *, row_number() over (partition by budget_year
                                         order by score desc, findings desc, county, form_label, form_id) as rank
            from scored qualify rank <= $limit)
        select kept.budget_year, kept.county, kept.form_label, kept.source_file, kept.findings,
               kept.score,
               string_agg(f.message, '\n' order by f.severity_rank, f.rule_code, f.source_line) as messages,
               kept.rank
        from kept
        join marts.findings f on f.form_id = kept.form_id and f.budget_year is not distinct from kept.budget_year
        group by all order by kept.budget_year, kept.rank""", scope, limit=limit)


# -- drill-down: county → project → indicators ---------------------------------------------

def county_projects(con, scope: Scope) -> pl.DataFrame:
    """The project forms of the scope's counties: budget, purpose, findings, and where each
    form is printed; the ones with most errors and warnings first."""
    return _frame(con, f"""
        select budget_year, county, budget_unit, project_name, purpose_name, budget_total_wan,
               n_indicators, n_errors, n_warnings, n_infos, source_file, source_line, project_key
        from marts.projects where {scope.where()}
        order by budget_year, county, n_errors desc, n_warnings desc, budget_unit, project_name, project_key""",
                  scope)


def project_indicators(con, project_key: str) -> pl.DataFrame:
    """The indicator rows of one project form, in the form's order, with their source line."""
    return _frame(con, """
        select level1, level2, level3, raw_value, value_kind, op, value, unit, value_base, base_unit,
               measure_name, source_file, source_line
        from marts.indicators where project_key = $project_key order by indicator_seq, indicator_key""",
                  project_key=project_key)


def project_findings(con, project_key: str) -> pl.DataFrame:
    """The findings on one project form, with the rule's name and basis and their source."""
    return _frame(con, """
        select severity_zh, rule_name_zh, message, rule_basis, source_file, source_line
        from marts.findings where project_key = $project_key
        order by severity_rank, rule_code, source_line, finding_key""", project_key=project_key)

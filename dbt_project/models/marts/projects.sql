-- One row per project form with everything an analyst reads about it, without joins: where
-- (county, department), when (budget year), what for (purpose), how much (万元, exact), its
-- spending plan, how many indicators and findings, and where it is printed.
{{ config(materialized='view') }}

with findings as (
    select
        project_key,
        count(*) filter (where severity = 'error') as n_errors,
        count(*) filter (where severity = 'warning') as n_warnings,
        count(*) filter (where severity = 'info') as n_infos
    from {{ ref('fct_target_findings') }}
    where project_key is not null
    group by project_key
)

select
    p.project_key,
    p.budget_year,
    r.province,
    r.city,
    r.county,
    p.region_key,
    d.department_name,
    coalesce(d.budget_unit_name, d.department_name) as budget_unit,
    p.department_key,
    p.project_name,
    p.project_code,
    p.form_kind,
    p.purpose_code,
    p.purpose_name,
    f.budget_total_wan,
    f.fiscal_wan,
    f.other_wan,
    f.spend_q1_pct,
    f.spend_q2_pct,
    f.spend_q3_pct,
    f.spend_q4_pct,
    p.n_indicators,
    coalesce(findings.n_errors, 0) as n_errors,
    coalesce(findings.n_warnings, 0) as n_warnings,
    coalesce(findings.n_infos, 0) as n_infos,
    p.source_file,
    p.source_line
from {{ ref('dim_project') }} as p
inner join {{ ref('fct_project_funding') }} as f using (project_key)
inner join {{ ref('dim_region') }} as r on r.region_key = p.region_key
inner join {{ ref('dim_department') }} as d on d.department_key = p.department_key
left join findings using (project_key)

-- One row per finding with the rule's Chinese name and basis (依据), the county, year and
-- purpose of its form, and its source (file and line): what an audit working paper lists.
{{ config(materialized='view') }}

select
    x.finding_key,
    x.rule_code,
    rules.rule_name_zh,
    x.severity,
    case x.severity when 'error' then '错误' when 'warning' then '警告' else '提示' end as severity_zh,
    case x.severity when 'error' then 0 when 'warning' then 1 else 2 end as severity_rank,
    x.category,
    x.budget_year,
    r.province,
    r.city,
    r.county,
    d.department_name,
    coalesce(d.budget_unit_name, d.department_name) as budget_unit,
    x.form_id,
    x.form_kind,
    x.form_label,
    x.project_key,
    p.purpose_name,
    x.indicator_key,
    x.indicator_name,
    x.message,
    rules.source as rule_basis,
    x.source_file,
    x.source_line
from {{ ref('fct_target_findings') }} as x
inner join {{ ref('finding_rules') }} as rules using (rule_code)
inner join {{ ref('dim_region') }} as r on r.region_key = x.region_key
inner join {{ ref('dim_department') }} as d on d.department_key = x.department_key
left join {{ ref('dim_project') }} as p on p.project_key = x.project_key

-- One row per indicator row with its project, county, year, purpose and parsed target
-- (value, unit, base value), readable without joins. Department-level indicators have no
-- project: their form_label is the department.
{{ config(materialized='view') }}

select
    t.indicator_key,
    t.project_key,
    t.form_id,
    t.form_kind,
    t.budget_year,
    r.province,
    r.city,
    r.county,
    d.department_name,
    coalesce(d.budget_unit_name, d.department_name) as budget_unit,
    p.project_name,
    coalesce(p.project_name, d.department_name) as form_label,
    p.purpose_name,
    t.level1,
    t.level2,
    t.level3,
    t.indicator_seq,
    t.description,
    t.raw_value,
    t.value_kind,
    t.op,
    t.value,
    t.unit,
    t.value_base,
    t.base_unit,
    t.deadline,
    t.measure_code,
    m.measure_name,
    t.source_file,
    t.source_line
from {{ ref('fct_indicator_target') }} as t
inner join {{ ref('dim_region') }} as r on r.region_key = t.region_key
inner join {{ ref('dim_department') }} as d on d.department_key = t.department_key
left join {{ ref('dim_project') }} as p on p.project_key = t.project_key
left join {{ ref('comparable_measures') }} as m on m.measure_code = t.measure_code

-- Every form as the finding rules see it: a label to name it by, its amounts and plan, and
-- how many indicator rows it has per category.
-- A table, computed once (every rule and its tests read it), incremental by form (macro
-- incremental_by_form).
{{ config(
    materialized='incremental', incremental_strategy='append', on_schema_change='fail',
    pre_hook="{{ delete_forms_gone(ref('stg_forms__forms'), by_file=true) }}"
) }}

with forms as (
    select * from {{ ref('stg_forms__forms') }}
),

keys as (
    select form_id, department_key, region_key from {{ ref('int_forms__keys') }}
),

indicators as (
    select
        form_id,
        count(*) as n_indicators,
        count(*) filter (where indicator_type_key in
            ('output_quantity', 'output_quality', 'output_timeliness')) as n_output,
        count(*) filter (where indicator_type_key like 'outcome_%') as n_outcome,
        count(*) filter (where indicator_type_key = 'satisfaction_service') as n_satisfaction,
        count(*) filter (where indicator_type_key = 'output_cost'
                            or indicator_type_key like 'cost_%') as n_cost
    from {{ ref('fct_indicator_target') }}
    where {{ is_form_to_build('form_id', ref('stg_forms__forms'), by_file=true) }}
    group by form_id
)

select
    forms.form_id,
    case when forms.form_kind <> 'department' then forms.form_id end as project_key,
    forms.form_kind,
    coalesce(forms.project_name, forms.department_name, forms.title) as form_label,
    forms.budget_year,
    forms.budget_total_wan,
    forms.fiscal_wan,
    forms.other_wan,
    forms.period_total_wan,
    forms.basic_expenditure_wan,
    forms.project_expenditure_wan,
    forms.staff_at_year_end,
    forms.spend_q1_pct,
    forms.spend_q2_pct,
    forms.spend_q3_pct,
    forms.spend_q4_pct,
    nullif(trim(coalesce(forms.goal_annual, forms.goal_period, '')), '') as goal_text,
    forms.redacted,
    coalesce(indicators.n_indicators, 0) as n_indicators,
    coalesce(indicators.n_output, 0) as n_output,
    coalesce(indicators.n_outcome, 0) as n_outcome,
    coalesce(indicators.n_satisfaction, 0) as n_satisfaction,
    coalesce(indicators.n_cost, 0) as n_cost,
    keys.department_key,
    keys.region_key,
    forms.source_file,
    forms.source_line
from forms
inner join keys using (form_id)
left join indicators using (form_id)
where {{ is_form_to_build('forms.form_id', ref('stg_forms__forms'), by_file=true) }}

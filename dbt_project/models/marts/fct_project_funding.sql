-- Funding of each project form in 万元 and its cumulative spending plan in %.
-- Incremental by form (macro incremental_by_form).
{{ config(
    materialized='incremental', incremental_strategy='append', on_schema_change='fail',
    pre_hook="{{ delete_forms_gone(ref('stg_forms__forms'), key='project_key') }}"
) }}

with keys as (
    select * from {{ ref('int_forms__keys') }}
    where form_kind in ('project', 'purchase_service')
),

forms as (
    select * from {{ ref('stg_forms__forms') }}
)

select
    keys.form_id as project_key,
    keys.budget_year,
    keys.region_key,
    keys.department_key,
    forms.budget_total_wan,
    forms.fiscal_wan,
    forms.other_wan,
    forms.period_total_wan,
    forms.spend_q1_pct,
    forms.spend_q2_pct,
    forms.spend_q3_pct,
    forms.spend_q4_pct
from keys
inner join forms using (form_id)
where {{ is_form_to_build('keys.form_id', ref('stg_forms__forms'), key='project_key') }}

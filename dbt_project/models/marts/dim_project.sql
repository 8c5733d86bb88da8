-- One row per project form (项目支出 and 购买服务); department-level forms are in
-- fct_department_budget. The key is the form id, stable across builds because it is derived
-- from the document's SHA-256 and the form's position in it. Incremental by form (macro
-- incremental_by_form).
{{ config(
    materialized='incremental', incremental_strategy='append', on_schema_change='fail',
    pre_hook="{{ delete_forms_gone(ref('stg_forms__forms'), key='project_key', by_file=true) }}"
) }}

with keys as (
    select * from {{ ref('int_forms__keys') }}
    where form_kind in ('project', 'purchase_service')
),

forms as (
    select * from {{ ref('stg_forms__forms') }}
),

documents as (
    select document_id, layout from {{ ref('stg_forms__documents') }}
),

purposes as (
    select * from {{ ref('int_projects__purposes') }}
)

select
    keys.form_id as project_key,
    forms.project_name,
    forms.project_code,
    keys.form_kind,
    keys.budget_year,
    keys.department_key,
    keys.region_key,
    keys.region_basis,
    keys.region_conflict,
    keys.region_key_from_document,
    keys.region_key_from_code,
    forms.implementing_unit,
    forms.period_text,
    forms.purpose,
    forms.goal_period,
    forms.goal_annual,
    forms.redacted,
    forms.n_indicators,
    forms.source_file,
    keys.document_id as source_sha256,
    forms.source_line,
    documents.layout,
    purposes.purpose_code,
    purposes.purpose_name
from keys
inner join forms using (form_id)
inner join documents on documents.document_id = keys.document_id
inner join purposes using (form_id)
where {{ is_form_to_build('keys.form_id', ref('stg_forms__forms'), key='project_key', by_file=true) }}

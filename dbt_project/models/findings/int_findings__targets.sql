-- Every indicator row as the finding rules see it: its standard type, its parsed value, the
-- name of its form and the form's budget.
-- A table, computed once (every rule and its tests read it), incremental by form (macro
-- incremental_by_form).
{{ config(
    materialized='incremental', incremental_strategy='append', on_schema_change='fail',
    pre_hook="{{ delete_forms_gone(ref('stg_forms__forms')) }}"
) }}

with targets as (
    select * from {{ ref('fct_indicator_target') }}
),

forms as (
    select form_id, form_label, budget_total_wan, redacted as form_redacted
    from {{ ref('int_findings__forms') }}
),

types as (
    select indicator_type_key, framework from {{ ref('dim_indicator_type') }}
)

select
    targets.indicator_key,
    targets.form_id,
    targets.form_kind,
    forms.form_label,
    forms.budget_total_wan,
    forms.form_redacted,
    targets.budget_year,
    targets.indicator_type_key,
    types.framework,
    targets.level1,
    targets.level2,
    targets.level1_written,
    targets.level2_written,
    regexp_replace(coalesce(targets.level3, ''), '\s', '', 'g') as level3,
    regexp_replace(coalesce(targets.description, ''), '\s', '', 'g') as description,
    -- the name and the description: rules on what an indicator measures look at both
    -- (承德 writes 质量等级 as the name and 野外验收合格率 as the description)
    regexp_replace(coalesce(targets.level3, '') || ' ' || coalesce(targets.description, ''),
                   '\s+', ' ', 'g') as indicator_text,
    targets.indicator_seq,
    targets.raw_value,
    targets.value_kind,
    targets.op,
    targets.value,
    targets.unit,
    targets.value_base,
    targets.base_unit,
    targets.deadline,
    targets.measure_code,
    targets.source_line
from targets
inner join forms using (form_id)
inner join types using (indicator_type_key)
where {{ is_form_to_build('targets.form_id', ref('stg_forms__forms')) }}

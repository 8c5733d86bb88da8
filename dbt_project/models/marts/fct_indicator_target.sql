-- One row per indicator row of every form, with its standard type, its parsed target value
-- and, where it has one, its comparable measure. level1/level2 are the standard names;
-- the names as written are kept in level1_written/level2_written.
-- Incremental by form (macro incremental_by_form): a build adds the rows of new forms only.
{{ config(
    materialized='incremental', incremental_strategy='append', on_schema_change='fail',
    pre_hook="{{ delete_forms_gone(ref('stg_forms__forms'), by_file=true) }}"
) }}

with indicators as (
    select * from {{ ref('stg_forms__indicators') }}
),

typed as (
    select * from {{ ref('int_indicators__typed') }}
),

forms as (
    select * from {{ ref('int_forms__keys') }}
),

types as (
    select * from {{ ref('dim_indicator_type') }}
),

measures as (
    select * from {{ ref('int_indicators__measures') }}
)

select
    indicators.indicator_id as indicator_key,
    case when forms.form_kind <> 'department' then forms.form_id end as project_key,
    indicators.form_id,
    forms.form_kind,
    forms.department_key,
    forms.region_key,
    forms.budget_year,
    typed.indicator_type_key,
    types.level1,
    types.level2,
    typed.level1_written,
    typed.level2_written,
    typed.type_basis,
    indicators.level3,
    indicators.indicator_seq,
    indicators.description,
    indicators.raw_value,
    indicators.value_kind,
    indicators.op,
    indicators.value,
    indicators.value_high,
    indicators.unit,
    indicators.value_base,
    indicators.base_unit,
    indicators.deadline,
    indicators.unit_column,
    indicators.basis,
    indicators.formula,
    indicators.op_column,
    indicators.weight,
    indicators.value_source,
    indicators.value_confidence,
    measures.measure_code,
    indicators.source_file,
    indicators.source_line
from indicators
inner join typed using (indicator_id)
inner join forms on forms.form_id = indicators.form_id
inner join types using (indicator_type_key)
left join measures using (indicator_id)
where {{ is_form_to_build('indicators.form_id', ref('stg_forms__forms'), by_file=true) }}

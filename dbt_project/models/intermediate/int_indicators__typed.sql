-- Every indicator row with its standard (level1, level2) type. Names are compared by their stem
-- (macro level_stem), so 满意度 matches 满意度指标 and a wrapped `经济效益指` / `标` matches too.
-- A pair not in the taxonomy is looked up in the alias seed (效果指标 → 效益指标, …); what is
-- still unknown gets the type 'unmapped' and is reported by the test unmapped_indicator_types;
-- a row of a table with no level columns is 'unclassified'.
-- A table, computed once (the marts and several tests read it), incremental by form (macro
-- incremental_by_form); names are matched once per distinct (level1, level2) as written, not
-- once per row.
{{ config(
    materialized='incremental', incremental_strategy='append', on_schema_change='fail',
    pre_hook="{{ delete_forms_gone(ref('stg_forms__forms')) }}"
) }}

with indicators as (
    select indicator_id, form_id, level1, level2
    from {{ ref('stg_forms__indicators') }}
    where {{ is_form_to_build('form_id', ref('stg_forms__forms')) }}
),

names as (
    -- the taxonomy's own names first, then the aliases
    select indicator_type_key, level1, level2, 'standard' as type_basis
    from {{ ref('indicator_types') }}
    union all
    select indicator_type_key, level1_written, level2_written, 'alias'
    from {{ ref('indicator_type_aliases') }}
),

written as (
    select distinct level1, level2 from indicators
),

matched as (
    select
        written.level1,
        written.level2,
        names.indicator_type_key,
        names.type_basis,
        row_number() over (
            partition by written.level1, written.level2
            order by names.type_basis = 'alias', names.indicator_type_key
        ) as preference
    from written
    inner join names
        on {{ level_stem('names.level1') }} = {{ level_stem('written.level1') }}
        and {{ level_stem('names.level2') }} = {{ level_stem('written.level2') }}
)

select
    indicators.indicator_id,
    indicators.form_id,
    indicators.level1 as level1_written,
    indicators.level2 as level2_written,
    case
        when matched.indicator_type_key is not null then matched.indicator_type_key
        -- a table with no level columns at all (重庆's department forms: 指标名称 only)
        when indicators.level1 is null and indicators.level2 is null then 'unclassified'
        else 'unmapped'
    end as indicator_type_key,
    case
        when matched.type_basis is not null then matched.type_basis
        when indicators.level1 is null and indicators.level2 is null then 'no levels'
        else 'unmapped'
    end as type_basis
from indicators
left join matched
    on matched.level1 is not distinct from indicators.level1
    and matched.level2 is not distinct from indicators.level2
    and matched.preference = 1

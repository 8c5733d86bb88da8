-- The comparable measure of each numeric indicator row: the highest-priority measure whose
-- units include the row's base unit and whose pattern matches the level-3 name (spaces
-- removed), so that 7万亩, 11.94万亩 and 35公顷 (all in 亩 by now) line up across counties.
-- A table, computed once and incremental by form (macro incremental_by_form); the patterns
-- are tried once per distinct (name, unit), not per row (level-3 names repeat across forms),
-- as constants (macro first_match).
{{ config(
    materialized='incremental', incremental_strategy='append', on_schema_change='fail',
    pre_hook="{{ delete_forms_gone(ref('stg_forms__forms')) }}"
) }}

with indicators as (
    select
        indicator_id,
        form_id,
        regexp_replace(coalesce(level3, ''), '\s', '', 'g') as name,
        base_unit
    from {{ ref('stg_forms__indicators') }}
    where value_kind = 'numeric' and base_unit is not null
        and {{ is_form_to_build('form_id', ref('stg_forms__forms')) }}
),

names as (
    select name, base_unit,
           {{ first_match('name', ref('comparable_measures'), 'measure_code', unit='base_unit') }}
               as measure_code
    from (select distinct name, base_unit from indicators)
)

select indicators.indicator_id, indicators.form_id, names.measure_code
from indicators
inner join names using (name, base_unit)
where names.measure_code is not null

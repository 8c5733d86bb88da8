-- The comparable measure of each numeric indicator row: the highest-priority measure whose
-- units include the row's base unit and whose pattern matches the level-3 name (spaces
-- removed), so that 7万亩, 11.94万亩 and 35公顷 (all in 亩 by now) line up across counties.
-- A table, computed once; the patterns are tried once per distinct (name, unit), not per row
-- (level-3 names repeat across forms), as constants (macro first_match).
{{ config(materialized='table') }}

with indicators as (
    select
        indicator_id,
        regexp_replace(coalesce(level3, ''), '\s', '', 'g') as name,
        base_unit
    from {{ ref('stg_forms__indicators') }}
    where value_kind = 'numeric' and base_unit is not null
),

names as (
    select name, base_unit,
           {{ first_match('name', ref('comparable_measures'), 'measure_code', unit='base_unit') }}
               as measure_code
    from (select distinct name, base_unit from indicators)
)

select indicators.indicator_id, names.measure_code
from indicators
inner join names using (name, base_unit)
where names.measure_code is not null

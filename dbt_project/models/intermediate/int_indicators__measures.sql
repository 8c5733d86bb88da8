-- The comparable measure of each numeric indicator row: the highest-priority measure whose
-- units include the row's base unit and whose pattern matches the level-3 name (spaces
-- removed), so that 7万亩, 11.94万亩 and 35公顷 (all in 亩 by now) line up across counties.
-- A table, computed once: the marts and the tests read it, and the patterns are the costly
-- part, so each is tried only on rows in one of its units (an equi-join on the unit first).
{{ config(materialized='table') }}

with indicators as (
    select
        indicator_id,
        regexp_replace(coalesce(level3, ''), '\s', '', 'g') as name,
        base_unit
    from {{ ref('stg_forms__indicators') }}
    where value_kind = 'numeric' and base_unit is not null
),

measure_units as (
    select measure_code, pattern, priority, unnest(string_split(base_units, '|')) as base_unit
    from {{ ref('comparable_measures') }}
),

candidates as (
    select
        indicators.indicator_id,
        measure_units.measure_code,
        row_number() over (
            partition by indicators.indicator_id order by measure_units.priority
        ) as rank
    from indicators
    inner join measure_units on measure_units.base_unit = indicators.base_unit
    where regexp_matches(indicators.name, measure_units.pattern)
)

select indicator_id, measure_code
from candidates
where rank = 1

-- The comparable measure of each numeric indicator row: the highest-priority measure whose
-- pattern matches the level-3 name (spaces removed) and whose units include the row's base
-- unit, so that 7万亩, 11.94万亩 and 35公顷 (all in 亩 by now) line up across counties.
with indicators as (
    select
        indicator_id,
        regexp_replace(coalesce(level3, ''), '\s', '', 'g') as name,
        base_unit
    from {{ ref('stg_forms__indicators') }}
    where value_kind = 'numeric'
),

measures as (
    select * from {{ ref('comparable_measures') }}
),

candidates as (
    select
        indicators.indicator_id,
        measures.measure_code,
        row_number() over (
            partition by indicators.indicator_id order by measures.priority
        ) as rank
    from indicators
    inner join measures
        on regexp_matches(indicators.name, measures.pattern)
        and list_contains(string_split(measures.base_units, '|'), indicators.base_unit)
)

select indicator_id, measure_code
from candidates
where rank = 1

-- Every indicator row with its standard (level1, level2) type. Names are compared by their stem:
-- spaces and line breaks removed (a wrapped `经济效益指` / `标`) and a trailing 指标 (or a cut-off
-- 指) dropped, so 满意度 matches 满意度指标. A pair not in the taxonomy is looked up in the alias
-- seed (效果指标 → 效益指标, …); what is still unknown gets the type 'unmapped' and is reported
-- by the test unmapped_indicator_types.
with indicators as (
    select
        indicator_id,
        form_id,
        level1,
        level2,
        regexp_replace(regexp_replace(coalesce(level1, ''), '\s', '', 'g'), '指标?$', '') as level1_stem,
        regexp_replace(regexp_replace(coalesce(level2, ''), '\s', '', 'g'), '指标?$', '') as level2_stem
    from {{ ref('stg_forms__indicators') }}
),

types as (
    select
        indicator_type_key,
        regexp_replace(level1, '指标?$', '') as level1_stem,
        regexp_replace(level2, '指标?$', '') as level2_stem
    from {{ ref('indicator_types') }}
),

aliases as (
    select
        indicator_type_key,
        regexp_replace(level1_written, '指标?$', '') as level1_stem,
        regexp_replace(level2_written, '指标?$', '') as level2_stem
    from {{ ref('indicator_type_aliases') }}
),

matched as (
    select
        indicators.indicator_id,
        coalesce(types.indicator_type_key, aliases.indicator_type_key) as indicator_type_key,
        case
            when types.indicator_type_key is not null then 'standard'
            when aliases.indicator_type_key is not null then 'alias'
        end as type_basis
    from indicators
    left join types using (level1_stem, level2_stem)
    left join aliases using (level1_stem, level2_stem)
)

select
    indicators.indicator_id,
    indicators.form_id,
    indicators.level1 as level1_written,
    indicators.level2 as level2_written,
    coalesce(matched.indicator_type_key, 'unmapped') as indicator_type_key,
    coalesce(matched.type_basis, 'unmapped') as type_basis
from indicators
inner join matched using (indicator_id)

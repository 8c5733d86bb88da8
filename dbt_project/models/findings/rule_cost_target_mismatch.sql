-- COST_TARGET_MISMATCH: a cost indicator stating an amount of money above the form's budget,
-- or one named as the project's total cost (预算控制数, 项目总成本, …) that differs from it.
select
    'COST_TARGET_MISMATCH' as rule_code,
    form_id,
    indicator_key,
    printf('%s（%.2f万元）', raw_value, value_base / 10000) as observed,
    printf('%.2f', budget_total_wan) as expected
from {{ ref('int_findings__targets') }}
where indicator_type_key in ('output_cost', 'cost_economic')
    and value_kind = 'numeric'
    and base_unit = '元'
    and budget_total_wan > 0
    and (
        value_base > budget_total_wan * 10000 * (1 + {{ var('findings_cost_tolerance_pct') }} / 100)
        or (
            regexp_matches(level3, '{{ var("findings_total_cost_names") }}')
            and abs(value_base - budget_total_wan * 10000)
                > budget_total_wan * 10000 * {{ var('findings_cost_tolerance_pct') }} / 100
        )
    )

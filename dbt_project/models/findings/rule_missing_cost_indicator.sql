-- MISSING_COST_INDICATOR: a project form (not a redacted one) with no cost indicator, which
-- 财预〔2021〕101号 makes one of the four first-level indicators.
select
    'MISSING_COST_INDICATOR' as rule_code,
    form_id,
    null::varchar as indicator_key,
    '无成本指标' as observed,
    '成本指标（经济成本等）' as expected
from {{ ref('int_findings__forms') }}
where form_kind <> 'department'
    and not redacted
    and n_cost = 0

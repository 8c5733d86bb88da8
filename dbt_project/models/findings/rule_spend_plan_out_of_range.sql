-- SPEND_PLAN_OUT_OF_RANGE: a cumulative spending plan with a quarter above 100% (spending
-- more than the budget) or below 0%.
select
    'SPEND_PLAN_OUT_OF_RANGE' as rule_code,
    form_id,
    null::varchar as indicator_key,
    concat_ws(' → ',
        coalesce(spend_q1_pct::varchar || '%', '空'), coalesce(spend_q2_pct::varchar || '%', '空'),
        coalesce(spend_q3_pct::varchar || '%', '空'), coalesce(spend_q4_pct::varchar || '%', '空')
    ) as observed,
    '0–100%' as expected
from {{ ref('int_findings__forms') }}
where greatest(spend_q1_pct, spend_q2_pct, spend_q3_pct, spend_q4_pct) > 100
    or least(spend_q1_pct, spend_q2_pct, spend_q3_pct, spend_q4_pct) < 0

-- SPEND_PLAN_NOT_MONOTONIC: a cumulative spending plan that goes down from one quarter to the
-- next, or that does not reach 100% by the end of December (a plan that ends above 100% is
-- SPEND_PLAN_OUT_OF_RANGE's).
with plans as (
    select *
    from {{ ref('int_findings__forms') }}
    where coalesce(spend_q1_pct, spend_q2_pct, spend_q3_pct, spend_q4_pct) is not null
)

select
    'SPEND_PLAN_NOT_MONOTONIC' as rule_code,
    form_id,
    null::varchar as indicator_key,
    concat_ws(' → ',
        coalesce(spend_q1_pct::varchar || '%', '空'), coalesce(spend_q2_pct::varchar || '%', '空'),
        coalesce(spend_q3_pct::varchar || '%', '空'), coalesce(spend_q4_pct::varchar || '%', '空')
    ) as observed,
    '逐季不减，12月底累计100%' as expected
from plans
where coalesce(spend_q4_pct, 0) < 100
    or spend_q2_pct < spend_q1_pct
    or spend_q3_pct < spend_q2_pct
    or spend_q4_pct < spend_q3_pct

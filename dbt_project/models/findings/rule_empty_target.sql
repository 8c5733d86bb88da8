-- EMPTY_TARGET: an indicator row with no target value at all.
select
    'EMPTY_TARGET' as rule_code,
    form_id,
    indicator_key,
    '(空)' as observed,
    '填写指标值' as expected
from {{ ref('int_findings__targets') }}
where value_kind = 'empty'

-- SATISFACTION_TARGET_LOW: a satisfaction target set below the lowest acceptable rate.
select
    'SATISFACTION_TARGET_LOW' as rule_code,
    form_id,
    indicator_key,
    raw_value as observed,
    '≥' || {{ var('findings_min_satisfaction_pct') }}::varchar || '%' as expected
from {{ ref('int_findings__targets') }}
where measure_code = 'satisfaction_rate'
    and value_kind = 'numeric'
    and op in ('>=', '>', '=')
    and value_base < {{ var('findings_min_satisfaction_pct') }}

-- RATE_ABOVE_100: a rate target above 100% for a measure that can never exceed it (a 120%
-- 合格率, 满意度 or 覆盖率). Rates that may exceed 100% (增长率) are not in the word list.
select
    'RATE_ABOVE_100' as rule_code,
    form_id,
    indicator_key,
    raw_value as observed,
    '100%' as expected
from {{ ref('int_findings__targets') }}
where value_kind = 'numeric'
    and base_unit = '%'
    and value_base > 100
    and regexp_matches(indicator_text, '{{ var("findings_rates_capped_at_100") }}')

-- SUSPICIOUS_DIRECTION: an upper bound on a rate that should be high (≤100% 合格率), or a
-- lower bound on one that should be low (≥ on 故障率, 成灾率).
select
    'SUSPICIOUS_DIRECTION' as rule_code,
    form_id,
    indicator_key,
    raw_value as observed,
    case when op in ('<=', '<') then '下限（≥）' else '上限（≤）' end as expected
from {{ ref('int_findings__targets') }}
where value_kind = 'numeric'
    and base_unit = '%'
    and (
        (op in ('<=', '<')
            and regexp_matches(indicator_text, '{{ var("findings_rates_high_is_good") }}')
            and not regexp_matches(indicator_text, '{{ var("findings_rates_low_is_good") }}'))
        or (op in ('>=', '>')
            and regexp_matches(indicator_text, '{{ var("findings_rates_low_is_good") }}'))
    )

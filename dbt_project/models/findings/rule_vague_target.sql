-- VAGUE_TARGET: a target in words with no measure (逐步提升, 有效改善, 明显) where a measure
-- is due.
select
    'VAGUE_TARGET' as rule_code,
    form_id,
    indicator_key,
    raw_value as observed,
    '可衡量的目标值' as expected
from {{ ref('int_findings__targets') }}
where value_kind = 'qualitative'
    and regexp_matches(raw_value, '{{ var("findings_vague_words") }}')

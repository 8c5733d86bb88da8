-- UNQUANTIFIED_TARGET: an output quantity or quality target written as words (好, 标准化管理)
-- where a number is due.
select
    'UNQUANTIFIED_TARGET' as rule_code,
    form_id,
    indicator_key,
    raw_value as observed,
    '可量化的数值' as expected
from {{ ref('int_findings__targets') }}
where indicator_type_key in ('output_quantity', 'output_quality')
    and value_kind = 'qualitative'

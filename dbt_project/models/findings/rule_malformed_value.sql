-- MALFORMED_VALUE: a target value that cannot be read (20122012 年 5 月 28 日).
select
    'MALFORMED_VALUE' as rule_code,
    form_id,
    indicator_key,
    raw_value as observed,
    '可识别的数值、日期或文字' as expected
from {{ ref('int_findings__targets') }}
where value_kind = 'malformed'

-- DUPLICATE_INDICATOR: the same indicator (levels, name and description) twice in one form,
-- with the same value or another; the second and later copies are the findings.
with numbered as (
    select
        *,
        row_number() over (
            partition by form_id, level1_written, level2_written, level3, description
            order by indicator_seq
        ) as copy_no,
        first_value(raw_value) over (
            partition by form_id, level1_written, level2_written, level3, description
            order by indicator_seq
        ) as first_value,
        first_value(indicator_seq) over (
            partition by form_id, level1_written, level2_written, level3, description
            order by indicator_seq
        ) as first_seq
    from {{ ref('int_findings__targets') }}
    where level3 <> ''
)

select
    'DUPLICATE_INDICATOR' as rule_code,
    form_id,
    indicator_key,
    printf('第%d行（%s）与第%d行（%s）', indicator_seq, coalesce(raw_value, ''),
           first_seq, coalesce(first_value, '')) as observed,
    '每个指标只填一次' as expected
from numbered
where copy_no > 1

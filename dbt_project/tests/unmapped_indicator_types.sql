-- Level names that match neither the taxonomy nor an alias: add an alias or a type for them.
{{ config(severity='warn') }}
select level1_written, level2_written, count(*) as n_rows
from {{ ref('int_indicators__typed') }}
where indicator_type_key = 'unmapped'
group by all

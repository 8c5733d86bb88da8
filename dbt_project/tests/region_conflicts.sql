-- Forms whose document names one region and whose project code another.
{{ config(severity='warn') }}
select form_id, region_key_from_document, region_key_from_code
from {{ ref('int_forms__regions') }}
where region_conflict

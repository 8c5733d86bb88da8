-- Funding lines of every form that was read, amounts exact in 万元.
select
    s.funding_id,
    s.form_id,
    s.document_id,
    s.funding_seq,
    s.source_name,
    s.source_label,
    s.category,
    s.amount_wan,
    s.source_file,
    s.source_line
from {{ source('forms', 'funding_sources') }} as s
inner join {{ ref('stg_forms__documents') }} as d using (document_id)

select
    n.narrative_id,
    n.document_id,
    n.narrative_seq,
    n.section,
    n.heading,
    n.text,
    n.source_file,
    n.source_line
from {{ source('forms', 'narratives') }} as n
inner join {{ ref('stg_forms__documents') }} as d using (document_id)

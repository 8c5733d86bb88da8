select
    t.task_id,
    t.form_id,
    t.document_id,
    t.task_seq,
    t.task_name,
    t.content,
    t.source_file,
    t.source_line
from {{ source('forms', 'key_tasks') }} as t
inner join {{ ref('stg_forms__documents') }} as d using (document_id)

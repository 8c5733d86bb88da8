-- All parse issues, including those of documents that could not be read at all.
select
    issue_id,
    document_id,
    issue_seq,
    source_file,
    source_line,
    severity,
    code,
    reason,
    loaded_at
from {{ source('forms', 'parse_issues') }}

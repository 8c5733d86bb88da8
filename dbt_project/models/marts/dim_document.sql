-- One row per file the last build saw under its sources: loaded, a duplicate of a loaded
-- file (not loaded again), skipped (no form in it, or not a document format) or unreadable,
-- with the reason. The key is stable: a document is known by its path relative to its
-- source folder, whatever its content.
with files as (
    select * from {{ ref('stg_forms__source_files') }}
),

documents as (
    select document_id, county, budget_year from {{ ref('stg_forms__documents') }}
)

select
    md5(files.source_file) as document_key,
    files.source_file,
    files.sha256 as source_sha256,
    files.format,
    files.template,
    files.status,
    files.reason,
    files.duplicate_of,
    files.duplicate_basis,
    files.document_id,
    coalesce(files.n_forms, 0) as form_count,
    coalesce(files.n_indicators, 0) as indicator_count,
    files.n_errors as error_count,
    files.n_warnings as warning_count,
    documents.county,
    documents.budget_year,
    files.kind = 'document' and files.status in ('skipped', 'unreadable') as needs_attention,
    files.change,
    files.size_bytes,
    files.modified_at,
    files.run_id,
    files.seen_at
from files
left join documents
    on documents.document_id = files.document_id and files.status = 'loaded'

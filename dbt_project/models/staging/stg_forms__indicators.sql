-- Indicator rows with the target value parsed; level names keep the form's own spelling here
-- (mapping to the standard taxonomy is the intermediate layer's job).
select
    i.indicator_id,
    i.form_id,
    i.document_id,
    i.indicator_seq,
    nullif(trim(i.level1), '') as level1,
    nullif(trim(i.level2), '') as level2,
    nullif(trim(i.level3), '') as level3,
    i.description,
    i.raw_value,
    i.unit_column,
    i.basis,
    i.formula,
    i.op_column,
    i.weight,
    i.value_kind,
    i.op,
    i.value,
    i.value_high,
    i.unit,
    i.value_base,
    i.base_unit,
    i.deadline,
    i.value_note,
    i.value_source,
    i.value_confidence,
    i.source_file,
    i.source_line
from {{ source('forms', 'indicators') }} as i
inner join {{ ref('stg_forms__documents') }} as d using (document_id)

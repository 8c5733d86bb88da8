{#- The stem of a level name, for matching names written differently: spaces and line breaks
    removed (a wrapped `经济效益指` / `标`), remarks in brackets dropped (数量指标(或建筑规模指标),
    产出指标(70分)), a leading 预期 (预期产出指标) and a trailing 指标 or a cut-off 指 dropped. -#}
{% macro level_stem(expression) -%}
regexp_replace(regexp_replace(regexp_replace(regexp_replace(coalesce({{ expression }}, ''),
    '\s', '', 'g'), '[(（][^()（）]*[)）]', '', 'g'), '^预期', ''), '指标?$', '')
{%- endmacro %}

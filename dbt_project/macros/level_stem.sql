{#- The stem of a level name, for matching names written differently: spaces and line breaks
    removed (a wrapped `经济效益指` / `标`), and a trailing 指标 or a cut-off 指 dropped. -#}
{% macro level_stem(expression) -%}
regexp_replace(regexp_replace(coalesce({{ expression }}, ''), '\s', '', 'g'), '指标?$', '')
{%- endmacro %}

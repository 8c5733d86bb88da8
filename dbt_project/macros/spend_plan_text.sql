{#- A form's cumulative spending plan as one text for a finding: 25% → 50% → 75% → 100%, 空 for
    a quarter left blank. -#}
{% macro spend_plan_text() -%}
concat_ws(' → ',
    coalesce(spend_q1_pct::varchar || '%', '空'), coalesce(spend_q2_pct::varchar || '%', '空'),
    coalesce(spend_q3_pct::varchar || '%', '空'), coalesce(spend_q4_pct::varchar || '%', '空'))
{%- endmacro %}

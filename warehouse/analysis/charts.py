"""One function per chart, drawn with Altair from the frames of warehouse.analysis.queries; the
notebooks and `jixiao report` call the same functions, so they show the same charts. Titles
and labels are Chinese, amounts are in 万元, and every mark has a tooltip."""
from __future__ import annotations

import altair as alt
import polars as pl

WAN = ",.2f"            # 万元 with two decimals and thousands separators
SEVERITY_COLORS = alt.Scale(domain=["error", "warning", "info"], range=["#c0392b", "#e67e22", "#95a5a6"])


def _plotted(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame a chart embeds: exact decimals (money) as floats, since Vega-Lite reads JSON
    numbers; tables elsewhere keep the exact values."""
    return frame.with_columns(pl.col(pl.Decimal).cast(pl.Float64))


def styled(chart: alt.TopLevelMixin, font: str | None = None) -> alt.TopLevelMixin:
    """The house style; `font` is the CJK family for exported images (see warehouse.analysis.fonts)."""
    config = {"labelFontSize": 11, "titleFontSize": 12}
    chart = chart.configure_axis(**config).configure_legend(**config).configure_title(fontSize=14)
    return chart.configure(font=font) if font else chart


def funding_by_county(funding: pl.DataFrame) -> alt.Chart:
    """Project budgets per county and year, stacked by purpose."""
    return alt.Chart(_plotted(funding), title="各县（区）项目预算（万元），按用途").mark_bar().encode(
        x=alt.X("sum(budget_wan):Q", title="预算（万元）", axis=alt.Axis(format=",.0f")),
        y=alt.Y("county:N", title=None, sort="-x"),
        color=alt.Color("purpose:N", title="用途"),
        row=alt.Row("budget_year:O", title="年度"),
        tooltip=[alt.Tooltip("county:N", title="县区"), alt.Tooltip("purpose:N", title="用途"),
                 alt.Tooltip("sum(budget_wan):Q", title="预算（万元）", format=WAN),
                 alt.Tooltip("sum(projects):Q", title="项目数")],
    ).properties(width=420)


def funding_by_department(funding: pl.DataFrame) -> alt.Chart:
    """Project budgets per department, coloured by county."""
    return alt.Chart(_plotted(funding), title="各部门项目预算（万元）").mark_bar().encode(
        x=alt.X("sum(budget_wan):Q", title="预算（万元）", axis=alt.Axis(format=",.0f")),
        y=alt.Y("department_name:N", title=None, sort="-x"),
        color=alt.Color("county:N", title="县区"),
        tooltip=[alt.Tooltip("department_name:N", title="部门"), alt.Tooltip("budget_year:O", title="年度"),
                 alt.Tooltip("sum(budget_wan):Q", title="预算（万元）", format=WAN),
                 alt.Tooltip("sum(projects):Q", title="项目数")],
    ).properties(width=420)


def unit_costs(costs: pl.DataFrame, min_counties: int = 2) -> alt.Chart:
    """Yuan per unit of the measures found in at least `min_counties` counties, side by side."""
    shared = costs.filter(pl.col("counties_with_measure") >= min_counties).with_columns(
        (pl.col("measure_name") + "（元/" + pl.col("base_unit") + "）").alias("measure"))
    return alt.Chart(_plotted(shared), title="可比产出的单位成本（元/单位），各县对比").mark_bar().encode(
        x=alt.X("yuan_per_unit:Q", title="元/单位", axis=alt.Axis(format=",.2f")),
        y=alt.Y("project_name:N", title=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("county:N", title="县区"),
        row=alt.Row("measure:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        tooltip=[alt.Tooltip("county:N", title="县区"), alt.Tooltip("project_name:N", title="项目"),
                 alt.Tooltip("budget_total_wan:Q", title="预算（万元）", format=WAN),
                 alt.Tooltip("value_base:Q", title="目标量", format=",.0f"),
                 alt.Tooltip("base_unit:N", title="单位"),
                 alt.Tooltip("yuan_per_unit:Q", title="元/单位", format=",.2f"),
                 alt.Tooltip("n_measures_in_project:Q", title="同表可比产出数")],
    ).resolve_scale(x="independent", y="independent").properties(width=380)


def spending_plans(plans: pl.DataFrame) -> alt.LayerChart:
    """Cumulative spending plans: one thin line per project, the county average on top."""
    order = ["3月底", "6月底", "10月底", "12月底"]
    base = alt.Chart(_plotted(plans)).encode(
        x=alt.X("quarter:O", title="时间节点", sort=order, axis=alt.Axis(labelAngle=0)),
        color=alt.Color("county:N", title="县区"))
    projects = base.mark_line(opacity=0.25).encode(
        y=alt.Y("spent_pct:Q", title="累计支出计划（%）", scale=alt.Scale(domain=[0, 100])),
        detail="project_name:N",
        tooltip=[alt.Tooltip("project_name:N", title="项目"), alt.Tooltip("quarter:O", title="时间"),
                 alt.Tooltip("spent_pct:Q", title="累计（%）")])
    average = base.mark_line(strokeWidth=3, point=True).encode(
        y="mean(spent_pct):Q",
        tooltip=[alt.Tooltip("county:N", title="县区"), alt.Tooltip("quarter:O", title="时间"),
                 alt.Tooltip("mean(spent_pct):Q", title="平均累计（%）", format=".1f")])
    return alt.layer(projects, average, title="资金支出计划曲线（细线：项目；粗线：县区平均）").properties(
        width=420, height=260)


def rate_targets(rates: pl.DataFrame) -> alt.Chart:
    """Satisfaction and pass-rate targets (%) per county."""
    return alt.Chart(_plotted(rates), title="满意度与合格率目标值（%），各县对比").mark_tick(thickness=2, size=18).encode(
        x=alt.X("target_pct:Q", title="目标值（%）", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("county:N", title=None),
        color=alt.Color("op:N", title="比较"),
        row=alt.Row("target:N", title=None),
        tooltip=[alt.Tooltip("county:N", title="县区"), alt.Tooltip("level3:N", title="指标"),
                 alt.Tooltip("raw_value:N", title="指标值"), alt.Tooltip("project_name:N", title="项目")],
    ).properties(width=420)


def findings_by_rule(findings: pl.DataFrame) -> alt.Chart:
    """Number of findings per rule, split by county."""
    return alt.Chart(_plotted(findings), title="审核发现：按规则与县区").mark_bar().encode(
        x=alt.X("count():Q", title="发现数"),
        y=alt.Y("rule_code:N", title=None, sort="-x"),
        color=alt.Color("county:N", title="县区"),
        tooltip=[alt.Tooltip("rule_code:N", title="规则"), alt.Tooltip("county:N", title="县区"),
                 alt.Tooltip("count():Q", title="发现数")],
    ).properties(width=420)


def department_scorecard(scores: pl.DataFrame) -> alt.Chart:
    """Findings per form of each budget unit, by severity."""
    long = scores.unpivot(index=["county", "budget_unit", "forms"], on=["errors", "warnings", "infos"],
                          variable_name="severity", value_name="n").with_columns(
        pl.col("severity").replace_strict({"errors": "error", "warnings": "warning", "infos": "info"}),
        (pl.col("n") / pl.col("forms")).alias("per_form"))
    return alt.Chart(_plotted(long), title="各预算单位：每张表的审核发现数").mark_bar().encode(
        x=alt.X("sum(per_form):Q", title="每表发现数"),
        y=alt.Y("budget_unit:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
        color=alt.Color("severity:N", title="严重程度", scale=SEVERITY_COLORS),
        tooltip=[alt.Tooltip("budget_unit:N", title="预算单位"), alt.Tooltip("county:N", title="县区"),
                 alt.Tooltip("severity:N", title="严重程度"), alt.Tooltip("n:Q", title="发现数"),
                 alt.Tooltip("forms:Q", title="表数")],
    ).properties(width=420)


def use_in_notebook() -> None:
    """Interactive charts (tooltips, zoom) in JupyterLab, with the Vega JavaScript that
    vl-convert bundles: nothing is fetched from a CDN, so notebooks work offline."""
    alt.renderers.enable("jupyter", offline=True)

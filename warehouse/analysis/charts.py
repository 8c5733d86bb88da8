"""One function per chart, drawn with Altair from the aggregated frames of
warehouse.analysis.queries; the notebooks and `jixiao report` call the same functions, so they
show the same charts. Titles and labels are Chinese, amounts in 万元, every chart is split by
budget year, and every mark has a tooltip.

Charts embed only what they draw: a few hundred aggregated rows whatever the size of the
warehouse. The one chart that needs a row per project (unit costs) gets a fixed sample from
its query and says so in its title. A frame above MAX_ROWS is refused rather than embedded."""
from __future__ import annotations

import os

import altair as alt
import polars as pl

WAN = ",.2f"            # 万元 with two decimals and thousands separators
MAX_ROWS = 3000         # below Altair's 5,000-row limit; the queries aggregate well under it
SEVERITY_ZH = ["错误", "警告", "提示"]
SEVERITY_COLORS = alt.Scale(domain=SEVERITY_ZH, range=["#c0392b", "#e67e22", "#95a5a6"])
# Font sizes in CSS px: a chart at most WIDTH px wide is placed 16 cm wide in the Word report,
# so 11 px prints at no less than 8 pt (see report.IMAGE_WIDTH_CM).
FONT = {"label": 12, "title": 12, "chart_title": 15}
PLOT_WIDTH = 280        # the plotting area; labels (at most LABEL_LIMIT) and legend come on top
LABEL_LIMIT = 200
YEAR = alt.Row("budget_year:O", title=None, header=alt.Header(labelExpr="datum.value + '年'"))


class TooManyRows(ValueError):
    pass


def _plotted(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame a chart embeds: exact decimals (money) as floats, since Vega-Lite reads JSON
    numbers; tables elsewhere keep the exact values."""
    if frame.height > MAX_ROWS:
        raise TooManyRows(f"{frame.height} rows to embed in a chart (at most {MAX_ROWS}): "
                          "aggregate in the query, or sample and say so")
    return frame.with_columns(pl.col(pl.Decimal).cast(pl.Float64))


def styled(chart: alt.TopLevelMixin, font: str | None = None) -> alt.TopLevelMixin:
    """The house style; `font` is the CJK family for exported images (see warehouse.analysis.fonts)."""
    config = {"labelFontSize": FONT["label"], "titleFontSize": FONT["title"]}
    chart = chart.configure(font=font) if font else chart     # first: configure() replaces the config
    return (chart.configure_axis(**config).configure_legend(**config)
            .configure_header(labelFontSize=FONT["title"], titleFontSize=FONT["title"])
            .configure_title(fontSize=FONT["chart_title"], subtitleFontSize=FONT["label"], anchor="start"))


def _title(text: str, note: str | None = None) -> alt.TitleParams:
    return alt.TitleParams(text, subtitle=note) if note else alt.TitleParams(text)


def funding_by_county(frame: pl.DataFrame) -> alt.Chart:
    """Project budgets per county and year, stacked by purpose (queries.funding_by_county:
    the largest counties, the rest in one bar)."""
    return alt.Chart(_plotted(frame), title=_title("各县（区）项目预算（万元），按用途")).mark_bar().encode(
        x=alt.X("sum(budget_wan):Q", title="预算（万元）", axis=alt.Axis(format=",.0f")),
        y=alt.Y("county:N", title=None, sort=alt.EncodingSortField("rank", op="min"),
                axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        color=alt.Color("purpose_name:N", title="用途"),
        row=YEAR,
        tooltip=[alt.Tooltip("budget_year:O", title="年度"), alt.Tooltip("county:N", title="县区"),
                 alt.Tooltip("purpose_name:N", title="用途"),
                 alt.Tooltip("sum(budget_wan):Q", title="预算（万元）", format=WAN),
                 alt.Tooltip("sum(projects):Q", title="项目数")],
    ).resolve_scale(y="independent").properties(width=PLOT_WIDTH)


def funding_by_purpose(frame: pl.DataFrame) -> alt.Chart:
    """Project budgets per purpose, a bar per budget year (queries.funding_by_purpose)."""
    return alt.Chart(_plotted(frame), title=_title("各用途项目预算（万元），按年度")).mark_bar().encode(
        x=alt.X("budget_wan:Q", title="预算（万元）", axis=alt.Axis(format=",.0f")),
        y=alt.Y("purpose_name:N", title=None, sort=alt.EncodingSortField("budget_wan", op="sum", order="descending")),
        yOffset=alt.YOffset("budget_year:O"),
        color=alt.Color("budget_year:O", title="年度"),
        tooltip=[alt.Tooltip("budget_year:O", title="年度"), alt.Tooltip("purpose_name:N", title="用途"),
                 alt.Tooltip("budget_wan:Q", title="预算（万元）", format=WAN),
                 alt.Tooltip("projects:Q", title="项目数"), alt.Tooltip("counties:Q", title="县区数")],
    ).properties(width=PLOT_WIDTH + 80)


def funding_by_unit(frame: pl.DataFrame) -> alt.Chart:
    """The budget units with the largest project budgets, per year (queries.funding_by_unit)."""
    labelled = frame.with_columns((pl.col("county") + " · " + pl.col("budget_unit")).alias("unit"))
    return alt.Chart(_plotted(labelled), title=_title("项目预算最多的预算单位（万元）")).mark_bar().encode(
        x=alt.X("budget_wan:Q", title="预算（万元）", axis=alt.Axis(format=",.0f")),
        y=alt.Y("unit:N", title=None, sort=alt.EncodingSortField("rank", op="min"), axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        color=alt.Color("county:N", title="县区", legend=None),
        row=YEAR,
        tooltip=[alt.Tooltip("budget_year:O", title="年度"), alt.Tooltip("county:N", title="县区"),
                 alt.Tooltip("budget_unit:N", title="预算单位"),
                 alt.Tooltip("budget_wan:Q", title="预算（万元）", format=WAN),
                 alt.Tooltip("projects:Q", title="项目数")],
    ).resolve_scale(y="independent").properties(width=PLOT_WIDTH)


def unit_costs(points: pl.DataFrame, total: int | None = None) -> alt.Chart:
    """Yuan per unit, one point per project, one line per comparable group (year × purpose ×
    measure), log scale since groups differ by orders of magnitude. From
    queries.unit_cost_points; `total` above the rows drawn puts the sample in the title."""
    total = points.height if total is None else total
    note = (f"抽样显示 {points.height:,} / {total:,} 个项目（固定抽样）" if total > points.height
            else "仅比较同一年度、同一用途、同一可比产出的项目")
    few_counties = points["county"].n_unique() <= 10
    return alt.Chart(_plotted(points), title=_title("可比产出的单位成本（元/单位，对数刻度）", note)).mark_point(
        filled=True, size=60, opacity=0.8).encode(
        x=alt.X("yuan_per_unit:Q", title="元/单位", scale=alt.Scale(type="log"), axis=alt.Axis(format=",.0f")),
        y=alt.Y("comparable_group:N", title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        color=(alt.Color("county:N", title="县区") if few_counties else alt.value("#2c7fb8")),
        row=YEAR,
        tooltip=[alt.Tooltip("county:N", title="县区"), alt.Tooltip("project_name:N", title="项目"),
                 alt.Tooltip("budget_total_wan:Q", title="预算（万元）", format=WAN),
                 alt.Tooltip("value_base:Q", title="目标量", format=",.2~f"),
                 alt.Tooltip("base_unit:N", title="单位"),
                 alt.Tooltip("yuan_per_unit:Q", title="元/单位", format=",.2f"),
                 alt.Tooltip("peer_projects:Q", title="同组项目数")],
    ).resolve_scale(y="independent").properties(width=PLOT_WIDTH - 60)


def spending_plans(plans: pl.DataFrame) -> alt.Chart:
    """Average cumulative spending plan per county (the counties with most plans) and over
    all counties (thick line), per year (queries.spending_plans)."""
    order = ["3月底", "6月底", "10月底", "12月底"]
    marked = plans.with_columns((pl.col("county") == "全部县区平均").alias("all_counties"))
    return alt.Chart(_plotted(marked), title=_title("资金支出计划：累计支出进度（%）")).mark_line(point=True).encode(
        x=alt.X("quarter:O", title="时间节点", sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("spent_pct:Q", title="平均累计支出计划（%）", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("county:N", title="县区"),
        strokeWidth=alt.StrokeWidth("all_counties:N", legend=None, scale=alt.Scale(domain=[False, True], range=[1.5, 4])),
        row=YEAR,
        tooltip=[alt.Tooltip("budget_year:O", title="年度"), alt.Tooltip("county:N", title="县区"),
                 alt.Tooltip("quarter:O", title="时间"), alt.Tooltip("spent_pct:Q", title="平均累计（%）", format=".1f"),
                 alt.Tooltip("projects:Q", title="项目数")],
    ).properties(width=PLOT_WIDTH, height=180)


def rate_targets(rates: pl.DataFrame) -> alt.Chart:
    """How many satisfaction and pass-rate targets are set at each value, by comparison, per
    year (queries.rate_targets)."""
    return alt.Chart(_plotted(rates), title=_title("满意度与合格率目标值的分布")).mark_bar().encode(
        x=alt.X("target_pct:O", title="目标值（%）", axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        y=alt.Y("sum(targets):Q", title="目标数"),
        color=alt.Color("op:N", title="比较"),
        column=alt.Column("target:N", title=None, header=alt.Header()),
        row=YEAR,
        tooltip=[alt.Tooltip("budget_year:O", title="年度"), alt.Tooltip("target:N", title="目标类型"),
                 alt.Tooltip("target_pct:Q", title="目标值（%）"), alt.Tooltip("op:N", title="比较"),
                 alt.Tooltip("sum(targets):Q", title="目标数")],
    ).resolve_scale(x="independent").properties(width=190, height=140)


def findings_by_rule(frame: pl.DataFrame) -> alt.Chart:
    """Findings per rule (its Chinese name), coloured by severity, per year
    (queries.findings_by_rule)."""
    return alt.Chart(_plotted(frame), title=_title("审核发现：按规则")).mark_bar().encode(
        x=alt.X("findings:Q", title="发现数"),
        y=alt.Y("rule_name_zh:N", title=None, sort=alt.EncodingSortField("findings", op="sum", order="descending"),
                axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        color=alt.Color("severity_zh:N", title="严重程度", scale=SEVERITY_COLORS),
        row=YEAR,
        tooltip=[alt.Tooltip("budget_year:O", title="年度"), alt.Tooltip("rule_name_zh:N", title="规则"),
                 alt.Tooltip("severity_zh:N", title="严重程度"), alt.Tooltip("findings:Q", title="发现数"),
                 alt.Tooltip("forms:Q", title="涉及表数")],
    ).resolve_scale(y="independent").properties(width=PLOT_WIDTH)


def department_scorecard(scores: pl.DataFrame) -> alt.Chart:
    """Errors and warnings per form of the worst budget units, in the order and with the
    numbers of the scorecard table (queries.scorecard)."""
    long = scores.with_columns((pl.col("county") + " · " + pl.col("budget_unit")).alias("unit")).unpivot(
        index=["budget_year", "rank", "unit", "forms", "errors", "warnings"],
        on=["errors_per_form", "warnings_per_form"], variable_name="severity", value_name="per_form",
    ).with_columns(pl.col("severity").replace_strict({"errors_per_form": "错误", "warnings_per_form": "警告"}))
    return alt.Chart(_plotted(long), title=_title("各预算单位：每张表的错误与警告数")).mark_bar().encode(
        x=alt.X("per_form:Q", title="每表发现数（错误+警告）", stack="zero"),
        y=alt.Y("unit:N", title=None, sort=alt.EncodingSortField("rank", op="min"), axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        color=alt.Color("severity:N", title="严重程度",
                        scale=alt.Scale(domain=SEVERITY_ZH[:2], range=SEVERITY_COLORS.range[:2])),
        order=alt.Order("severity:N", sort="ascending"),
        row=YEAR,
        tooltip=[alt.Tooltip("unit:N", title="预算单位"), alt.Tooltip("severity:N", title="严重程度"),
                 alt.Tooltip("per_form:Q", title="每表", format=".2f"), alt.Tooltip("forms:Q", title="表数"),
                 alt.Tooltip("errors:Q", title="错误"), alt.Tooltip("warnings:Q", title="警告")],
    ).resolve_scale(y="independent").properties(width=PLOT_WIDTH)


EXPORT_ENV = "JIXIAO_NOTEBOOK_EXPORT"


def _embed_renderer(spec: dict, **metadata) -> dict:
    """A chart as a <div> drawn by vegaEmbed, whose JavaScript the exported page carries once
    (warehouse.analysis.notebook_html); for notebooks run to be exported as HTML."""
    import json
    import uuid

    div = f"jixiao-chart-{uuid.uuid4().hex[:12]}"
    return {"text/html": f'<div id="{div}" class="jixiao-chart"></div><script type="text/javascript">'
                         f'vegaEmbed("#{div}", {json.dumps(spec, ensure_ascii=False)}, {{"actions": false}})'
                         f'.catch(console.error);</script>'}


alt.renderers.register("jixiao-embed", _embed_renderer)


def use_in_notebook() -> None:
    """Interactive charts (tooltips) in JupyterLab, with the Vega JavaScript that vl-convert
    bundles: nothing is fetched from a CDN. When the notebook is run for an HTML export
    (`jixiao notebooks`), charts become vegaEmbed calls on the bundle the page carries."""
    if os.environ.get(EXPORT_ENV):
        alt.renderers.enable("jixiao-embed")
    else:
        alt.renderers.enable("jupyter", offline=True)

"""`jixiao report`: an audit working paper (预算绩效目标审核工作底稿) from the published warehouse,
as A4 Word (report_docx) and HTML (report_html) with the same content, every chart as PNG
(300 ppi) and SVG, and every finding in an Excel workbook beside them.

This module decides the content: a list of blocks (headings, paragraphs, numbered figures and
tables, findings grouped by severity and rule) built from the scope's aggregated queries, in
an order fixed by the queries, so two runs on one warehouse give the same report. The writers
only lay the blocks out. Stops first if no CJK font can draw the labels."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from warehouse.analysis import charts, excel, queries
from warehouse.analysis.fonts import cjk_family
from warehouse.analysis.formatting import LABELS, is_numeric_column, readable
from warehouse.analysis.scope import Scope

PPI = 300
TITLE = "预算绩效目标审核工作底稿"
AUTHOR = "jixiao"
TOP_COUNTIES, TOP_UNITS, TOP_FORMS = 15, 15, 10
NUMERALS = "一二三四五六七八九十"


@dataclass
class Figure:
    name: str                    # file stem of the PNG/SVG
    title: str
    chart: object                # the Altair chart, styled
    png: Path | None = None
    svg: Path | None = None
    width_px: int = 0            # natural size in CSS px (1 px = 1/72 in at scale 1)
    note: str | None = None


@dataclass
class Table:
    title: str
    frame: pl.DataFrame          # as text: readable(), Chinese headers
    numeric: list[str] = field(default_factory=list)   # right-aligned columns
    note: str | None = None


@dataclass
class Heading:
    text: str
    level: int


@dataclass
class Paragraph:
    text: str


@dataclass
class Content:
    title: str
    cover: list[tuple[str, str]]         # (label, value) lines of the cover
    report_date: date
    blocks: list = field(default_factory=list)
    scope_summary: dict = field(default_factory=dict)
    finding_counts: dict[str, int] = field(default_factory=dict)

    def add(self, *blocks) -> None:
        self.blocks.extend(blocks)


@dataclass
class Report:
    out: Path
    images: list[Path] = field(default_factory=list)
    html: Path | None = None
    docx: Path | None = None
    xlsx: Path | None = None
    counties: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    finding_counts: dict[str, int] = field(default_factory=dict)


def _table(title: str, frame: pl.DataFrame, note: str | None = None) -> Table:
    numeric = [LABELS.get(c, c) for c, t in frame.schema.items() if is_numeric_column(c, t)]
    return Table(title, readable(frame, chinese=True), numeric, note)


def _date_zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _list_zh(items: list, limit: int = 12) -> str:
    shown = "、".join(str(i) for i in items[:limit])
    return shown + (f" 等 {len(items)} 个" if len(items) > limit else "")


def _year_frames(frame: pl.DataFrame, years: list[int]):
    for year in years:
        part = frame.filter(pl.col("budget_year") == year)
        if part.height:
            yield year, part


def _cover(summary: dict, report_date: date) -> list[tuple[str, str]]:
    return [("审核范围", f"{len(summary['counties'])} 个县（区）：{_list_zh(summary['counties'])}"),
            ("预算年度", "、".join(f"{y}年" for y in summary["years"]) or "（无）"),
            ("审核资料", f"绩效目标文件 {summary['documents']:,} 份，绩效目标表 {summary['forms']:,} 张"
                         f"（项目 {summary['project_forms']:,} 张、部门整体 {summary['department_forms']:,} 张），"
                         f"绩效指标 {summary['indicator_rows']:,} 条"),
            ("编制日期", _date_zh(report_date)),
            ("编制", f"{AUTHOR}（自动生成，供审核人员复核）")]


def build_content(con, scope: Scope, report_date: date) -> Content:
    """Everything the report says, in order."""
    summary = queries.summary(con, scope)
    years = summary["years"]
    content = Content(TITLE, _cover(summary, report_date), report_date, scope_summary=summary)
    findings = queries.findings(con, scope)
    counts = {s: findings.filter(pl.col("severity") == s).height for s in queries.SEVERITY_ZH}
    content.finding_counts = counts
    sections = iter(NUMERALS)

    # 一、审核概况
    content.add(Heading(f"{next(sections)}、审核概况", 1), Paragraph(
        f"本底稿覆盖 {len(summary['counties'])} 个县（区）、{'、'.join(f'{y}年' for y in years)}的预算绩效目标："
        f"文件 {summary['documents']:,} 份、绩效目标表 {summary['forms']:,} 张、绩效指标 {summary['indicator_rows']:,} 条。"
        f"审核规则共发现 {findings.height:,} 项问题（错误 {counts['error']:,} 项，警告 {counts['warning']:,} 项，"
        f"提示 {counts['info']:,} 项）。金额单位为万元，按预算年度分别统计，不跨年度合计；空白表示原表未填。"))
    by_county = queries.findings_by_county(con, scope)
    for year, part in _year_frames(by_county, years):
        content.add(Paragraph(f"{year}年按县区：" + "；".join(
            f"{r['county']} 错误 {r['errors']} 项、警告 {r['warnings']} 项、提示 {r['infos']} 项"
            for r in part.head(TOP_COUNTIES).iter_rows(named=True))
            + (f"；其余 {part.height - TOP_COUNTIES} 个县区见附表。" if part.height > TOP_COUNTIES else "。")))
    content.add(_table("审核范围（按年度）", queries.totals_by_year(con, scope)))

    # 二、资金概况
    content.add(Heading(f"{next(sections)}、项目资金概况", 1))
    by_county_chart = queries.funding_by_county(con, scope, top=TOP_COUNTIES)
    for year, part in _year_frames(by_county_chart, years):
        content.add(Figure(f"funding_by_county_{year}", f"{year}年各县（区）项目预算（按用途）",
                           charts.funding_by_county(part),
                           note=f"预算最多的 {TOP_COUNTIES} 个县区，其余合为一条" if part["county"].str.starts_with("其他 ").any() else None))
    purposes = queries.funding_by_purpose(con, scope)
    content.add(Figure("funding_by_purpose", "各用途项目预算（按年度）", charts.funding_by_purpose(purposes)),
                _table("各用途项目预算（按年度）", purposes.select(
                    "budget_year", "purpose_name", "counties", "projects", "budget_wan"),
                    note="用途按项目名称中的关键词归类（种子表 project_purposes）。"))
    units = queries.funding_by_unit(con, scope, top=TOP_UNITS)
    for year, part in _year_frames(units, years):
        content.add(Figure(f"funding_by_unit_{year}", f"{year}年项目预算最多的预算单位", charts.funding_by_unit(part)))

    # 三、单位成本
    content.add(Heading(f"{next(sections)}、可比产出的单位成本", 1), Paragraph(
        "单位成本 = 项目预算 ÷ 产出目标量（换算为基本单位）。只在同一预算年度、同一用途、同一可比产出的项目之间比较"
        "（至少两个项目）；保障人数等非产出数量不计算单位成本。一张表有多个可比产出时，每个产出都按全部预算计算，"
        "差异只提示需要关注，不能直接作为结论。"))
    groups = queries.unit_cost_groups(con, scope)
    if groups.height:
        for year in groups["budget_year"].unique(maintain_order=True).to_list():
            # sampled per year, so the subtitle's count is the year's
            points, total = queries.unit_cost_points(con, Scope(scope.warehouse, (year,), scope.counties))
            content.add(Figure(f"unit_costs_{year}", f"{year}年可比产出的单位成本", charts.unit_costs(points, total)))
        content.add(_table("可比产出单位成本的分布（元/单位）", groups.rename({"lowest": "最低", "median": "中位数",
                                                                  "highest": "最高", "spread": "最高/最低"})))
    else:
        content.add(Paragraph("审核范围内没有两个以上可比项目的产出，不作单位成本比较。"))

    # 四、支出计划与目标值
    content.add(Heading(f"{next(sections)}、资金支出计划与目标取值", 1))
    plans = queries.spending_plans(con, scope)
    for year, part in _year_frames(plans, years):
        content.add(Figure(f"spending_plans_{year}", f"{year}年资金支出计划（累计进度）", charts.spending_plans(part)))
    if not plans.height:
        content.add(Paragraph("审核范围内的绩效目标表均未填写资金支出计划。"))
    rates = queries.rate_targets(con, scope)
    for year, part in _year_frames(rates, years):
        content.add(Figure(f"rate_targets_{year}", f"{year}年满意度与合格率目标值分布", charts.rate_targets(part)))
    content.add(_table("满意度与合格率目标（按年度、县区）", queries.rate_summary(con, scope)))

    # 五、审核发现
    content.add(Heading(f"{next(sections)}、审核发现", 1), Paragraph(
        "审核规则及其依据见下表；每条规则是一段 SQL（dbt 模型 rule_<代码>），阈值为 dbt 变量。错误为数字不可能同时成立，"
        "警告为目标设置不当，提示为表述问题。错误与警告逐条列出来源（文件与位置）；全部问题见同目录 Excel 文件。"))
    by_rule = queries.findings_by_rule(con, scope)
    for year, part in _year_frames(by_rule, years):
        content.add(Figure(f"findings_by_rule_{year}", f"{year}年审核发现（按规则）", charts.findings_by_rule(part)))
    content.add(_table("审核发现汇总（按年度、规则）", by_rule.select(
        "budget_year", "severity_zh", "rule_name_zh", "rule_basis", "findings", "forms")))
    _findings_by_severity(content, findings)

    # 六、记分卡
    content.add(Heading(f"{next(sections)}、预算单位记分卡与重点关注的表", 1))
    scores = queries.scorecard(con, scope, top=TOP_UNITS)
    for year, part in _year_frames(scores, years):
        content.add(Figure(f"department_scorecard_{year}", f"{year}年各预算单位每张表的错误与警告",
                           charts.department_scorecard(part)),
                    _table(f"{year}年预算单位记分卡（每表错误与警告最多的 {TOP_UNITS} 个）", part.select(
                        "county", "budget_unit", "forms", "indicator_rows", "errors", "warnings", "infos",
                        "errors_per_form", "warnings_per_form", "findings_per_form")))
    worst = queries.worst_forms(con, scope, limit=TOP_FORMS)
    content.add(_table(f"问题最多的表（每年前 {TOP_FORMS} 张；错误计 3 分、警告计 1 分）", worst.select(
        "budget_year", "county", "form_label", "source_file", "findings", "score")))

    # 附表
    content.add(Heading("附表", 1), _table("各县区审核范围（按年度）", queries.totals_by_county(con, scope)))
    return content


def _findings_by_severity(content: Content, findings: pl.DataFrame) -> None:
    """Errors and warnings: per rule its name, basis, count and every case with its source;
    notes (提示): per rule its count only (the cases are in the Excel file)."""
    for n, (severity, zh) in enumerate(queries.SEVERITY_ZH.items()):
        rows = findings.filter(pl.col("severity") == severity)
        if not rows.height:
            continue
        content.add(Heading(f"（{NUMERALS[n]}）{zh}（{rows.height:,} 项）", 2))
        for i, code in enumerate(rows["rule_code"].unique(maintain_order=True).to_list(), start=1):
            cases = rows.filter(pl.col("rule_code") == code)
            first = cases.row(0, named=True)
            content.add(Heading(f"{i}. {first['rule_name_zh']}（{code}）", 3),
                        Paragraph(f"依据：{first['rule_basis']}"),
                        Paragraph(f"共 {cases.height:,} 项，涉及 {cases['form_label'].n_unique():,} 张表、"
                                  f"{cases['county'].n_unique():,} 个县区。"))
            if severity == "info":
                continue
            listed = cases.with_row_index("序号", offset=1).select(
                pl.col("序号"), "budget_year", "county", "message",
                (pl.col("source_file") + " · " + pl.col("source_line")).alias("来源（文件 · 位置）"))
            content.add(_table(f"{first['rule_name_zh']}：问题清单", listed))


def _figures(content: Content):
    return [b for b in content.blocks if isinstance(b, Figure)]


def export(out: Path, warehouse: Path | None = None, years=None, counties=None,
           report_date: date | None = None) -> Report:
    """Write charts/*.png|svg, audit_report.docx, audit_report.html and audit_findings.xlsx."""
    import vl_convert as vlc

    from warehouse.analysis.report_docx import write_docx
    from warehouse.analysis.report_html import write_html

    family = cjk_family()                       # raises MissingCJKFont with the fix
    scope = Scope.of(warehouse, years, counties)
    report_date = report_date or date.today()
    with queries.connect(scope) as con:
        content = build_content(con, scope, report_date)
        all_findings = queries.findings(con, scope)
    out.mkdir(parents=True, exist_ok=True)
    (out / "charts").mkdir(exist_ok=True)
    report = Report(out, counties=content.scope_summary["counties"], years=content.scope_summary["years"],
                    finding_counts=content.finding_counts)
    for figure in _figures(content):
        spec = charts.styled(figure.chart, family).to_dict()
        figure.png, figure.svg = out / "charts" / f"{figure.name}.png", out / "charts" / f"{figure.name}.svg"
        png = vlc.vegalite_to_png(spec, ppi=PPI)
        figure.png.write_bytes(png)
        figure.svg.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
        figure.width_px = round(_png_width(png) * 72 / PPI)
        report.images += [figure.png, figure.svg]
    report.docx = write_docx(out / "audit_report.docx", content)
    report.html = write_html(out / "audit_report.html", content)
    report.xlsx = excel.to_excel({"审核发现": all_findings.drop("finding_key", "severity")},
                                 out / "audit_findings.xlsx")
    return report


def _png_width(png: bytes) -> int:
    return int.from_bytes(png[16:20], "big")      # IHDR width

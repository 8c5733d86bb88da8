"""`jixiao report`: every chart as PNG (300 ppi, for print) and SVG, and an audit report draft
with the charts, the key tables and the findings, as HTML and as DOCX (auditors write in Word).
Reads the published warehouse read-only; stops first if no CJK font can draw the labels."""
from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from warehouse.analysis import charts, queries as analysis
from warehouse.analysis.fonts import cjk_family

PPI = 300
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass
class Report:
    out: Path
    images: list[Path] = field(default_factory=list)
    html: Path | None = None
    docx: Path | None = None
    counties: list[str] = field(default_factory=list)
    finding_counts: dict[str, int] = field(default_factory=dict)


def _chart_set(con) -> tuple[dict[str, tuple[str, object]], dict[str, pl.DataFrame]]:
    frames = {"funding": analysis.funding(con), "unit_costs": analysis.unit_costs(con),
              "plans": analysis.spending_plans(con), "rates": analysis.rate_targets(con),
              "findings": analysis.findings(con), "scorecard": analysis.scorecard(con)}
    made = {
        "funding_by_county": ("各县（区）项目预算", charts.funding_by_county(frames["funding"])),
        "funding_by_department": ("各部门项目预算", charts.funding_by_department(frames["funding"])),
        "unit_costs": ("可比产出的单位成本", charts.unit_costs(frames["unit_costs"])),
        "spending_plans": ("资金支出计划", charts.spending_plans(frames["plans"])),
        "rate_targets": ("满意度与合格率目标", charts.rate_targets(frames["rates"])),
        "findings_by_rule": ("审核发现（按规则）", charts.findings_by_rule(frames["findings"])),
        "department_scorecard": ("预算单位记分卡", charts.department_scorecard(frames["scorecard"])),
    }
    return made, frames


def _tables(frames, worst: pl.DataFrame) -> dict[str, pl.DataFrame]:
    funding = (frames["funding"].group_by("county", "budget_year")
               .agg(pl.col("projects").sum().alias("项目数"), pl.col("budget_wan").sum().round(2).alias("预算（万元）"))
               .sort("county", "budget_year").rename({"county": "县区", "budget_year": "年度"}))
    costs = (frames["unit_costs"].filter(pl.col("counties_with_measure") >= 2)
             .select(pl.col("measure_name").alias("可比产出"), pl.col("county").alias("县区"),
                     pl.col("project_name").alias("项目"), pl.col("budget_total_wan").alias("预算（万元）"),
                     (pl.col("value_base").round(2).cast(pl.String) + pl.col("base_unit")).alias("目标量"),
                     pl.col("yuan_per_unit").alias("元/单位")))
    rules = (frames["findings"].group_by("rule_code", "severity").len("发现数")
             .sort("发现数", descending=True)
             .with_columns(pl.col("severity").replace_strict(SEVERITY_ZH))
             .rename({"rule_code": "规则", "severity": "严重程度"}))
    scores = frames["scorecard"].select(
        pl.col("county").alias("县区"), pl.col("budget_unit").alias("预算单位"), pl.col("forms").alias("表数"),
        pl.col("errors").alias("错误"), pl.col("warnings").alias("警告"), pl.col("infos").alias("提示"),
        pl.col("findings_per_form").alias("每表发现（错误+警告）"))
    worst = worst.drop("messages").rename({"county": "县区", "form_label": "表", "findings": "发现数",
                                           "score": "加权分"})
    return {"各县（区）项目预算": funding, "可比产出的单位成本（两县以上均有）": costs,
            "审核发现（按规则）": rules, "预算单位记分卡": scores, "问题最多的表": worst}


def _summary(frames) -> tuple[list[str], dict[str, int], str]:
    findings = frames["findings"]
    counts = {s: findings.filter(pl.col("severity") == s).height for s in SEVERITY_ZH}
    counties = sorted(frames["scorecard"]["county"].unique().to_list())
    per_county = findings.group_by("county").len().sort("county")
    by_county = "；".join(f"{c} {n} 项" for c, n in per_county.iter_rows())
    text = (f"本报告覆盖 {len(counties)} 个县（区）：{'、'.join(counties)}。审核规则共发现 {findings.height} 项问题"
            f"（错误 {counts['error']} 项，警告 {counts['warning']} 项，提示 {counts['info']} 项）；"
            f"按县区：{by_county}。")
    return counties, counts, text


def export(out: Path, warehouse: Path | None = None) -> Report:
    import vl_convert as vlc

    family = cjk_family()                       # raises MissingCJKFont with the fix
    out.mkdir(parents=True, exist_ok=True)
    (out / "charts").mkdir(exist_ok=True)
    with analysis.connect(warehouse) as con:
        made, frames = _chart_set(con)
        tables = _tables(frames, analysis.worst_forms(con))
    report = Report(out)
    pictures = {}
    for name, (_, chart) in made.items():
        spec = charts.styled(chart, family).to_dict()
        png, svg = out / "charts" / f"{name}.png", out / "charts" / f"{name}.svg"
        png.write_bytes(vlc.vegalite_to_png(spec, ppi=PPI))
        svg.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
        report.images += [png, svg]
        pictures[name] = png
    report.counties, report.finding_counts, summary = _summary(frames)
    findings = frames["findings"].filter(pl.col("severity") != "info")
    report.html = _write_html(out / "audit_report.html", made, pictures, tables, summary, findings)
    report.docx = _write_docx(out / "audit_report.docx", made, pictures, tables, summary, findings)
    return report


TITLE = "预算绩效目标审核报告（草稿）"


def _html_table(frame: pl.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
                   for row in frame.iter_rows())
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _write_html(path, made, pictures, tables, summary, findings) -> Path:
    parts = [f"<h1>{TITLE}</h1>", f"<p>{html.escape(summary)}</p>"]
    for name, (title, _) in made.items():
        data = base64.b64encode(pictures[name].read_bytes()).decode()
        parts.append(f"<h2>{title}</h2><img alt='{title}' style='max-width:100%' src='data:image/png;base64,{data}'>")
    for title, frame in tables.items():
        parts.append(f"<h2>{title}</h2>{_html_table(frame)}")
    parts.append("<h2>审核发现（错误与警告）</h2><ol>" + "".join(
        f"<li>[{SEVERITY_ZH[s]}] {html.escape(m)} <small>（{html.escape(f)} {html.escape(l)}）</small></li>"
        for s, m, f, l in findings.select("severity", "message", "source_file", "source_line").iter_rows())
        + "</ol>")
    style = ("body{font-family:'Noto Sans CJK SC','Microsoft YaHei','SimSun',sans-serif;max-width:60em;margin:2em auto}"
             "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:2px 6px;font-size:90%}")
    path.write_text(f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{TITLE}</title>"
                    f"<style>{style}</style></head><body>{''.join(parts)}</body></html>", encoding="utf-8")
    return path


def _write_docx(path, made, pictures, tables, summary, findings) -> Path:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.font.name = "Times New Roman"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")   # Word's default Chinese body font
    doc.add_heading(TITLE, level=0)
    doc.add_paragraph(summary)
    for name, (title, _) in made.items():
        doc.add_heading(title, level=1)
        doc.add_picture(str(pictures[name]), width=Cm(16))
    for title, frame in tables.items():
        doc.add_heading(title, level=1)
        table = doc.add_table(rows=1, cols=len(frame.columns), style="Table Grid")
        for cell, name in zip(table.rows[0].cells, frame.columns):
            cell.text = name
        for row in frame.iter_rows():
            for cell, value in zip(table.add_row().cells, row):
                cell.text = "" if value is None else str(value)
    doc.add_heading("审核发现（错误与警告）", level=1)
    for severity, message, source_file, source_line in findings.select(
            "severity", "message", "source_file", "source_line").iter_rows():
        doc.add_paragraph(f"[{SEVERITY_ZH[severity]}] {message}（{source_file} {source_line}）",
                          style="List Number")
    doc.save(str(path))
    return path

"""Notebooks run top to bottom against a warehouse built from the samples, take papermill
parameters and export to HTML that needs no internet; the report export writes PNG, SVG, an
A4 Word working paper, HTML and Excel with Chinese that renders; no CJK font stops it loudly."""
from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date

import duckdb
import nbformat
import polars as pl
import pytest
from nbclient import NotebookClient
from PIL import Image
from typer.testing import CliRunner

from warehouse.analysis import fonts
from warehouse.analysis.scope import Scope
from warehouse.paths import PROJECT_ROOT

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))
COUNTIES = ["卢龙县", "承德县", "大连高新技术产业园区", "西岗区"]
REPORT_DATE = date(2026, 11, 28)
REMOTE = re.compile(r"""<(?:script|img|iframe)[^>]*\bsrc=["']https?://|<link[^>]*\bhref=["']https?://|"""
                    r"""\bfrom\s+["']https?://|@import\s+url\(["']?https?://""", re.I)


def test_notebooks_kept_without_outputs_with_a_parameters_cell():
    """Clear outputs before committing: `make clean-notebooks`."""
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04"]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code and all(not c.outputs and c.execution_count is None for c in code), path.name
        tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        for name in ("warehouse =", "years =", "counties ="):
            assert name in tagged[0].source, (path.name, name)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path, built_warehouse, monkeypatch):
    monkeypatch.setenv("JIXIAO_WAREHOUSE", str(built_warehouse))   # the kernel inherits it
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    charts = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert charts, "each notebook draws at least one chart"


@pytest.fixture(scope="module")
def exported_notebook(built_warehouse, tmp_path_factory):
    """Notebook 01 run with papermill on 2023 only, exported as HTML."""
    from warehouse.analysis.notebook_html import export_notebooks

    [page] = export_notebooks(tmp_path_factory.mktemp("nb"), built_warehouse, [2023], [], ["01"])
    return page.read_text(encoding="utf-8")


def test_notebook_parameters_choose_the_year(exported_notebook):
    # 大连高新区 alone has 2023 forms: 8 project forms, 1,989.69 万元 (200.6+19.16+300.95+120.2+1200+112.79+35.99)
    assert "1,989.69" in exported_notebook
    assert "113,611.02" not in exported_notebook          # the 2024 project total is out of scope
    assert "2023年 · 全部县区" in exported_notebook


def test_notebook_html_renders_offline(exported_notebook):
    assert not REMOTE.findall(exported_notebook)
    assert exported_notebook.count('<script id="vega-bundle"') == 1   # the Vega bundle, once per page
    start = exported_notebook.index('<script id="vega-bundle"')
    bundle = exported_notebook[start:exported_notebook.index("</script>", start)]
    assert len(bundle) > 500_000 and "vegaEmbed" in bundle
    assert exported_notebook.count('vegaEmbed("#jixiao-chart-') == 1    # notebook 01 draws one chart
    assert exported_notebook.index('vegaEmbed("#jixiao-chart-') > start
    assert "widget-view" not in exported_notebook


def test_readers_keep_working_while_a_build_publishes(built_warehouse, tmp_path, monkeypatch):
    from warehouse.analysis import queries
    from warehouse.build import build
    from warehouse.paths import SAMPLES_DIR

    published = tmp_path / "jixiao.duckdb"
    shutil.copyfile(built_warehouse, published)
    monkeypatch.setenv("JIXIAO_WAREHOUSE", str(published))
    everything = Scope()
    reader = queries.connect()
    before = queries.funding(reader, everything).height
    build([SAMPLES_DIR], published)   # a full rebuild and publish while the reader is open
    assert queries.funding(reader, everything).height == before           # the open reader still reads its file
    with queries.connect() as fresh:
        assert queries.funding(fresh, everything).height == before
    reader.close()


@pytest.fixture(scope="module")
def exported(built_warehouse, tmp_path_factory):
    from warehouse.analysis.report import export

    return export(tmp_path_factory.mktemp("report"), built_warehouse, report_date=REPORT_DATE)


def _finding_counts(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return dict(con.execute("select severity, count(*) from marts.fct_target_findings group by 1").fetchall())


def _docx_text(path) -> str:
    from docx import Document

    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_report_exports_every_format(exported, built_warehouse):
    pngs = sorted(p for p in exported.images if p.suffix == ".png")
    svgs = sorted(p for p in exported.images if p.suffix == ".svg")
    assert len(pngs) == len(svgs) >= 8
    with Image.open(pngs[0]) as image:
        assert round(image.info["dpi"][0]) == 300
    assert all("<svg" in p.read_text(encoding="utf-8")[:500] for p in svgs)
    counts = _finding_counts(built_warehouse)
    html = exported.html.read_text(encoding="utf-8")
    for text in (html, _docx_text(exported.docx)):
        for county in COUNTIES:
            assert county in text
        assert f"审核规则共发现 {sum(counts.values())} 项问题" in text
        assert f"错误 {counts['error']} 项" in text and f"警告 {counts['warning']} 项" in text
    assert exported.counties == sorted(COUNTIES) and exported.years == [2023, 2024]
    assert not REMOTE.findall(html)


def test_word_report_is_an_a4_working_paper(exported):
    from docx import Document
    from docx.shared import Cm

    doc = Document(str(exported.docx))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.different_first_page_header_footer           # the cover has no page number
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "第" in section.footer.paragraphs[0].text
    cover = "\n".join(p.text for p in doc.paragraphs[:12]) + "\n".join(
        c.text for r in doc.tables[0].rows for c in r.cells)
    assert "预算绩效目标审核工作底稿" in cover and "2023年、2024年" in cover
    assert "2026年11月28日" in cover and "4 个县（区）" in cover and "文件 5 份" in cover
    props = doc.core_properties
    assert props.title == "预算绩效目标审核工作底稿" and props.author == "jixiao"
    assert props.created.date() == REPORT_DATE
    assert section.left_margin > Cm(2)


def test_captions_are_numbered_and_tables_repeat_their_header(exported):
    from docx import Document

    doc = Document(str(exported.docx))
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    figures = [int(re.match(r"图 (\d+) ", c).group(1)) for c in captions if c.startswith("图")]
    tables = [int(re.match(r"表 (\d+) ", c).group(1)) for c in captions if c.startswith("表")]
    assert figures == list(range(1, len(figures) + 1)) and len(figures) == len(
        [p for p in exported.images if p.suffix == ".png"])
    assert tables == list(range(1, len(tables) + 1)) and len(tables) == len(doc.tables) - 1   # the cover's is not one
    body = doc.element.body.xml
    assert body.count("SEQ 图") == len(figures) and body.count("SEQ 表") == len(tables)
    for table in doc.tables[1:]:
        assert 'w:tblHeader w:val="true"' in table.rows[0]._tr.xml


def test_numbers_are_formatted_for_people(exported):
    text = _docx_text(exported.docx)
    assert "63,040.00" in text          # 西岗区's six purchased services, 万元
    assert "65,495.31" in text          # its department budget
    assert not re.search(r"\b\d{5,}\.\d\b|\d\.\d{3,}", text.replace("·", " "))   # no 63040.0, no 55239.95999


def test_findings_are_grouped_by_rule_with_basis_and_source(exported, built_warehouse):
    from docx import Document

    doc = Document(str(exported.docx))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert [h for h in headings if h.startswith("（")][:2] == ["（一）错误（6 项）", "（二）警告（72 项）"]
    assert "1. 资金来源合计与预算数不符（FUNDING_PARTS_MISMATCH）" in headings or \
        any(h.endswith("（FUNDING_PARTS_MISMATCH）") and "资金来源合计与预算数不符" in h for h in headings)
    paragraphs = [p.text for p in doc.paragraphs]
    assert "依据：财预〔2021〕101号：成本指标应与预算资金相匹配" in paragraphs
    rows = {tuple(c.text for c in r.cells) for t in doc.tables[1:] for r in t.rows}
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        cases = con.execute("select message, source_file, source_line from marts.findings "
                            "where severity in ('error', 'warning')").fetchall()
    listed = {(row[-2], row[-1]) for row in rows}
    for message, source_file, source_line in cases:     # every error and warning, with its source
        assert (message, f"{source_file} · {source_line}") in listed


def test_charts_in_word_are_legible(exported):
    """Pictures at least 12 cm wide, and no chart text below 8 pt as printed."""
    from docx import Document

    doc = Document(str(exported.docx))
    pictures = doc.inline_shapes
    svgs = {p.stem: p for p in exported.images if p.suffix == ".svg"}
    assert len(pictures) == len(svgs)
    with zipfile.ZipFile(exported.docx) as z:
        order = re.findall(r'name="([^"]+\.png)"', z.read("word/document.xml").decode())
    for shape, name in zip(pictures, order):
        assert shape.width.cm >= 12
        svg = svgs[name[:-4]].read_text(encoding="utf-8")
        width_px = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg).group(1))
        smallest = min(float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg))
        assert smallest * shape.width.pt / width_px >= 8, (name, smallest, shape.width.cm)


def test_word_names_pictures_after_their_charts(exported):
    with zipfile.ZipFile(exported.docx) as z:
        names = re.findall(r'name="([^"]+\.png)"', z.read("word/document.xml").decode())
    assert names and all((exported.out / "charts" / n).exists() for n in names)


def test_report_is_the_same_every_run(exported, built_warehouse, tmp_path):
    from warehouse.analysis.report import export

    again = export(tmp_path / "again", built_warehouse, report_date=REPORT_DATE)
    with zipfile.ZipFile(exported.docx) as a, zipfile.ZipFile(again.docx) as b:
        assert a.read("word/document.xml") == b.read("word/document.xml")
        assert a.read("docProps/core.xml") == b.read("docProps/core.xml")
    assert again.html.read_text(encoding="utf-8") == exported.html.read_text(encoding="utf-8")


def test_scorecard_chart_draws_the_table(built_warehouse):
    from warehouse.analysis import charts, queries

    with queries.connect(built_warehouse) as con:
        scores = queries.scorecard(con, Scope(), top=15)
    spec = charts.department_scorecard(scores).to_dict()
    values = next(iter(spec["datasets"].values()))
    per_unit: dict[str, float] = {}
    for v in values:
        per_unit[(v["budget_year"], v["unit"])] = per_unit.get((v["budget_year"], v["unit"]), 0) + v["per_form"]
    for row in scores.iter_rows(named=True):
        drawn = per_unit[(row["budget_year"], f"{row['county']} · {row['budget_unit']}")]
        assert drawn == pytest.approx(row["errors_per_form"] + row["warnings_per_form"])
        assert drawn == pytest.approx(row["findings_per_form"], abs=0.011)
    # 西岗区's department form and purchased services: 37 warnings and 1 error on 7 forms
    # (3 of the department form's scored rows print no target value: 3 EMPTY_TARGET among them)
    xigang = scores.filter(scores["county"] == "西岗区").row(0, named=True)
    assert (xigang["forms"], xigang["errors"], xigang["warnings"], xigang["findings_per_form"]) == (7, 1, 37, 5.43)


def test_report_for_one_year_from_the_command_line(built_warehouse, tmp_path):
    from docx import Document

    from warehouse.cli import app

    result = CliRunner().invoke(app, ["report", "--out", str(tmp_path / "r"), "--warehouse", str(built_warehouse),
                                      "--year", "2023"])
    assert result.exit_code == 0, result.output
    doc = Document(str(tmp_path / "r" / "audit_report.docx"))
    cover = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert cover["审核范围："] == "1 个县（区）：大连高新技术产业园区" and cover["预算年度："] == "2023年"
    assert "2024" not in _docx_text(tmp_path / "r" / "audit_report.docx")
    assert (tmp_path / "r" / "audit_findings.xlsx").exists()


def test_chinese_labels_render_as_glyphs_not_boxes():
    family = fonts.cjk_family()
    assert fonts.renders_distinctly("卢龙县", "承德县", family)
    # the check itself: characters no font has come out as identical boxes, and it says so.
    # Unassigned code points, not the Private Use Area: LibreOffice's OpenSymbol draws PUA ones.
    assert not fonts.renders_distinctly("\u0378\u0379\u0380", "\u0381\u0382\u0383", family)


def test_chart_svg_names_the_counties(exported):
    svg = next(p for p in exported.images if p.name == "funding_by_county_2024.svg").read_text(encoding="utf-8")
    assert "卢龙县" in svg and "Noto Sans CJK SC" in svg


def test_no_cjk_font_stops_the_export_with_the_fix(monkeypatch, tmp_path, built_warehouse):
    from warehouse.cli import app

    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)
    fonts.cjk_family.cache_clear()
    try:
        result = CliRunner().invoke(app, ["report", "--out", str(tmp_path / "r"),
                                          "--warehouse", str(built_warehouse)])
    finally:
        fonts.cjk_family.cache_clear()
    assert result.exit_code == 1
    assert "No CJK font" in result.output and "fonts-noto-cjk" in result.output
    assert not (tmp_path / "r" / "charts").exists() or not any((tmp_path / "r" / "charts").iterdir())


@pytest.fixture(scope="module")
def wider_warehouse(tmp_path_factory):
    """30 distinct documents: the samples moved to other counties with scaled amounts
    (benchmarks/national.py makes 250 of them for the national benchmark)."""
    from benchmarks.national import make_documents
    from warehouse.build import build

    root = tmp_path_factory.mktemp("wide")
    make_documents(root / "docs", 30)
    build([root / "docs"], root / "wide.duckdb", reports_dir=root / "reports")
    return root / "wide.duckdb"


def test_charts_embed_aggregates_not_rows(wider_warehouse):
    """What a chart embeds is bounded by its top-N, not by the warehouse: the same queries
    and charts work on a national warehouse without Altair's MaxRowsError."""
    from warehouse.analysis import charts, queries

    scope = Scope()
    with queries.connect(wider_warehouse) as con:
        n_counties = queries.summary(con, scope)["counties"]
        by_county = queries.funding_by_county(con, scope, top=5)
        points, total = queries.unit_cost_points(con, scope, limit=10)
        frames = [by_county, queries.funding_by_unit(con, scope, top=5), queries.spending_plans(con, scope, top=3),
                  queries.scorecard(con, scope, top=5), queries.findings_by_rule(con, scope), queries.rate_targets(con, scope)]
    assert len(n_counties) > 15
    # per year: five counties by name, the rest folded into one bar that says how many
    for year, part in by_county.group_by("budget_year"):
        named = part.filter(~pl.col("county").str.starts_with("其他 "))["county"].unique()
        assert named.len() <= 5
    assert by_county.filter(pl.col("county").str.starts_with("其他 ")).height > 0
    assert max(f.height for f in frames) < 300
    assert points.height == 10 < total
    title = charts.unit_costs(points, total).to_dict()["title"]
    assert title["subtitle"] == f"抽样显示 10 / {total:,} 个项目（固定抽样）"
    with queries.connect(wider_warehouse) as con:
        assert queries.unit_cost_points(con, scope, limit=10)[0].equals(points)     # the same sample each time


def test_a_chart_refuses_raw_rows():
    from warehouse.analysis import charts

    rows = pl.DataFrame({"budget_year": [2024] * 5000, "rule_name_zh": ["规则"] * 5000,
                         "severity_zh": ["警告"] * 5000, "findings": [1] * 5000, "forms": [1] * 5000})
    with pytest.raises(charts.TooManyRows):
        charts.findings_by_rule(rows)

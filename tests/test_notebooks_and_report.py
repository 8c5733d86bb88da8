"""Notebooks run top to bottom against a warehouse built from the samples; the report export
writes PNG, SVG, HTML and DOCX with Chinese that renders; no CJK font stops the export loudly."""
from __future__ import annotations

import io
import shutil

import duckdb
import nbformat
import pytest
from nbclient import NotebookClient
from PIL import Image
from typer.testing import CliRunner

from tests.conftest import SAMPLE
from warehouse.analysis import fonts
from warehouse.paths import PROJECT_ROOT

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))
COUNTIES = ["卢龙县", "承德县", "大连高新技术产业园区", "西岗区"]


def test_three_notebooks_kept_without_outputs():
    """Clear outputs before committing: `make clean-notebooks`."""
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03"]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code and all(not c.outputs and c.execution_count is None for c in code), path.name


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


def test_readers_keep_working_while_a_build_publishes(built_warehouse, tmp_path, monkeypatch):
    from warehouse.analysis import queries as analysis
    from warehouse.build import build

    published = tmp_path / "jixiao.duckdb"
    shutil.copyfile(built_warehouse, published)
    monkeypatch.setenv("JIXIAO_WAREHOUSE", str(published))
    reader = analysis.connect()
    before = analysis.funding(reader).height
    build([tmp_path / "nothing-new"], published)   # a full rebuild and publish while the reader is open
    assert analysis.funding(reader).height == before           # the open reader still reads its file
    with analysis.connect() as fresh:
        assert analysis.funding(fresh).height == before
    reader.close()


@pytest.fixture(scope="module")
def exported(built_warehouse, tmp_path_factory):
    from warehouse.analysis.report import export

    return export(tmp_path_factory.mktemp("report"), built_warehouse)


def _finding_counts(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return dict(con.execute("select severity, count(*) from marts.fct_target_findings group by 1").fetchall())


def test_report_exports_every_format(exported, built_warehouse):
    pngs = sorted(p for p in exported.images if p.suffix == ".png")
    svgs = sorted(p for p in exported.images if p.suffix == ".svg")
    assert len(pngs) == len(svgs) == 7
    with Image.open(pngs[0]) as image:
        assert round(image.info["dpi"][0]) == 300
    assert all("<svg" in p.read_text(encoding="utf-8")[:500] for p in svgs)
    counts = _finding_counts(built_warehouse)
    html = exported.html.read_text(encoding="utf-8")
    from docx import Document

    docx = "\n".join(p.text for p in Document(str(exported.docx)).paragraphs)
    for text in (html, docx):
        for county in COUNTIES:
            assert county in text
        assert f"审核规则共发现 {sum(counts.values())} 项问题" in text
        assert f"错误 {counts['error']} 项" in text and f"警告 {counts['warning']} 项" in text
    assert exported.counties == sorted(COUNTIES)


def test_chinese_labels_render_as_glyphs_not_boxes():
    family = fonts.cjk_family()
    assert fonts.renders_distinctly("卢龙县", "承德县", family)
    # the check itself: characters no font has come out as identical boxes, and it says so.
    # Unassigned code points, not the Private Use Area: LibreOffice's OpenSymbol draws PUA ones.
    assert not fonts.renders_distinctly("\u0378\u0379\u0380", "\u0381\u0382\u0383", family)


def test_chart_svg_names_the_counties(exported):
    svg = next(p for p in exported.images if p.name == "funding_by_county.svg").read_text(encoding="utf-8")
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

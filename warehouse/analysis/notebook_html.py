"""`jixiao notebooks`: run the notebooks with papermill parameters (warehouse, years, counties)
and export each as one HTML page that works without internet. Charts are drawn by vegaEmbed
(charts.use_in_notebook switches to it for an export) from the Vega bundle vl-convert ships,
included once per page; nbconvert's own CDN scripts (require.js, MathJax, mermaid) are left
out, since the notebooks use none of them."""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from warehouse.analysis.charts import EXPORT_ENV
from warehouse.paths import PROJECT_ROOT

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
# <script src="https://…"></script>, <link href="https://…">, and inline module scripts that import from a URL
_REMOTE = [re.compile(r"<script[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>", re.I),
           re.compile(r"<link[^>]*\bhref=[\"']https?://[^>]*>", re.I),
           re.compile(r"<script[^>]*>(?:(?!</script>).)*?\bfrom\s+[\"']https?://.*?</script>", re.I | re.S),
           re.compile(r"<script[^>]*>(?:(?!</script>).)*?MathJax.*?</script>", re.S)]


def find_notebooks(names: Iterable[str] = ()) -> list[Path]:
    """The notebooks whose file name starts with one of `names` (all of them for none)."""
    names = list(names)
    found = sorted(p for p in NOTEBOOKS_DIR.glob("*.ipynb")
                   if not names or any(p.name.startswith(n) for n in names))
    if not found:
        raise FileNotFoundError(f"no notebook in {NOTEBOOKS_DIR} starts with {names}")
    return found


def offline_html(body: str) -> str:
    """The page without remote scripts and styles, with the Vega bundle in its head."""
    import vl_convert as vlc

    from altair.utils._importers import vl_version_for_vl_convert

    for pattern in _REMOTE:
        body = pattern.sub("", body)
    bundle = vlc.javascript_bundle(vl_version=vl_version_for_vl_convert())
    bundle = bundle.replace("</script", "<\\/script")       # it goes inside a <script> element
    return body.replace("</head>", f'<script id="vega-bundle" type="text/javascript">{bundle}</script>\n</head>', 1)


def run(notebook: Path, executed: Path, warehouse: Path, years: list[int], counties: list[str]) -> Path:
    """Execute a notebook with papermill, its parameters cell overridden, charts for export."""
    import papermill

    previous = os.environ.get(EXPORT_ENV)
    os.environ[EXPORT_ENV] = "1"                           # the kernel inherits it
    try:
        papermill.execute_notebook(str(notebook), str(executed), kernel_name="python3",
                                   parameters={"warehouse": str(warehouse), "years": list(years),
                                               "counties": list(counties)},
                                   cwd=str(notebook.parent), progress_bar=False, log_output=False)
    finally:
        if previous is None:
            os.environ.pop(EXPORT_ENV, None)
        else:
            os.environ[EXPORT_ENV] = previous
    return executed


def to_html(executed: Path, page: Path) -> Path:
    import nbformat
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.read(executed, as_version=4))
    page.write_text(offline_html(body), encoding="utf-8")
    return page


def export_notebooks(out: Path, warehouse: Path, years: list[int], counties: list[str],
                     names: Iterable[str] = ()) -> list[Path]:
    """Run and export the chosen notebooks into out/<name>.html; returns the pages."""
    if not warehouse.exists():
        raise FileNotFoundError(f"{warehouse}: no published warehouse; run `jixiao build` first")
    out.mkdir(parents=True, exist_ok=True)
    pages = []
    with tempfile.TemporaryDirectory() as tmp:
        for notebook in find_notebooks(names):
            executed = run(notebook, Path(tmp) / notebook.name, warehouse.resolve(), years, counties)
            pages.append(to_html(executed, out / f"{notebook.stem}.html"))
    return pages

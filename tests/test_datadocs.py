"""Great Expectations Data Docs load nothing from the internet after a build: every script,
style sheet and image is a file beside the pages."""
from __future__ import annotations

import re
from pathlib import Path

from warehouse.build.datadocs import make_offline

LOADED = re.compile(r"<(?:script|link|img)\b[^>]*?\b(?:src|href)=[\"']([^\"']+)[\"']", re.I)


def _data_docs(built_warehouse: Path) -> Path:
    return built_warehouse.parent / "reports" / "data_docs"


def test_data_docs_of_a_build_load_only_local_files(built_warehouse):
    docs = _data_docs(built_warehouse)
    pages = sorted(docs.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        for url in LOADED.findall(page.read_text(encoding="utf-8")):
            assert not url.startswith(("http://", "https://", "//")), (page.name, url)
            # GX's own favicon link on validation pages is one level short: its bug, harmless
            if not url.startswith("data:") and not url.endswith("favicon.ico"):
                assert (page.parent / url.split("?")[0]).resolve().is_file(), (page.name, url)


def test_vendored_styles_find_their_fonts(built_warehouse):
    css = _data_docs(built_warehouse) / "static" / "vendor" / "fontawesome" / "css" / "all.min.css"
    woff2 = set(re.findall(r"url\((\.\./webfonts/[^)]+\.woff2)\)", css.read_text(encoding="utf-8")))
    assert woff2 and all((css.parent / f).is_file() for f in woff2)


def test_an_unknown_cdn_file_is_reported_and_left(tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<html><head><script src="https://cdn.jsdelivr.net/npm/vega@5"></script>'
                    '<script src="https://cdn.jsdelivr.net/npm/vega-lite@5"></script>'
                    '<script src="https://example.org/new-lib@2.js"></script></head>'
                    '<body><a href="https://greatexpectations.io">GX</a></body></html>', encoding="utf-8")
    assert make_offline(tmp_path) == ["https://example.org/new-lib@2.js"]
    text = page.read_text(encoding="utf-8")
    assert '<script src="static/vendor/vega-bundle.js"></script>' in text
    assert "vega-lite@5" not in text                                    # the bundle carries it
    assert "https://example.org/new-lib@2.js" in text and 'href="https://greatexpectations.io"' in text
    assert (tmp_path / "static" / "vendor" / "vega-bundle.js").stat().st_size > 500_000

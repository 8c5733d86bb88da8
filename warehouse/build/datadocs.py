"""Great Expectations Data Docs that render without internet. GX writes pages that load
Bootstrap, jQuery, bootstrap-table, Font Awesome and Vega from CDNs and its logo from S3; it
ships only its own CSS, fonts and images. make_offline copies vendored copies of those
libraries (datadocs_assets/, see its README) and the Vega bundle of vl-convert beside the
pages and rewrites every page to load them by relative path."""
from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

ASSETS_DIR = Path(__file__).with_name("datadocs_assets")
VENDOR = Path("static") / "vendor"
VEGA_BUNDLE = "vega-bundle.js"
# a CDN URL (by what it names) → the vendored file; None: drop the tag (the Vega bundle,
# loaded once for vega, carries vega-lite and vega-embed too)
ASSETS = [
    (r"bootstrap-table@[\d.]+/dist/bootstrap-table\.min\.css", "bootstrap-table.min.css"),
    (r"bootstrap-table@[\d.]+/dist/bootstrap-table\.min\.js", "bootstrap-table.min.js"),
    (r"bootstrap-table@[\d.]+/dist/extensions/filter-control/bootstrap-table-filter-control(\.min)?\.css",
     "bootstrap-table-filter-control.min.css"),
    (r"bootstrap-table@[\d.]+/dist/extensions/filter-control/bootstrap-table-filter-control(\.min)?\.js",
     "bootstrap-table-filter-control.min.js"),
    (r"bootstrap/4\.[\d.]+/css/bootstrap\.min\.css", "bootstrap.min.css"),
    (r"bootstrap/4\.[\d.]+/js/bootstrap\.min\.js", "bootstrap.min.js"),
    (r"bootstrap-datepicker/[\d.]+/css/bootstrap-datepicker(\.min)?\.css", "bootstrap-datepicker.min.css"),
    (r"bootstrap-datepicker/[\d.]+/js/bootstrap-datepicker(\.min)?\.js", "bootstrap-datepicker.min.js"),
    (r"bootstrap-dark@[\d.]+/dist/css/bootstrap-prefers-dark(\.min)?\.css", "bootstrap-prefers-dark.min.css"),
    (r"font-awesome/[\d.]+/css/all(\.min)?\.css", "fontawesome/css/all.min.css"),
    (r"popper\.js/[\d.]+/umd/popper(\.min)?\.js", "popper.min.js"),
    (r"jquery-3\.[\d.]+(\.min)?\.js", "jquery.min.js"),
    (r"npm/vega@\d+", VEGA_BUNDLE),
    (r"npm/vega-lite@\d+", None),
    (r"npm/vega-embed@\d+", None),
    (r"great-expectations-web-assets\.[^\"']*/logo-long\.png", "../images/logo-long.png"),
]
# resources a page loads (not links a reader may follow)
_LOADED = re.compile(r"<(script|link|img)\b[^>]*?\b(src|href)=([\"'])(https?://[^\"']+)\3[^>]*>(\s*</script>)?", re.I)

log = logging.getLogger(__name__)


def _local(url: str) -> tuple[bool, str | None]:
    for pattern, local in ASSETS:
        if re.search(pattern, url):
            return True, local
    return False, None


def _vendor(docs_dir: Path) -> Path:
    target = docs_dir / VENDOR
    shutil.copytree(ASSETS_DIR, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))
    bundle = target / VEGA_BUNDLE
    if not bundle.exists():
        import vl_convert as vlc

        # Data Docs draw Vega-Lite 5 specs
        version = max((v for v in vlc.get_vegalite_versions() if v.startswith("5.")),
                      key=lambda v: tuple(map(int, v.split("."))))
        bundle.write_text(vlc.javascript_bundle(vl_version=version), encoding="utf-8")
    return target


def make_offline(docs_dir: Path) -> list[str]:
    """Rewrite every Data Docs page under docs_dir to load vendored copies instead of CDN
    files; returns the remote URLs it could not map (logged, left as they were)."""
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        return []
    vendor = _vendor(docs_dir)
    unmapped: set[str] = set()
    for page in sorted(docs_dir.rglob("*.html")):
        prefix = os.path.relpath(vendor, page.parent).replace(os.sep, "/")

        def swap(match: re.Match) -> str:
            tag, url = match.group(0), match.group(4)
            known, local = _local(url)
            if not known:
                unmapped.add(url)
                return tag
            if local is None:
                return ""
            return tag.replace(url, f"{prefix}/{local}")

        text = page.read_text(encoding="utf-8")
        offline = _LOADED.sub(swap, text)
        if offline != text:
            page.write_text(offline, encoding="utf-8")
    for url in sorted(unmapped):
        log.warning("Data Docs still load %s (no vendored copy)", url)
    return sorted(unmapped)

"""Seconds per document (and per page) to read the five samples in each format counties
publish: the samples rendered as in tests/test_formats.py (.docx with merged cells, .xlsx,
.html; .doc, .xls, .ods, .rtf, .odt and .pdf saved by LibreOffice), each read with parse_bytes (reader
and form parser). LibreOffice conversions are timed cold (empty cache: one soffice run per
document) and warm (from the content-hash cache, as on every rebuild).

    .venv/bin/python benchmarks/bench_formats.py [repeats]
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.pipeline import parse_bytes  # noqa: E402
from ingest.readers import libreoffice  # noqa: E402
from tests.conftest import SAMPLE  # noqa: E402
from tests.office_renderings import blocks, soffice_convert, to_docx, to_html, to_xlsx  # noqa: E402


def main(repeats: int) -> None:
    if libreoffice.soffice() is None:
        sys.exit("LibreOffice is not installed: run `make setup`")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files: dict[str, list[Path]] = {"txt": list(SAMPLE.values())}
        for ext, render in (("docx", to_docx), ("xlsx", to_xlsx), ("html", to_html)):
            files[ext] = []
            for key, sample in SAMPLE.items():
                path = root / f"{key}.{ext}"
                path.write_bytes(render(blocks(sample.read_text(encoding="utf-8"))))
                files[ext].append(path)
        files["html (gb2312)"] = []
        for key, sample in SAMPLE.items():
            path = root / f"{key}.gb.htm"
            path.write_bytes(to_html(blocks(sample.read_text(encoding="utf-8")), charset="gb2312"))
            files["html (gb2312)"].append(path)
        for target, source in (("doc", "docx"), ("xls", "xlsx"), ("ods", "xlsx"), ("rtf", "docx"),
                               ("odt", "docx"), ("pdf", "docx")):
            files[target] = soffice_convert(files[source], target, root / target)
        pages = _pages(files["pdf"])

        print(f"{len(SAMPLE)} documents, {pages} pages (as LibreOffice prints them); "
              f"LibreOffice {libreoffice.version()}; {os.cpu_count()} cores")
        print(f"(the text samples hold {sum(len(parse_bytes(p.read_bytes(), p.name).forms) for p in files['txt'])} forms)")
        print(f"{'format (as read)':<44}{'s/document':>12}{'s/page':>10}{'forms':>8}")
        for fmt, paths in files.items():
            lo = fmt in ("doc", "rtf", "odt")
            runs = [("cold, converted", True), ("warm, cached", False)] if lo else [("", False)]
            for label, cold in runs:
                times, forms = [], 0
                for _ in range(1 if cold else repeats):
                    os.environ["JIXIAO_CACHE"] = str(root / "cache" / (f"{fmt}-cold-{time.time()}" if cold else "warm"))
                    if not cold:   # fill the cache first
                        for p in paths:
                            parse_bytes(p.read_bytes(), p.name, p.suffix)
                    for p in paths:
                        data = p.read_bytes()
                        t0 = time.perf_counter()
                        doc = parse_bytes(data, p.name, p.suffix)
                        times.append(time.perf_counter() - t0)
                        forms += len(doc.forms)
                        assert doc.forms or fmt == "pdf", (p, doc.issues)
                per_doc = statistics.mean(times)
                total = sum(times) / (1 if cold else repeats)
                name = doc.format + (f", {label}" if label else "")
                print(f"{name:<44}{per_doc:>12.3f}{total / pages:>10.4f}{forms // (1 if cold else repeats):>8}")


def _pages(pdfs: list[Path]) -> int:
    import pdfplumber

    n = 0
    for p in pdfs:
        with pdfplumber.open(p) as pdf:
            n += len(pdf.pages)
    return n


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)

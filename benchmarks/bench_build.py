"""Time of each stage of a full `jixiao build` (ingest, dbt, Great Expectations) and of
`jixiao report`, on the samples repeated N times (each copy a document of its own, so it loads),
then of a second build of the same folder (nothing to read again).

    .venv/bin/python benchmarks/bench_build.py [copies]
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_ingest import distinct_copies  # noqa: E402
from warehouse.build import build  # noqa: E402
from warehouse.analysis.report import export  # noqa: E402


def main(copies: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "docs"
        src.mkdir()
        distinct_copies(src, copies)
        target = Path(tmp) / "bench.duckdb"
        for label in ("first build", "rebuild"):
            t = time.perf_counter()
            summary = build([src], target, reports_dir=Path(tmp) / "reports")
            total = time.perf_counter() - t
            print(f"{label}: " + ", ".join(f"{k} {v:.2f} s" for k, v in summary.seconds.items()))
            forms = sum(d.forms for d in summary.documents)
            print(f"{'':>12}{total:6.2f} s for {len(summary.documents)} documents ({summary.parsed} read), "
                  f"{forms} forms, exit {summary.exit_code}")
        t = time.perf_counter()
        export(Path(tmp) / "report", target)
        print(f"{'report':>12}: {time.perf_counter() - t:6.2f} s (7 charts as PNG+SVG, HTML, DOCX)")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)

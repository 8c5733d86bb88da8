"""Time of each stage of a full `jixiao build` (ingest, dbt, Great Expectations) and of
`jixiao report`, on the samples repeated N times (each copy one byte different, so it loads).

    .venv/bin/python benchmarks/bench_build.py [copies]
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warehouse.build import build  # noqa: E402
from warehouse.paths import SAMPLES_DIR  # noqa: E402
from warehouse.analysis.report import export  # noqa: E402


def main(copies: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "docs"
        src.mkdir()
        for n in range(copies):
            for s in sorted(SAMPLES_DIR.glob("*.txt")):
                (src / f"{n:04d}_{s.name}").write_bytes(s.read_bytes() + b"\n" * n)
        marks = [("start", time.perf_counter())]

        def stage(name: str) -> None:
            if name in ("dbt build", "Great Expectations"):
                marks.append((name, time.perf_counter()))

        target = Path(tmp) / "bench.duckdb"
        summary = build([src], target, progress=stage, reports_dir=Path(tmp) / "reports")
        marks.append(("published", time.perf_counter()))
        names = ["ingest", "dbt build", "validation"]
        for name, (a, b) in zip(names, zip(marks, marks[1:])):
            print(f"{name:>12}: {b[1] - a[1]:6.2f} s")
        forms = sum(d.forms for d in summary.documents)
        print(f"{'build':>12}: {marks[-1][1] - marks[0][1]:6.2f} s for {len(summary.documents)} documents, {forms} forms")
        t = time.perf_counter()
        export(Path(tmp) / "report", target)
        print(f"{'report':>12}: {time.perf_counter() - t:6.2f} s (7 charts as PNG+SVG, HTML, DOCX)")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)

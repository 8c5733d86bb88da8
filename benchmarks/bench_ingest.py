"""Throughput and memory of parsing and loading: the five samples repeated N times under
distinct names (each copy's project names marked with its number, so that it is a different
document, not a duplicate, and really loads).

    .venv/bin/python benchmarks/bench_ingest.py [copies]
"""
from __future__ import annotations

import re
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402

from ingest.pipeline import parse_file  # noqa: E402
from ingest.sources import discover  # noqa: E402
from warehouse.build.intake import take_in  # noqa: E402
from warehouse.build.load import ensure_schema  # noqa: E402
from warehouse.paths import SAMPLES_DIR  # noqa: E402


def distinct_copies(src: Path, copies: int) -> None:
    """`copies` versions of each sample, each a document of its own (project names numbered)."""
    for n in range(copies):
        for s in sorted(SAMPLES_DIR.glob("*.txt")):
            text = re.sub(r"(项目名称[\t\n]+)([^\t\n]+)", lambda m: f"{m.group(1)}{m.group(2)}（{n:04d}）",
                          s.read_text(encoding="utf-8"))
            (src / f"{n:04d}_{s.name}").write_text(text, encoding="utf-8")


def main(copies: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "docs"
        src.mkdir()
        distinct_copies(src, copies)
        files = sorted(src.iterdir())
        size = sum(f.stat().st_size for f in files)

        t0 = time.perf_counter()
        forms = sum(len(parse_file(f).forms) for f in files)
        parse_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        with duckdb.connect(str(Path(tmp) / "bench.duckdb")) as con:
            ensure_schema(con)
            intake = take_in(con, discover([src]), "bench")
        load_s = time.perf_counter() - t0
        loaded = sum(f.status == "loaded" for f in intake.files)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(files)} ({size / 1e6:.1f} MB), forms: {forms}")
    print(f"parse only: {parse_s:.2f} s ({len(files) / parse_s:.0f} documents/s)")
    print(f"parse + load into DuckDB: {load_s:.2f} s ({len(intake.files) / load_s:.0f} documents/s, "
          f"{loaded} loaded)")
    print(f"peak RSS: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)

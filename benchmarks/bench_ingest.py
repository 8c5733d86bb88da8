"""Throughput and memory of parsing and loading: the five samples repeated N times under
distinct names (each copy changed by one byte so its sha256 differs and it really loads).

    .venv/bin/python benchmarks/bench_ingest.py [copies]
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.pipeline import parse_file  # noqa: E402
from warehouse.build import ingest  # noqa: E402
from warehouse.paths import SAMPLES_DIR  # noqa: E402


def main(copies: int) -> None:
    samples = sorted(SAMPLES_DIR.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "docs"
        src.mkdir()
        for n in range(copies):
            for s in samples:
                (src / f"{n:04d}_{s.name}").write_bytes(s.read_bytes() + b"\n" * (n + 1))
        files = sorted(src.iterdir())
        size = sum(f.stat().st_size for f in files)

        t0 = time.perf_counter()
        forms = sum(len(parse_file(f).forms) for f in files)
        parse_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        summary = ingest(Path(tmp) / "bench.duckdb", [src])
        load_s = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(files)} ({size / 1e6:.1f} MB), forms: {forms}")
    print(f"parse only: {parse_s:.2f} s ({len(files) / parse_s:.0f} documents/s)")
    print(f"parse + load into DuckDB: {load_s:.2f} s ({len(summary) / load_s:.0f} documents/s)")
    print(f"peak RSS: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)

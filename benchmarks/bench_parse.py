"""Parsing speed on one core: generated documents (benchmarks/generate.py) read in this process
by the parse workers' own task (bytes in, raw columns out), timed in CPU seconds, so that the
figure is the reader's, not the pool's or the machine's load.

    .venv/bin/python benchmarks/bench_parse.py [--forms 5000] [--seed 0] [--profile]

Prints `RESULT forms=… documents=… cpu_s=… forms_per_cpu_s=…`; --profile adds the 30 functions
with the most time of their own (cProfile; the rates it prints are slower by its overhead).
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import generate  # noqa: E402
from warehouse.build.intake import parse_task  # noqa: E402
from warehouse.build.load import ingest_version  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--forms", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)

    docs = [(d.data, d.path, "." + d.path.rsplit(".", 1)[-1]) for d in generate.documents(args.forms, args.seed)]
    version = ingest_version()
    gc.freeze()                         # as in a parse worker (warehouse.build.intake._worker_init)
    gc.set_threshold(50_000, 20, 100)
    parse_task(*docs[0], version)       # caches warm, as in a worker that has read one document
    profiler = None
    if args.profile:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    start, forms = time.process_time(), 0
    for data, name, suffix in docs:
        forms += parse_task(data, name, suffix, version).document["n_forms"]
    cpu = time.process_time() - start
    print(f"RESULT forms={forms} documents={len(docs)} cpu_s={cpu:.2f} forms_per_cpu_s={forms / cpu:.0f}")
    if profiler is not None:
        import pstats
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())

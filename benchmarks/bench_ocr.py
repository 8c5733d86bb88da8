"""Scanned PDFs: seconds per page with 1 and 2 OCR workers, and how many amounts and
indicator values come out exactly as in the text samples. The samples are printed to PDF by
LibreOffice and scanned by tests/ocr_scans.py (200 dpi, turned 0.5–1.5°, a red seal over
the table, noise, JPEG); each worker count runs in a fresh process (models loaded in it).

    .venv/bin/python benchmarks/bench_ocr.py [--forms N] [--seal multiply|alpha] [--workers 1,2]

Prints one line, with the machine's load average before and after (the machine is shared:
read the seconds against it).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLES = ("000", "003", "002")   # the layouts a scan reproduces (see tests/test_ocr.py)


def make_scans(folder: Path, forms: int, seal: str) -> None:
    from tests.ocr_scans import Noise, docx_to_pdf, sample_subset, scan_pdf, to_docx

    texts = {key: sample_subset(key, forms) for key in SAMPLES}
    printed = docx_to_pdf({key: to_docx(text) for key, text in texts.items()})
    for seed, key in enumerate(SAMPLES, 1):
        (folder / f"{key}.txt").write_text(texts[key], encoding="utf-8")
        (folder / f"{key}.pdf").write_bytes(scan_pdf(printed[key], Noise(seed=seed, seal_blend=seal)))


def run(folder: Path) -> dict:
    """Parse every scan in this process (the caller sets JIXIAO_OCR_WORKERS)."""
    import pypdfium2 as pdfium

    from ingest.pipeline import parse_bytes
    from tests.ocr_scans import Score, score

    import resource

    import ingest.ocr

    total, pages, seconds = Score(), 0, 0.0
    cpu0 = _cpu(resource)
    for key in SAMPLES:
        data = (folder / f"{key}.pdf").read_bytes()
        pages += len(pdfium.PdfDocument(data))
        expected = parse_bytes((folder / f"{key}.txt").read_bytes(), f"{key}.txt", ".txt")
        t0 = time.perf_counter()
        got = parse_bytes(data, f"{key}.pdf", ".pdf")
        seconds += time.perf_counter() - t0
        total = total.add(score(expected, got))
    ingest.ocr._close_pool()   # workers' CPU time is counted once they have exited
    cpu = _cpu(resource) - cpu0   # includes parsing the text samples (milliseconds)
    return {"pages": pages, "seconds": seconds, "cpu": cpu, "score": str(total), "wrong": total.wrong}


def _cpu(resource) -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--forms", type=int, default=99, help="forms per sample (default: all)")
    ap.add_argument("--seal", default="multiply", choices=["multiply", "alpha"])
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--run", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run:
        print(json.dumps(run(Path(args.run))))
        return
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_scans(folder, args.forms, args.seal)
        results = {}
        for workers in [int(w) for w in args.workers.split(",")]:
            env = dict(os.environ, JIXIAO_OCR_WORKERS=str(workers))
            out = subprocess.run([sys.executable, __file__, "--run", str(folder)], env=env, cwd=ROOT,
                                 capture_output=True, text=True, check=True)
            results[workers] = json.loads(out.stdout.strip().splitlines()[-1])
    load_after = os.getloadavg()[0]
    first = next(iter(results.values()))
    speeds = ", ".join(f"{w} worker{'s' if w > 1 else ''} {r['seconds'] / r['pages']:.2f} s/page "
                       f"({r['cpu'] / r['pages']:.2f} CPU s/page)" for w, r in results.items())
    print(f"ocr: {first['pages']} scanned pages ({args.seal} seal), {speeds}; {first['score']}; "
          f"load average {load_before:.1f} before, {load_after:.1f} after, {os.cpu_count()} cores")
    if first["wrong"]:
        print("  wrong:", "; ".join(first["wrong"]), file=sys.stderr)


if __name__ == "__main__":
    main()

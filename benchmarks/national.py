"""A national-scale test set: N distinct documents made from the bundled samples, each moved
to another county of the sample's province (county, city and admin-code prefix replaced) with
its amounts scaled, so every copy is a different document with different forms (not a
duplicate), spread over a couple of hundred counties. Then: build it, run `jixiao report`
and the notebooks on it, and time each step.

    .venv/bin/python benchmarks/national.py [documents=250] [--keep DIR]
"""
from __future__ import annotations

import csv
import re
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warehouse.paths import SAMPLES_DIR  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"
# per sample: its province's admin-code prefix and the (old → new) names to replace, longest
# first; {county} {city} {code} are the target county's
MOVES = {
    "lulong_ziranziyuan_guihua_2024.txt": ("13", [("卢龙县", "{county}"), ("秦皇岛市", "{city}"), ("130324", "{code}")]),
    "chengde_ziranziyuan_guihua_2024.txt": ("13", [("承德县", "{county}"), ("130821", "{code}")]),
    "dalian_gaoxin_ziranziyuan_2024.txt": ("21", [("大连高新技术产业园区", "{county}"), ("高新区", "{county}")]),
    "dalian_gaoxin_yingshang_2023.txt": ("21", [("大连高新技术产业园区", "{county}"), ("高新区", "{county}")]),
    "dalian_xigang_chengshigengxin_2024.txt": ("21", [("大连市西岗区", "{city}{county}"), ("西岗区", "{county}"),
                                                      ("大连市", "{city}")]),
}
AMOUNT = re.compile(r"(?<![\d.])(\d{1,9})\.(\d{2})(?![\d.%])")   # 50.00, 1099.00: amounts as printed


def _counties(prefix: str) -> list[dict]:
    with (SEEDS / "regions.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["admin_code"].startswith(prefix) and r["region_type"] == "县级行政区"]
    return sorted(rows, key=lambda r: r["admin_code"])


def _scaled(text: str, factor: Decimal) -> str:
    return AMOUNT.sub(lambda m: f"{(Decimal(m.group(0)) * factor).quantize(Decimal('0.01'))}", text)


def make_documents(out: Path, n: int) -> list[Path]:
    """n documents in out/, each a sample moved to another county with its amounts scaled."""
    out.mkdir(parents=True, exist_ok=True)
    samples = sorted(MOVES)
    pools = {prefix: _counties(prefix) for prefix, _ in MOVES.values()}
    made = []
    for i in range(n):
        name = samples[i % len(samples)]
        prefix, replacements = MOVES[name]
        pool = pools[prefix]
        target = pool[(i // len(samples) * 7 + i) % len(pool)]     # spread over the province
        text = (SAMPLES_DIR / name).read_text(encoding="utf-8")
        for old, new in replacements:
            text = text.replace(old, new.format(county=target["county"], city=target["city"],
                                                code=target["admin_code"]))
        text = _scaled(text, Decimal(1) + Decimal(i % 17) / 20)
        path = out / f"{i:04d}_{target['admin_code']}_{name}"
        path.write_text(text, encoding="utf-8")
        made.append(path)
    return made


def main(n: int, keep: Path | None) -> None:
    from warehouse.analysis.notebook_html import export_notebooks
    from warehouse.analysis.report import export
    from warehouse.build import build

    with tempfile.TemporaryDirectory() as tmp:
        root = keep or Path(tmp)
        docs = root / "docs"
        make_documents(docs, n)
        target = root / "national.duckdb"
        t = time.perf_counter()
        summary = build([docs], target, reports_dir=root / "reports")
        forms = sum(d.forms for d in summary.documents)
        print(f"build:     {time.perf_counter() - t:7.1f} s  {len(summary.documents)} documents, {forms} forms")
        t = time.perf_counter()
        report = export(root / "report", target)
        print(f"report:    {time.perf_counter() - t:7.1f} s  {len(report.counties)} counties, "
              f"years {report.years}, findings {report.finding_counts}")
        t = time.perf_counter()
        pages = export_notebooks(root / "notebooks", target, [], [])
        print(f"notebooks: {time.perf_counter() - t:7.1f} s  {len(pages)} pages, "
              f"{sum(p.stat().st_size for p in pages) / 1e6:.1f} MB")


if __name__ == "__main__":
    args = sys.argv[1:]
    keep = Path(args[args.index("--keep") + 1]) if "--keep" in args else None
    numbers = [a for a in args if a.isdigit()]
    main(int(numbers[0]) if numbers else 250, keep)

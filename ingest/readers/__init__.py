"""Readers: one per file format, each turning a document into lines of text in which a table
row is its cells joined by tabs, the shape every layout parser reads."""
from __future__ import annotations

from pathlib import Path

from ingest.records import Line


class UnreadableDocument(Exception):
    """The file cannot be read as a document at all (empty, binary, corrupt)."""


def read_lines(path: Path, data: bytes) -> list[Line]:
    suffix = path.suffix.lower()
    if not data:
        raise UnreadableDocument("the file is empty")
    if suffix == ".docx":
        from ingest.readers.docx import read
    elif suffix in (".xlsx", ".xlsm"):
        from ingest.readers.xlsx import read
    elif suffix == ".pdf":
        from ingest.readers.pdf import read
    else:
        from ingest.readers.text import read
    try:
        lines = read(data)
    except UnreadableDocument:
        raise
    except Exception as exc:  # a corrupt container: say which and why, never crash the batch
        raise UnreadableDocument(f"cannot be read as {suffix or 'text'}: {exc}") from exc
    if not any(line.text.strip() for line in lines):
        raise UnreadableDocument("the document has no text")
    return lines

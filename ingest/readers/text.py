"""Plain text extractions (.txt): UTF-8, or GB18030 as older Chinese files are written."""
from __future__ import annotations

from ingest.records import Line


def read(data: bytes) -> list[Line]:
    from ingest.readers import UnreadableDocument

    if b"\x00" in data[:4096]:
        raise UnreadableDocument("binary content (NUL bytes), not a text document")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableDocument("not valid UTF-8 or GB18030 text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [Line(i, t, f"line {i}") for i, t in enumerate(text.split("\n"), 1)]

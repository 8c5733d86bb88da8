"""Plain text extractions (.txt): the encoding found from the bytes, one Line per line.

UTF-8 (with or without a BOM), UTF-16 with a BOM (LE or BE; without one when the NUL bytes
say so), and GB18030 (which covers GBK and GB2312) as older Chinese files are written. A file
that is neither cleanly is decoded in whichever of UTF-8 and GB18030 fails on fewer lines, the
bad bytes replaced by U+FFFD and one warning per damaged line; a file damaged on more than a
few lines is not text and is rejected.
"""
from __future__ import annotations

import codecs
import csv
import io

from ingest.records import Line, ParseIssue

# A file is taken as text with bad bytes when at most this share of its lines is damaged (at
# least MIN_BAD_LINES, at most MAX_BAD_LINES lines); past that it is binary or in an encoding we
# do not know.
MAX_BAD_SHARE = 0.05
MIN_BAD_LINES = 3
MAX_BAD_LINES = 50

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def read(data: bytes) -> "Reading":
    from ingest.readers import Reading

    text, encoding, issues = decode_text(data)
    lines = [Line(i, t, f"line {i}") for i, t in enumerate(split_lines(text), 1)]
    return Reading(lines, issues, f"txt ({encoding})")


def read_csv(data: bytes) -> "Reading":
    """Comma-separated rows (.csv): each record a row of cells, as a spreadsheet's would be."""
    from ingest.readers import Reading

    text, encoding, issues = decode_text(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    lines = []
    for record in csv.reader(io.StringIO(text), dialect):
        cells = [" ".join(c.replace("\t", " ").split("\n")) for c in record]
        no = len(lines) + 1
        lines.append(Line(no, "\t".join(cells), f"row {no}"))
    return Reading(lines, issues, f"csv ({encoding})")


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def decode_text(data: bytes) -> tuple[str, str, list[ParseIssue]]:
    """The text of a file, the encoding it was read in, and a warning per damaged line.
    Raises UnreadableDocument for binary content or text in no encoding we know."""
    from ingest.readers import UnreadableDocument

    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_whole(data[len(bom):], encoding, with_bom=True)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decode_whole(data, utf16, with_bom=False)
    if b"\x00" in data[:4096]:
        raise UnreadableDocument("binary content (NUL bytes), not a text document")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    # Not clean UTF-8: GBK/GB18030, or UTF-8 with a few bad bytes. Take the decoding that is
    # cleaner: fewer damaged lines, and fewer characters that Chinese text rarely holds (UTF-8
    # read as GB18030 gives rare ideographs; GB18030 read as UTF-8 gives damaged lines).
    best = min((_decode_by_line(data, enc) for enc in ("gb18030", "utf-8")), key=_badness)
    text, encoding, damaged = best
    n_lines = max(1, text.count("\n") + 1)
    if len(damaged) > min(MAX_BAD_LINES, max(MIN_BAD_LINES, MAX_BAD_SHARE * n_lines)):
        raise UnreadableDocument(
            f"not text in a known encoding: {len(damaged)} of {n_lines} lines have bytes that are "
            f"valid in neither UTF-8 nor GB18030")
    issues = [ParseIssue(f"line {no}", "warning", "BAD_BYTES",
                         f"line {no}: {n} byte(s) not valid {encoding.upper()} replaced by �")
              for no, n in damaged]
    name = f"{encoding}, {len(damaged)} damaged line{'s' if len(damaged) > 1 else ''}" if damaged else encoding
    return text, name, issues


def _badness(decoded: tuple[str, str, list[tuple[int, int]]]) -> int:
    text, _, damaged = decoded
    return 5 * len(damaged) + sum(1 for c in set(text) if _rare(c)) + sum(n for _, n in damaged)


def _rare(char: str) -> bool:
    """A character outside ASCII and GB2312 (the 6,763 common hanzi and the usual symbols)."""
    if char < "\x80" or char == "\ufffd":
        return False
    try:
        char.encode("gb2312")
        return False
    except UnicodeEncodeError:
        return True


def _decode_by_line(data: bytes, encoding: str) -> tuple[str, str, list[tuple[int, int]]]:
    """Decode line by line (a LF byte is a line end in both UTF-8 and GB18030), replacing
    bad bytes; return the text and (line number, bad bytes) for each damaged line. Numbers
    count lines as split_lines does (CR LF, CR and LF all end a line)."""
    parts, damaged, no = [], [], 0
    for chunk in data.split(b"\n"):
        piece, bad = _decode_replacing(chunk, encoding)
        # a lone CR inside the chunk also ends a line (old Mac files)
        sub = piece[:-1].split("\r") if piece.endswith("\r") else piece.split("\r")
        if bad:
            damaged_at = next((i for i, s in enumerate(sub) if "\ufffd" in s), 0)
            damaged.append((no + 1 + damaged_at, bad))
        no += len(sub)
        parts.append(piece)
    return "\n".join(parts), encoding, damaged


def _decode_replacing(chunk: bytes, encoding: str) -> tuple[str, int]:
    """The chunk decoded with each undecodable run replaced by U+FFFD, and how many bytes were."""
    out, bad, pos = [], 0, 0
    while True:
        try:
            out.append(chunk[pos:].decode(encoding))
            return "".join(out), bad
        except UnicodeDecodeError as err:
            out.append(chunk[pos:pos + err.start].decode(encoding, errors="replace"))
            out.append("\ufffd")
            bad += err.end - err.start
            pos += err.end


def _decode_whole(data: bytes, encoding: str, with_bom: bool) -> tuple[str, str, list[ParseIssue]]:
    name = {"utf-8": "utf-8 BOM"}.get(encoding, encoding if with_bom else f"{encoding}, no BOM")
    try:
        return data.decode(encoding), name, []
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
    issues = [ParseIssue(f"line {no}", "warning", "BAD_BYTES",
                         f"line {no}: bytes not valid {encoding.upper()} replaced by �")
              for no, line in enumerate(split_lines(text), 1) if "\ufffd" in line]
    return text, name, issues


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NUL bytes in one of the two byte positions (the high
    byte of ASCII and line ends), hardly ever in the other (only U+xx00 characters): say which
    byte order, or None."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.05 * half and even * 10 < odd:
        return "utf-16-le"
    if even > 0.05 * half and odd * 10 < even:
        return "utf-16-be"
    return None

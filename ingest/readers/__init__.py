"""Readers: one per file format, each turning a document into lines of text in which a table
row is its cells joined by tabs, the shape every layout parser reads.

The contract every reader keeps: a table row is one Line, its cells joined by "\\t" (tabs and
newlines inside a cell become spaces); a paragraph is one Line; `where` names the place
("table 2 row 4", "paragraph 12", "Sheet1 row 12", "line 85"). A merged cell appears once, at
its first grid position, and the other grid positions it covers are empty strings (in the
rows below, for a vertical merge), so the columns of every row line up with the header row.

`read_document` decides how to read a file from its content first (a ".doc" that is really a
web page or a .docx, a ".xls" that is an HTML table, as county sites often publish them) and
from its suffix otherwise; see SUFFIXES for what is read, and how.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ingest.records import Line, ParseIssue


class UnreadableDocument(Exception):
    """The file cannot be read as a document at all (empty, binary, corrupt, encrypted, or a
    format that needs a program that is missing); the message says why."""

    def __init__(self, reason: str, format: str | None = None):
        super().__init__(reason)
        self.format = format


@dataclass
class Reading:
    lines: list[Line]
    issues: list[ParseIssue] = field(default_factory=list)   # warnings: a bad byte on line 12 …
    format: str = ""   # what was read: "txt (utf-8)", "docx", "doc→docx (LibreOffice)", "xls (calamine)"


# How each accepted suffix is read. LibreOffice converts the "writer" kinds to .docx, the
# "calc" kinds to .xlsx and the "impress" kinds to .pdf; "calamine" spreadsheets are read
# directly, Excel 97-2003 ones with xlrd (which knows their number formats), the others with
# python-calamine (LibreOffice only when neither can).
KINDS: dict[str, str] = {
    **dict.fromkeys((".txt", ".text", ".tsv"), "text"),
    ".csv": "csv",
    **dict.fromkeys((".docx", ".docm", ".dotx", ".dotm"), "docx"),
    **dict.fromkeys((".xlsx", ".xlsm", ".xltx", ".xltm"), "xlsx"),
    **dict.fromkeys((".xls", ".xlt", ".et", ".ett", ".ods", ".ots", ".xlsb"), "calamine"),
    **dict.fromkeys((".doc", ".dot", ".wps", ".wpt", ".rtf", ".odt", ".ott", ".fodt", ".sxw",
                     ".uot", ".wpd", ".lwp", ".hwp"), "writer"),
    **dict.fromkeys((".fods", ".sxc", ".uos", ".dif", ".slk"), "calc"),
    **dict.fromkeys((".ppt", ".pps", ".pot", ".pptx", ".ppsx", ".potx", ".pptm", ".dps", ".dpt",
                     ".odp", ".otp", ".sxi"), "impress"),
    **dict.fromkeys((".html", ".htm", ".shtml", ".xhtml", ".jhtml", ".jsp", ".asp", ".aspx",
                     ".php"), "html"),
    **dict.fromkeys((".mht", ".mhtml"), "mht"),
    ".pdf": "pdf",
}
SUFFIXES = frozenset(KINDS)

# Files that are certainly not forms we read, with the reason given for them.
_NOT_READ = {
    **dict.fromkeys((".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif", ".webp"),
                    "an image: images are not read (a scanned form is read from a PDF)"),
    **dict.fromkeys((".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"),
                    "an archive: unpack it into the source folder to read the documents inside"),
    ".ofd": "OFD (the Chinese fixed-layout format) is not read: convert it to PDF",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Formats that are always a binary container: content that is plain text is not one of them.
_CONTAINERS = {"docx", "xlsx", "calamine", "impress", "pdf"}
_BINARY_WRITER = {".doc", ".dot", ".wps", ".wpt"}
_HTML_START = re.compile(r"<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta[\s>]|table[\s>]|"
                         r"div[\s>]|p[\s>]|title[\s>])", re.I)
_LABEL = {"writer": "a Word-processor document", "calamine": "a spreadsheet", "calc": "a spreadsheet",
          "impress": "a presentation", "html": "a web page", "mht": "a web archive",
          "docx": "a Word document", "xlsx": "an Excel workbook", "pdf": "a PDF"}


def read_lines(path: Path, data: bytes) -> list[Line]:
    return read_document(path, data).lines


def read_document(path: Path, data: bytes) -> Reading:
    """Read a document's bytes. Raises UnreadableDocument, with a reason a person can act on,
    for anything that gives no text: never another exception."""
    suffix = path.suffix.lower()
    if not data:
        raise UnreadableDocument("the file is empty")
    if path.name.startswith("~$"):
        raise UnreadableDocument("a lock file that Office leaves beside an open document, not a document")
    sniffed = sniff(data)
    by_suffix = KINDS.get(suffix)
    if sniffed is None and by_suffix is None:
        reason = _NOT_READ.get(suffix) or (
            f"unknown file type {suffix!r}: not a document format that is read (text, Word, WPS, "
            f"Excel, web pages, PDF…; README: Formats)" if suffix
            else "a file without a suffix whose content is no document format that is read")
        raise UnreadableDocument(reason, format=suffix.lstrip(".") or None)
    if sniffed is not None:
        kind, own_suffix = sniffed
        if by_suffix == kind:
            own_suffix = suffix
    elif data.startswith((_OLE, b"PK\x03\x04")) and (by_suffix in _CONTAINERS or suffix in _BINARY_WRITER):
        raise UnreadableDocument(f"cannot be read as {suffix}: a damaged Office file "
                                 f"({_container_error(data)})", format=suffix.lstrip("."))
    elif (by_suffix in _CONTAINERS or suffix in _BINARY_WRITER) and _looks_like_text(data):
        kind, own_suffix = "text", ".txt"   # tab-separated text saved under a spreadsheet's name
    elif suffix in _BINARY_WRITER:   # not OLE, not text: LibreOffice would only import it as text
        raise UnreadableDocument(f"cannot be read as {suffix}: a damaged Office file (not an OLE "
                                 f"compound document, nor text)", format=suffix.lstrip("."))
    else:
        kind, own_suffix = by_suffix, suffix
    issues: list[ParseIssue] = []
    if by_suffix is not None and kind != by_suffix and {kind, by_suffix} != {"text", "csv"}:
        issues.append(ParseIssue("file", "info", "CONTENT_NOT_SUFFIX",
                                 f"the {suffix} file is {_LABEL.get(kind, kind)} ({own_suffix}); "
                                 f"read as such"))
    try:
        reading = _read(kind, own_suffix, data)
    except UnreadableDocument as exc:
        if str(exc).strip() == "password-protected":   # a reader's bare word: say which file and what to do
            raise UnreadableDocument(f"password-protected: the {own_suffix} file is encrypted; "
                                     f"publish or save an unprotected copy to read it",
                                     format=exc.format or own_suffix.lstrip(".")) from exc
        raise
    except Exception as exc:  # a corrupt container: say which and why, never crash the batch
        from ingest.readers.libreoffice import ConversionFailed

        if isinstance(exc, ConversionFailed):
            raise UnreadableDocument(str(exc), format=own_suffix.lstrip(".")) from exc
        if _password_protected(exc):
            raise UnreadableDocument(f"password-protected: the {own_suffix} file is encrypted; "
                                     f"publish or save an unprotected copy to read it",
                                     format=own_suffix.lstrip(".")) from exc
        raise UnreadableDocument(f"cannot be read as {own_suffix or 'text'}: {exc}",
                                 format=own_suffix.lstrip(".")) from exc
    if isinstance(reading, list):   # a reader that gives lines only
        reading = Reading(reading, [], kind)
    reading.issues[:0] = issues
    if not any(line.text.strip() for line in reading.lines):
        raise UnreadableDocument("the document has no text", format=reading.format)
    return reading


def _read(kind: str, suffix: str, data: bytes) -> Reading | list[Line]:
    ext = suffix.lstrip(".")
    if kind == "text":
        from ingest.readers.text import read
        return read(data)
    if kind == "csv":
        from ingest.readers.text import read_csv
        return read_csv(data)
    if kind == "docx":
        from ingest.readers.docx import read
        reading = read(data)
        reading.format = ext if ext.startswith("do") else "docx"
        return reading
    if kind == "xlsx":
        from ingest.readers.xlsx import read
        return read(data)
    if kind == "calamine":
        from ingest.readers.xlsx import read_calamine, read_xls
        try:
            if data.startswith(_OLE):   # Excel 97-2003 (.xls, .et): with its number formats
                try:
                    return read_xls(data, ext)
                except Exception as exc:
                    if _password_protected(exc):
                        raise
            return read_calamine(data, ext)
        except Exception as exc:
            from ingest.readers.libreoffice import ConversionFailed, soffice

            if _password_protected(exc) or soffice() is None:
                raise
            try:   # calamine could not: LibreOffice may
                return _converted(data, suffix, "xlsx")
            except ConversionFailed as failed:
                raise UnreadableDocument(f"cannot be read as {suffix}: {exc}; and {failed}",
                                         format=ext) from exc
    if kind in ("writer", "calc", "impress"):
        return _converted(data, suffix, {"writer": "docx", "calc": "xlsx", "impress": "pdf"}[kind])
    if kind == "html":
        from ingest.readers.html import read
        return read(data)
    if kind == "mht":
        from ingest.readers.html import read_mht
        return read_mht(data)
    if kind == "pdf":
        from ingest.readers import pdf
        if hasattr(pdf, "read_with_issues"):   # the text layer, and OCR for scanned pages
            lines, issues = pdf.read_with_issues(data)
            return Reading(lines, list(issues), "pdf")
        return pdf.read(data)
    raise UnreadableDocument(f"no reader for {kind}")


def _converted(data: bytes, suffix: str, target: str) -> Reading:
    from ingest.readers.libreoffice import convert

    converted, _ = convert(data, suffix, target)
    reading = _read({"docx": "docx", "xlsx": "xlsx", "pdf": "pdf"}[target], "." + target, converted)
    if isinstance(reading, list):
        reading = Reading(reading, [], target)
    reading.format = f"{suffix.lstrip('.')}→{target} (LibreOffice)"
    return reading


def sniff(data: bytes) -> tuple[str, str] | None:
    """What the content is, whatever the file is called: (kind, its usual suffix), or None
    when the bytes do not say (plain text, or a container too broken to tell)."""
    head = data[:8]
    if head.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf", ".pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(_OLE):
        return _ole_kind(data)
    if head.startswith(b"{\\rtf"):
        return "writer", ".rtf"
    start = data[:4096]
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = start.decode("utf-16", errors="ignore")
    else:
        text = start.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf")
    text = text.lstrip()
    lower = text[:1024].lower()
    if lower.startswith("mime-version:") or ("content-type: multipart/related" in lower
                                             and "text/html" in text.lower()):
        return "mht", ".mht"
    if text.startswith("<?xml") or text.startswith("<?mso"):
        xml = text[:4096]
        if 'progid="Word.Document"' in xml or "opendocument.text" in xml:
            return "writer", ".fodt" if "opendocument" in xml else ".xml"
        if 'progid="Excel.Sheet"' in xml or "opendocument.spreadsheet" in xml:
            return "calc", ".fods" if "opendocument" in xml else ".xml"
    if text.startswith("<") and _HTML_START.search(text[:4096]):
        return "html", ".html"
    return None


def _container_error(data: bytes) -> str:
    """Why the zip or OLE container of an Office file cannot be opened, in the library's words."""
    try:
        if data.startswith(_OLE):
            import olefile

            olefile.OleFileIO(io.BytesIO(data)).close()
        else:
            zipfile.ZipFile(io.BytesIO(data)).close()
    except Exception as exc:
        return str(exc) or type(exc).__name__
    return "its container cannot be opened"


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head:
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:   # a character cut by the 4 KB boundary
                return True
    return False


def _zip_kind(data: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    if any(n.startswith("word/") for n in names):
        return "docx", ".docx"
    if "xl/workbook.bin" in names:
        return "calamine", ".xlsb"
    if any(n.startswith("xl/") for n in names):
        return "xlsx", ".xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "impress", ".pptx"
    for marker, kind, suffix in (("opendocument.text", "writer", ".odt"),
                                 ("opendocument.spreadsheet", "calamine", ".ods"),
                                 ("opendocument.presentation", "impress", ".odp")):
        if marker in mimetype:
            return kind, suffix
    return None


def _ole_kind(data: bytes) -> tuple[str, str] | None:
    """A legacy Office file (OLE compound file): which one, and whether it is encrypted."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
    except Exception:
        return None
    if "EncryptedPackage" in streams:   # an encrypted .docx/.xlsx/.pptx wrapped in OLE
        raise UnreadableDocument("password-protected: the document is encrypted (an Office file "
                                 "saved with a password); save an unprotected copy to read it",
                                 format="encrypted Office document")
    kind = ("writer", ".doc") if "WordDocument" in streams else \
        ("calamine", ".xls") if streams & {"Workbook", "Book"} else \
        ("impress", ".ppt") if "PowerPoint Document" in streams else None
    if kind is not None and _legacy_encrypted(data):
        raise UnreadableDocument(f"password-protected: the {kind[1]} file is encrypted; save an "
                                 f"unprotected copy to read it", format=kind[1].lstrip("."))
    return kind


def _legacy_encrypted(data: bytes) -> bool:
    try:
        import msoffcrypto

        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:
        return False


def _password_protected(exc: BaseException) -> bool:
    """Whether an exception (or one it wraps) says the file needs a password."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name or re.search(r"password|encrypted", str(e), re.I):
            return True
        todo.extend(a for a in e.args if isinstance(a, BaseException))
        todo.extend(x for x in (e.__cause__, e.__context__) if x is not None)
    return False

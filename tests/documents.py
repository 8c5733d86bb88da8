"""Documents for the tests, made the way people make them: the same forms saved again as GBK
text, as a Word file or as a workbook; a form edited; files that are broken in the ways
shared folders break them."""
from __future__ import annotations

import hashlib
import io
import os
import struct
from pathlib import Path

from tests.conftest import SAMPLE


def text(key: str) -> str:
    return SAMPLE[key].read_text(encoding="utf-8")


def edited(key: str, *replacements: tuple[str, str]) -> str:
    out = text(key)
    for old, new in replacements:
        assert old in out, old
        out = out.replace(old, new, 1)
    return out


def as_docx(content: str) -> bytes:
    """A Word file with one paragraph per line of the text (tabs kept), as a .txt export
    pasted back into Word gives."""
    from docx import Document

    doc = Document()
    for line in content.split("\n"):
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def as_xlsx(content: str) -> bytes:
    """A workbook with one row per line, one cell per tab-separated field."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in content.split("\n"):
        sheet.append(line.split("\t") if line else [None])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def corrupt_docx() -> bytes:
    return b"PK\x03\x04" + os.urandom(200)      # a zip header and then nothing a zip has


def corrupt_xlsx() -> bytes:
    return as_xlsx(text("000"))[:700]           # a workbook cut short, as a failed copy leaves it


def corrupt_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + os.urandom(64)


# --- a password-protected PDF (standard security handler, revision 2, RC4 40-bit) ------------
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def password_pdf(user: str = "secret", owner: str = "owner") -> bytes:
    """A one-page PDF that opens only with the user password (PDF 1.7 §7.6.3, algorithms 2, 3
    and 4). Its page stream is encrypted with the document key as the standard requires."""
    pad = lambda pw: (pw.encode("latin-1") + _PAD)[:32]   # noqa: E731
    o = _rc4(hashlib.md5(pad(owner)).digest()[:5], pad(user))
    doc_id = hashlib.md5(b"jixiao-test").digest()
    p = struct.pack("<i", -44)
    key = hashlib.md5(pad(user) + o + p + doc_id).digest()[:5]
    u = _rc4(key, _PAD)

    def obj_key(num: int) -> bytes:
        return hashlib.md5(key + struct.pack("<i", num)[:3] + b"\x00\x00").digest()[:10]

    stream = _rc4(obj_key(4), b"BT /F1 12 Tf 72 720 Td (locked) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + o.hex().encode() + b"> /U <" + u.hex().encode()
        + b"> /P -44 >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 5 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, doc_id.hex().encode(), doc_id.hex().encode(), xref))
    return bytes(out)


def write(folder: Path, files: dict[str, bytes | str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return folder

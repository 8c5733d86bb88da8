"""Cleaning of cell text as the extractions leave it: bookmarks, tags, wrapped CJK text,
stray spaces inside numbers. Pure functions."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_TAG = re.compile(r"</?p>", re.I)
# A CJK ideograph or CJK/full-width punctuation: a space between two of these is a line wrap.
_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”]"
# Also "2024 年", "3 月底", "20000 本": a number and the CJK word after it belong together.
_WRAP_SPACE = re.compile(rf"(?<={_CJK}|\d)\s+(?={_CJK})")
_SENTENCE_END = tuple("。.;；!！?？”)）")


# Characters that are never content: C0/C1 controls (but tab and newline, which carry the cell
# and line structure), bidi overrides and zero-width marks. Stripped where text enters, so no
# terminal, chart or Word file downstream ever receives them.
_INVISIBLE = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F,
                            *range(0x80, 0xA0), 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
                            *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF])


_HAS_INVISIBLE = re.compile("[" + "".join(re.escape(chr(c)) for c in _INVISIBLE) + "]")


def escape_char(c: str) -> str:
    """A control, format or separator character written out as \\x07, \\u202e …; any other kept."""
    if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return c
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def has_invisible(text: str) -> bool:
    return _HAS_INVISIBLE.search(text) is not None


def strip_invisible(text: str) -> str:
    """Text without control characters, bidi marks and zero-width characters."""
    return text.translate(_INVISIBLE) if has_invisible(text) else text


_SPACES = re.compile(r"[ \t\u00a0]+")
_WHITESPACE = re.compile(r"\s+")


def clean_cell(text: str | None) -> str:
    """Cell text as a person reads it: debris removed, wrapped CJK text joined, spaces folded."""
    if not text:
        return ""
    return _clean_cell(text)


def clean_cells(cells: list[str]) -> list[str]:
    """clean_cell of each cell (the cache's C wrapper mapped directly: no Python call per cell
    that the cache has seen)."""
    return list(map(_clean_cell, cells))


_ANY_SPACE = re.compile(r"\s")


@lru_cache(maxsize=1 << 17)
def _clean_cell(text: str) -> str:
    if "[" not in text and "<" not in text and not _ANY_SPACE.search(text):
        return text       # most cells: nothing to remove, fold or join
    text = _SPACES.sub(" ", _without_debris(text)).strip()
    return _WRAP_SPACE.sub("", text)


def clean_value(text: str | None) -> str:
    """A target value as printed: debris removed and spaces folded, but kept where they stand
    (`20122012 年 5 月 28 日`, `138.11 公顷`), since the raw value is evidence."""
    if text is None:
        return ""
    return _WHITESPACE.sub(" ", _without_debris(text)).strip()


def _without_debris(text: str) -> str:
    """Bookmarks and tags the extractions leave removed (a tag is a space)."""
    if "[" in text:
        text = _BOOKMARK.sub("", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    return text


def compact(text: str | None) -> str:
    """Text with every space removed and full-width forms folded, for matching labels."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", _BOOKMARK.sub("", text))
    return "".join(text.split())


def looks_cut_short(text: str | None) -> bool:
    """True when a goal text stops mid-sentence (the source cell was cut off)."""
    text = (text or "").strip()
    return bool(text) and not text.endswith(_SENTENCE_END)


def is_blank(text: str | None) -> bool:
    return not compact(text)

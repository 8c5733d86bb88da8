"""Cleaning of cell text as the extractions leave it: bookmarks, tags, wrapped CJK text,
stray spaces inside numbers. Pure functions."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_TAG = re.compile(r"</?p>", re.I)
# A CJK ideograph or CJK/full-width punctuation: a space between two of these is a line wrap.
_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”]"
# Also "2024 年", "3 月底", "20000 本": a number and the CJK word after it belong together.
_WRAP_SPACE = re.compile(rf"(?<={_CJK}|\d)\s+(?={_CJK})")
_SENTENCE_END = tuple("。.;；!！?？”)）")


def clean_cell(text: str | None) -> str:
    """Cell text as a person reads it: debris removed, wrapped CJK text joined, spaces folded."""
    if text is None:
        return ""
    text = _BOOKMARK.sub("", text)
    text = _TAG.sub(" ", text)
    text = re.sub(r"[ \t\u00a0]+", " ", text).strip()
    text = _WRAP_SPACE.sub("", text)
    return text


def compact(text: str | None) -> str:
    """Text with every space removed and full-width forms folded, for matching labels."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", _BOOKMARK.sub("", text))
    return "".join(text.split())


def parse_amount(text: str | None) -> Decimal | None:
    """An amount as written in a budget cell, exactly: '24569. 00' -> Decimal('24569.00');
    '' -> None. Raises ValueError on text that is not a number, so the caller can report it."""
    s = compact(text).replace(",", "")
    if not s or s in {"-", "—", "/"}:
        return None
    s = s.removesuffix("万元")
    if not re.fullmatch(r"-?\d{1,12}(\.\d{1,6})?", s):
        raise ValueError(f"not an amount: {text!r}")
    return Decimal(s)


def parse_percent(text: str | None) -> float | None:
    """A spending-plan cell: '25%' -> 25.0, ' 0' -> 0.0, '' -> None; ValueError otherwise."""
    s = compact(text).removesuffix("%")
    if not s:
        return None
    if not re.fullmatch(r"\d+(\.\d+)?", s):
        raise ValueError(f"not a percentage: {text!r}")
    return float(s)


def looks_cut_short(text: str | None) -> bool:
    """True when a goal text stops mid-sentence (the source cell was cut off)."""
    text = (text or "").strip()
    return bool(text) and not text.endswith(_SENTENCE_END)


def is_blank(text: str | None) -> bool:
    return not compact(text)

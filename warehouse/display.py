"""Text from documents (and file names) on their way to a terminal: data, never instructions.

- Control characters (BEL, ESC and the rest) and invisible format characters, the bidi
  overrides (U+202E …) above all, are shown escaped (\\x07, \\u202e): they cannot ring, move
  the cursor, recolour the terminal or reverse what is printed after them.
- Rich markup is never read in document text: the command line builds `rich.text.Text`
  objects from plain strings (`plain_text`), or escapes markup where a markup string is
  unavoidable (`markup_safe`), and its consoles do not expand :emoji: codes.
"""
from __future__ import annotations

import unicodedata

from rich.markup import escape
from rich.text import Text

_KEEP = {"\n", "\t"}


def visible(text: object, keep_newlines: bool = False) -> str:
    """The text with control and format characters escaped as \\xNN / \\uNNNN."""
    s = "" if text is None else str(text)
    out = []
    for c in s:
        if c in _KEEP and keep_newlines:
            out.append(c)
        elif unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") or c in _KEEP:
            code = ord(c)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
                       else f"\\U{code:08x}")
        else:
            out.append(c)
    return "".join(out)


def markup_safe(text: object) -> str:
    """For a Rich markup string: the text shown as written (brackets and all), escaped."""
    return escape(visible(text))


def plain_text(text: object, style: str = "") -> Text:
    """A Rich Text holding the text as written: no markup, no emoji codes, no controls."""
    return Text(visible(text), style=style)


def shorten(text: str, width: int) -> str:
    """At most `width` terminal cells, cut in the middle (a path keeps its start and its name)."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    keep = max(width - 1, 2)
    head, tail = "", ""
    for c in text:
        if cell_len(head + c) > keep // 2:
            break
        head += c
    for c in reversed(text):
        if cell_len(head) + cell_len(tail + c) > keep:
            break
        tail = c + tail
    return head + "…" + tail

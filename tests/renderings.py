"""Other renderings of a tab-separated form, as people and tools produce them, for tests that
check the reader gives the same records whatever the rendering."""
from __future__ import annotations


def word_cells(rows: list[str]) -> str:
    """A Word table extracted one cell per line behind a tab, a blank line after each row."""
    out: list[str] = []
    for r in rows:
        cells = r.split("\t")
        out += ([cells[0]] if len(cells) == 1 else ["\t" + c for c in cells]) + [""]
    return "\n".join(out)


def pipes(rows: list[str]) -> str:
    """Cells between ` | `, empty ones kept."""
    return "\n".join(" | ".join(r.split("\t")) for r in rows)


def pipes_collapsed(rows: list[str]) -> str:
    """Cells between ` | `, as a web page copies them: the empty cells gone, a run of `||` at
    the end of each row of a table."""
    out = []
    for r in rows:
        cells = r.split("\t")
        filled = [c for c in cells if c.strip()]
        tail = " ||" + "|" * (len(cells) - len(filled)) if len(cells) > 1 else ""
        out.append(" | ".join(filled) + tail)
    return "\n".join(out)


def spaces(rows: list[str]) -> str:
    """Cells separated by runs of spaces, empty ones gone but a leading indent."""
    out = []
    for r in rows:
        cells = r.split("\t")
        lead = "    " if len(cells) > 1 and not cells[0].strip() else ""
        out.append(lead + "   ".join(c for c in cells if c.strip()))
    return "\n".join(out)


def one_cell_per_line(rows: list[str]) -> str:
    """Every filled cell on its own line, nothing marking the rows."""
    return "\n".join(c for r in rows for c in r.split("\t") if c.strip())


RENDERINGS = {"word_cells": word_cells, "pipes": pipes, "pipes_collapsed": pipes_collapsed,
              "spaces": spaces, "one_cell_per_line": one_cell_per_line}

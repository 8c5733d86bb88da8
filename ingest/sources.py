"""Finding and opening the documents under the sources of a build: the file-system edge.

A document is known by its path relative to its source folder (a file given on its own is
known by its name). Everything the file system can do to a build is turned into a reason
attached to that file, never into an exception that stops the others: a file that cannot be
opened (permissions), a FIFO or a device where a document should be (opened without ever
blocking), a broken symbolic link, a folder that cannot be listed, a file that vanished or
is too large. Only a source that is not there at all stops the build, before anything is
touched (SourceMissing), so that an unmounted share never empties the warehouse.
"""
from __future__ import annotations

import errno
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.pipeline import SUFFIXES

# Formats that may well hold forms but that this version does not read: reported as skipped,
# with the reason, so that a folder of them is not ignored in silence.
UNREAD_DOCUMENT_SUFFIXES = frozenset({
    ".doc", ".dot", ".wps", ".wpt", ".rtf", ".odt", ".xls", ".xlt", ".et", ".ods", ".xlsb",
    ".csv", ".tsv", ".html", ".htm", ".mht", ".mhtml", ".ofd", ".ppt", ".pptx",
    ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif", ".webp",
    ".zip", ".rar", ".7z", ".tar", ".gz", ".tgz",
})
MAX_BYTES = 256 * 1024 * 1024   # larger than any form document; read no further


class SourceMissing(Exception):
    """A --source path that does not exist or cannot be listed at all."""


@dataclass(frozen=True)
class SourceFile:
    """One entry under a source: a file to read, or a place that could not be used."""
    root: Path            # the source folder (for a file given on its own: its folder)
    path: Path            # where it is
    source_file: str      # path relative to root, with / separators (printable_name)
    kind: str             # document | other (not a document format: listed, not read) | problem
    problem: str | None = None   # why it cannot be read, for kind == problem

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()


def printable_name(rel: str) -> str:
    """A relative path as the warehouse records it: control characters, bidi marks and other
    invisible characters in a file name (a U+202E that reverses what follows it, a BEL, a
    newline) are written as \\u202e, \\x07 …, so that the name reaches no terminal, chart or
    Word file as anything but text. Every other character is kept as it is."""
    out = []
    for c in rel:
        if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            code = ord(c)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
                       else f"\\U{code:08x}")
        else:
            out.append(c)
    return "".join(out)


def document_kind(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return "document" if suffix in SUFFIXES or suffix in UNREAD_DOCUMENT_SUFFIXES else "other"


def _ignored(name: str) -> bool:
    """Hidden files and the lock files editors leave beside an open document (~$表.docx,
    .~lock.表.docx#): not documents, and they come and go while people work."""
    return name.startswith(".") or name.startswith("~$")


def check_sources(sources: list[Path]) -> list[Path]:
    """The sources as given, each one existing and listable; raises SourceMissing naming
    every one that is not."""
    missing = []
    for source in sources:
        try:
            os.lstat(source)
        except FileNotFoundError:
            missing.append(f"{source}: no such file or folder")
            continue
        except PermissionError:
            missing.append(f"{source}: cannot be reached (permission denied on a folder above it)")
            continue
        except OSError as exc:
            missing.append(f"{source}: {exc.strerror or exc}")
            continue
        if not source.exists():
            missing.append(f"{source}: a broken symbolic link")
        elif source.is_dir() and not os.access(source, os.R_OK | os.X_OK):
            missing.append(f"{source}: the folder cannot be listed (permission denied)")
    if missing:
        raise SourceMissing("; ".join(missing))
    return list(sources)


def discover(sources: list[Path]) -> list[SourceFile]:
    """Every entry under the sources, in a stable order (by relative path, then by the
    order of the sources). Raises SourceMissing before anything else if a source is not there."""
    found: list[tuple[str, int, SourceFile]] = []
    for n, source in enumerate(check_sources(sources)):
        entries = _walk(source) if source.is_dir() else [_entry(source.parent, source)]
        found += [(e.source_file, n, e) for e in entries]
    return [e for _, _, e in sorted(found, key=lambda t: (t[0], t[1]))]


def _walk(root: Path) -> list[SourceFile]:
    out: list[SourceFile] = []
    visited: set[tuple[int, int]] = set()

    def unlistable(err: OSError) -> None:
        where = Path(err.filename or root)
        rel = where.relative_to(root).as_posix() if where != root else "."
        out.append(SourceFile(root, where, printable_name(rel) + "/", "problem",
                              f"folder cannot be listed: {err.strerror or err}"))

    for folder, dirs, files in os.walk(root, onerror=unlistable, followlinks=True):
        here = Path(folder)
        try:
            st = os.stat(here)
            if (st.st_dev, st.st_ino) in visited:   # a symbolic link loop: walk it once
                dirs[:] = []
                continue
            visited.add((st.st_dev, st.st_ino))
        except OSError:
            pass
        dirs[:] = sorted(d for d in dirs if not _ignored(d))
        for name in sorted(files):
            if not _ignored(name):
                out.append(_entry(root, here / name))
    return out


def _entry(root: Path, path: Path) -> SourceFile:
    rel = printable_name(path.relative_to(root).as_posix())
    try:
        st = os.stat(path)
    except FileNotFoundError:
        target = os.readlink(path) if path.is_symlink() else None
        return SourceFile(root, path, rel, "problem",
                          f"broken symbolic link (to {target})" if target else "the file disappeared")
    except OSError as exc:
        return SourceFile(root, path, rel, "problem", f"cannot be examined: {exc.strerror or exc}")
    if not stat.S_ISREG(st.st_mode):
        return SourceFile(root, path, rel, "problem", f"not a regular file ({_file_type(st.st_mode)})")
    return SourceFile(root, path, rel, document_kind(path.name))


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a file"


class UnreadableFile(Exception):
    """The file system would not give the bytes; the message says why."""


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes. Opens without blocking (a FIFO put where a document was never
    hangs the build) and refuses what is not a regular file; raises UnreadableFile."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except FileNotFoundError:
        raise UnreadableFile("the file disappeared during the build") from None
    except IsADirectoryError:
        raise UnreadableFile("a folder, not a file") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot be opened: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableFile(f"not a regular file ({_file_type(st.st_mode)})")
        if st.st_size > limit:
            raise UnreadableFile(f"{st.st_size} bytes, larger than the {limit} bytes a form document may have")
        chunks, size = [], 0
        while True:
            try:
                chunk = os.read(fd, 1 << 20)
            except OSError as exc:
                if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                    raise UnreadableFile("no data to read (a file that blocks)") from None
                raise UnreadableFile(f"read error: {exc.strerror or exc}") from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise UnreadableFile(f"larger than the {limit} bytes a form document may have")
        return b"".join(chunks)
    finally:
        os.close(fd)

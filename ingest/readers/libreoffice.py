"""Conversion of the formats we do not read ourselves (.doc, .wps, .rtf, .odt, presentations,
…) by LibreOffice, headless, into one we do (.docx, .xlsx, .pdf).

Each conversion runs `soffice --headless --convert-to` in a fresh temporary folder with a user
profile of this process's own (so that conversions in parallel processes, and a LibreOffice
the user has open, never share one), under a time limit. Results are cached by the input's
SHA-256 in `$JIXIAO_CACHE/libreoffice/` (default `~/.cache/jixiao`), so reading the same
document again, as every rebuild does, converts nothing.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

TIMEOUT_S = float(os.environ.get("JIXIAO_SOFFICE_TIMEOUT", "180"))
INSTALL_HINT = ("run `make setup` (as root it installs them: apt-get install "
                "libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui)")

# The filter for each target, so that LibreOffice never has to guess.
_FILTERS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML", "pdf": "pdf"}


class ConversionFailed(Exception):
    """LibreOffice could not convert the document; the message says why."""


class LibreOfficeMissing(ConversionFailed):
    pass


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    found = os.environ.get("JIXIAO_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    for candidate in ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def cache_dir() -> Path:
    root = os.environ.get("JIXIAO_CACHE")
    if root:
        return Path(root)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "jixiao"


def cached(data: bytes, target: str) -> Path:
    return cache_dir() / "libreoffice" / f"{hashlib.sha256(data).hexdigest()}.{target}"


def convert(data: bytes, suffix: str, target: str) -> tuple[bytes, bool]:
    """The document converted to `target` ("docx", "xlsx" or "pdf"), and whether it came from
    the cache. Raises LibreOfficeMissing or ConversionFailed with a reason a person can act on."""
    hit = cached(data, target)
    if hit.exists():
        return hit.read_bytes(), True
    program = soffice()
    if program is None:
        raise LibreOfficeMissing(f"LibreOffice is not installed, and {suffix} files are read "
                                 f"through it: {INSTALL_HINT}")
    with _LOCK, tempfile.TemporaryDirectory(prefix="jixiao-convert-") as tmp:
        source = Path(tmp) / f"document{suffix.lower()}"
        source.write_bytes(data)
        out_dir = Path(tmp) / "out"
        command = [program, f"-env:UserInstallation={_profile().as_uri()}", "--headless",
                   "--invisible", "--norestore", "--nologo", "--nolockcheck", "--nodefault",
                   "--convert-to", _FILTERS[target], "--outdir", str(out_dir), str(source)]
        try:
            proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            raise LibreOfficeMissing(f"LibreOffice could not be started ({exc}): {INSTALL_HINT}") from exc
        try:
            output, _ = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            _kill(proc)
            _new_profile()   # a killed LibreOffice may leave its profile locked
            raise ConversionFailed(f"LibreOffice did not convert {suffix} to .{target} within "
                                   f"{TIMEOUT_S:.0f} s (set JIXIAO_SOFFICE_TIMEOUT to wait longer)")
        result = out_dir / f"document.{target}"
        if not result.exists() or result.stat().st_size == 0:
            said = " ".join(l for l in output.decode("utf-8", "replace").splitlines()
                            if l.strip() and "javaldx" not in l)
            raise ConversionFailed(f"LibreOffice could not convert this {suffix} file to .{target}"
                                   f" (exit {proc.returncode}{': ' + said[-300:] if said else ''})")
        converted = result.read_bytes()
    try:
        hit.parent.mkdir(parents=True, exist_ok=True)
        partial = hit.with_name(f"{hit.name}.{os.getpid()}.part")
        partial.write_bytes(converted)
        os.replace(partial, hit)   # atomic: a parallel reader sees the whole file or none
    except OSError:
        pass   # an unwritable cache costs a conversion next time, nothing else
    return converted, False


def version() -> str | None:
    program = soffice()
    if program is None:
        return None
    out = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=60)
    return out.stdout.strip() or None


# One profile per process, made on first use and removed at exit; conversions inside the
# process take turns (LibreOffice runs one conversion per profile at a time).
_LOCK = threading.Lock()
_PROFILE: Path | None = None


def _profile() -> Path:
    if _PROFILE is None or not _PROFILE.exists():
        _new_profile()
    return _PROFILE


def _new_profile() -> None:
    global _PROFILE
    _PROFILE = Path(tempfile.mkdtemp(prefix="jixiao-lo-profile-"))
    atexit.register(shutil.rmtree, _PROFILE, True)


def _kill(proc: subprocess.Popen) -> None:
    """End the conversion and everything it started (soffice is a script around soffice.bin)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()

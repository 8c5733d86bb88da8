"""Finding and opening documents under a source: relative paths, and every file-system oddity
turned into a named reason (a FIFO never hangs the build)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ingest.sources import SourceMissing, UnreadableFile, discover, read_bytes
from tests.conftest import SAMPLE
from tests.documents import corrupt_docx, corrupt_pdf, corrupt_xlsx, password_pdf, text, write
from warehouse.build import survey


def test_documents_are_known_by_their_path_relative_to_the_source(tmp_path):
    write(tmp_path / "src", {"2024/卢龙.txt": text("001"), "2023/大连.txt": text("003"),
                             "a.txt": text("000"), ".hidden.txt": "x", "~$a.docx": b"lock",
                             ".git/config.txt": "x", "notes.md": "# notes"})
    entries = discover([tmp_path / "src", SAMPLE["002"]])
    assert [(e.source_file, e.kind) for e in entries] == [
        ("2023/大连.txt", "document"), ("2024/卢龙.txt", "document"), ("a.txt", "document"),
        (SAMPLE["002"].name, "document"), ("notes.md", "other")]
    assert entries[0].root == tmp_path / "src" and entries[3].root == SAMPLE["002"].parent


def test_a_missing_source_stops_everything_before_it_starts(tmp_path):
    with pytest.raises(SourceMissing, match="nowhere"):
        discover([SAMPLE["000"], tmp_path / "nowhere"])
    (tmp_path / "dangling").symlink_to(tmp_path / "gone")
    with pytest.raises(SourceMissing, match="broken symbolic link"):
        discover([tmp_path / "dangling"])


def test_a_fifo_is_reported_and_never_blocks(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    os.mkfifo(src / "pipe.txt")
    [entry] = discover([src])
    assert entry.kind == "problem" and "FIFO" in entry.problem
    done = threading.Event()

    def read():   # even opened directly, the FIFO does not block (no writer ever comes)
        with pytest.raises(UnreadableFile, match="FIFO"):
            read_bytes(src / "pipe.txt")
        done.set()

    threading.Thread(target=read, daemon=True).start()
    assert done.wait(5), "reading a FIFO blocked"


def test_links_and_folders_named_like_documents(tmp_path):
    src = write(tmp_path / "src", {"real.txt": text("000"), "年度.docx/inside.txt": text("003")})
    (src / "broken.docx").symlink_to(tmp_path / "nothing.docx")
    (src / "link.txt").symlink_to(src / "real.txt")
    (src / "loop").symlink_to(src)            # a link back up: walked once, never forever
    found = {e.source_file: (e.kind, e.problem) for e in discover([src])}
    assert found["年度.docx/inside.txt"] == ("document", None)
    assert found["link.txt"] == ("document", None)
    assert found["broken.docx"][0] == "problem" and "broken symbolic link" in found["broken.docx"][1]
    assert sum(1 for name in found if name.endswith("inside.txt")) <= 2


def test_a_large_file_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(UnreadableFile, match="larger than"):
        read_bytes(big, limit=1024)


def test_survey_names_every_unreadable_file_with_its_reason(tmp_path):
    src = write(tmp_path / "src", {"good.txt": text("000"), "bad.docx": corrupt_docx(),
                                   "bad.xlsx": corrupt_xlsx(), "bad.pdf": corrupt_pdf(),
                                   "locked.pdf": password_pdf(), "empty.txt": b"",
                                   "scan.doc": b"\xd0\xcf\x11\xe0 old word", "readme.md": "x"})
    os.mkfifo(src / "pipe.docx")
    (src / "gone.xlsx").symlink_to(tmp_path / "missing.xlsx")
    files, _ = survey([src])
    got = {f.source_file: (f.status, f.reason or "") for f in files}
    assert got["good.txt"] == ("loaded", "")
    for name, words in {"bad.docx": ".docx", "bad.xlsx": ".xlsx", "bad.pdf": ".pdf",
                        "locked.pdf": ".pdf", "empty.txt": "empty", "pipe.docx": "FIFO",
                        "gone.xlsx": "broken symbolic link"}.items():
        assert got[name][0] == "unreadable" and words in got[name][1], (name, got[name])
    assert got["scan.doc"][0] == "unreadable" and "damaged" in got["scan.doc"][1]   # .doc is read now
    assert got["readme.md"][0] == "skipped"
    problems = sorted(f.source_file for f in files if f.is_problem)
    assert "readme.md" not in problems and "scan.doc" in problems and len(problems) == 8


@pytest.mark.skipif(not shutil.which("setpriv") or os.geteuid() != 0,
                    reason="needs root to run the command line as another user")
def test_a_file_the_build_user_may_not_read_is_named_and_the_rest_read(open_tmp):
    """As a user without permission (nobody), through the command line as cron would run it."""
    tmp_path = open_tmp
    src = write(tmp_path / "src", {"good.txt": text("000"), "secret.txt": text("003"),
                                   "closed/inside.txt": text("001")})
    (src / "secret.txt").chmod(0o000)
    (src / "closed").chmod(0o000)
    for p in (tmp_path, src):
        p.chmod(0o755)
    out = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                          sys.executable, "-m", "warehouse.cli", "ingest", "--source", str(src),
                          "--no-show-issues"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path,
                         env={**os.environ, "HOME": str(tmp_path)})
    assert out.returncode == 2, out.stdout + out.stderr
    flat = " ".join(out.stdout.split())
    assert "secret.txt" in flat and "permission denied" in flat
    assert "closed/" in flat and "Permission denied" in flat
    assert "已载入 1" in flat and "good.txt" not in flat   # problems are listed, the rest counted


@pytest.fixture()
def open_tmp():
    """A folder other users can enter (pytest's own is private to its user)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="jixiao-open-"))
    path.chmod(0o755)
    yield path
    for p in path.rglob("*"):
        if not p.is_symlink():
            p.chmod(0o755 if p.is_dir() else 0o644)
    shutil.rmtree(path)


def test_survey_reads_a_fifo_folder_quickly(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for n in range(5):
        os.mkfifo(src / f"p{n}.txt")
    start = time.monotonic()
    files, _ = survey([src])
    assert time.monotonic() - start < 10 and all(f.status == "unreadable" for f in files)


def test_invisible_characters_in_file_names_are_recorded_escaped(tmp_path):
    src = write(tmp_path / "src", {"名单\u202etxt.exe\u0007.txt": text("000")})
    [entry] = discover([src])
    assert entry.source_file == "名单\\u202etxt.exe\\x07.txt" and entry.kind == "document"
    assert read_bytes(entry.path) == text("000").encode()   # the file itself is read as it is

"""One build per warehouse at a time: an exclusive OS file lock (flock) on `<warehouse>.lock`.

The kernel releases the lock when the holding process ends, however it ends (kill -9
included), so a lock is never left behind. The lock file also says who holds it (pid, host,
user, start, current stage) so that a second build can name the holder. The file itself is
never deleted: removing a lock file while another process waits on it would let two builds
in at once.
"""
from __future__ import annotations

import fcntl
import getpass
import json
import os
import socket
import time
from datetime import datetime, timezone
from pathlib import Path


class LockBusy(RuntimeError):
    """Another build holds the warehouse; `holder` is what it wrote about itself."""

    def __init__(self, lock_file: Path, holder: dict | None):
        self.lock_file, self.holder = lock_file, holder or {}
        super().__init__(f"{lock_file} is held by {describe_holder(self.holder)}")


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def describe_holder(holder: dict) -> str:
    if not holder:
        return "another build (it has not written its details yet)"
    parts = [f"pid {holder.get('pid', '?')}"]
    if holder.get("host"):
        parts.append(f"on {holder['host']}")
    if holder.get("user"):
        parts.append(f"user {holder['user']}")
    if holder.get("started_at"):
        parts.append(f"since {holder['started_at']}")
    if holder.get("stage"):
        parts.append(f"stage {holder['stage']}")
    return ", ".join(parts)


def read_holder(lock_file: Path) -> dict:
    try:
        text = lock_file.read_text(encoding="utf-8")
        return json.loads(text) if text.strip() else {}
    except (OSError, ValueError):
        return {}


class BuildLock:
    """with BuildLock(warehouse).acquire(wait=False): ... — raises LockBusy when another
    build holds it (at once, or after `timeout` seconds when waiting)."""

    def __init__(self, warehouse: Path):
        self.path = lock_path(warehouse)
        self._fd: int | None = None
        self._info: dict = {}

    def acquire(self, wait: bool = False, timeout: float | None = None,
                on_wait=None, poll: float = 0.2) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        deadline = None if timeout is None else time.monotonic() + timeout
        told = False
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    holder = read_holder(self.path)
                    if not wait or (deadline is not None and time.monotonic() >= deadline):
                        raise LockBusy(self.path, holder) from None
                    if on_wait is not None and not told:
                        on_wait(holder)
                        told = True
                    time.sleep(poll)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._info = {"pid": os.getpid(), "host": socket.gethostname(), "user": _user(),
                      "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                      "stage": "starting"}
        self._write()
        return self

    def update(self, **info) -> None:
        """Say what the build is doing now (stage, run_id …) for anyone who finds it busy."""
        if self._fd is not None:
            self._info.update(info)
            self._write()

    def _write(self) -> None:
        data = json.dumps(self._info, ensure_ascii=False).encode("utf-8")
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> BuildLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:   # no user name for this uid (containers)
        return str(os.getuid())

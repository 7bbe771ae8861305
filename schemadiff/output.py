"""Writing results: to standard output, or to a file replaced only once the new content is complete.

Only a regular file (or a path where nothing is yet) is replaced, through a temporary file and a
rename. Anything else (``/dev/null``, ``/dev/stdout`` even when it leads to a file, a FIFO, a
symbolic link to one of those) is opened and written in place: replacing it would turn a device
into a plain file, which, run as root, breaks the machine for every later step. A symbolic link to
a regular file is replaced itself, never followed, so a link committed to the work tree cannot aim
the report at a file outside it.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from schemadiff.errors import InputError

STDOUT = "<stdout>"


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename, so a
    reader (or a crash) never sees half a file and an existing file survives any failure."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise InputError(f"cannot write: {err.strerror or err}", path) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        existing = _status(target, follow=False)
        if existing is not None and stat.S_ISREG(existing.st_mode):
            os.chmod(temporary, existing.st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"cannot write: {err.strerror or err}", path) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_in_place(path: str, text: str) -> None:
    """Write to something that is not a regular file (a device, a FIFO) without replacing it.
    A FIFO with no reader is refused rather than waited on."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        reason = "a FIFO with no reader" if err.errno == errno.ENXIO else err.strerror or err
        raise InputError(f"cannot write: {reason}", path) from None
    try:
        os.set_blocking(handle, True)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except OSError as err:
        raise InputError(f"cannot write: {err.strerror or err}", path) from None


def write_output(path: str, text: str) -> None:
    """``--output PATH``: replace a regular file atomically, write anything else in place."""
    target = _status(Path(path), follow=True)
    if target is not None and stat.S_ISDIR(target.st_mode):
        raise InputError("cannot write: is a folder", path)
    if target is None or (stat.S_ISREG(target.st_mode) and not _is_own_stream(target)):
        write_atomic(path, text)
    else:
        write_in_place(path, text)


def _is_own_stream(target: os.stat_result) -> bool:
    """Whether ``target`` is this process's standard output or error (``/dev/stdout`` when the
    shell sent it to a file): that link must be written through, never replaced."""
    for descriptor in (1, 2):
        try:
            stream = os.fstat(descriptor)
        except OSError:
            continue
        if (stream.st_dev, stream.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def _status(path: Path, *, follow: bool) -> os.stat_result | None:
    try:
        return os.stat(path, follow_symlinks=follow)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise InputError(f"cannot write: {err.strerror or err}", str(path)) from None


def write_stdout(text: str) -> None:
    """Standard output; a full disk or a closed pipe is one line and exit code 2, not a
    traceback (and never 1, which a CI script reads as "breaking")."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (OSError, ValueError) as err:   # ValueError: standard output was closed
        silence_stdout()
        reason = getattr(err, "strerror", None) or err
        raise InputError(f"cannot write: {reason}", STDOUT) from None


def silence_stdout() -> None:
    """Point standard output at the null device, so that Python's flush at exit does not fail
    a second time on what could not be written."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives until exit)


def emit(text: str, output: str | None) -> None:
    if output and output != "-":
        write_output(output, text)
    else:
        write_stdout(text)

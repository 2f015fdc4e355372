"""Safe file writing: a temporary file beside the target, renamed over it only when complete.

A failure or an interruption half-way leaves the previous file untouched.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "out.json"
>>> atomic_write_text(p, "{}")
>>> p.read_text()
'{}'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import NotWritableError, WorkbookLockedError


def lock_file(path: Path) -> Path:
    """Excel's lock file for ``path`` (``~$name.xlsx`` beside it)."""
    return path.with_name("~$" + path.name)


def check_writable(path: Path) -> None:
    """Raise a clear error when ``path`` is open in Excel or its folder cannot be written."""
    lock = lock_file(path)
    if lock.exists():
        raise WorkbookLockedError(file=str(path), lock=lock.name)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise NotWritableError(file=str(path), detail="dossier introuvable / folder not found")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise NotWritableError(file=str(path), detail="accès refusé / permission denied")


@contextlib.contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on error it is removed."""
    path = Path(path)
    check_writable(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".tmp",
                                    dir=str(path.parent if str(path.parent) else "."))
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with contextlib.suppress(OSError):  # keep the file's mode; a new file gets the usual 0666 - umask
            if path.exists():
                os.chmod(tmp, os.stat(path).st_mode & 0o7777)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        raise NotWritableError(file=str(path), detail=exc.strerror or str(exc)) from exc
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    with atomic_target(Path(path)) as tmp:
        tmp.write_text(text, encoding=encoding)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_target(Path(path)) as tmp:
        tmp.write_bytes(data)

"""Writing output files (exports) so that nothing is lost: never over a database, and
never half a file. The content goes to a temporary file beside the target, which is
renamed over it only once complete; a failed write leaves the target as it was."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

from .errors import CorpusError

SQLITE_HEADER = b"SQLite format 3\x00"
# Files SQLite keeps beside a database while it is open.
_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


class OutputFileError(CorpusError):
    """An output file that must not or cannot be written (one-line message)."""


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def check_target(path: Path, databases: Iterable[Path] = ()) -> None:
    """Refuse a target that is a database file (the one given, its companions, or any
    SQLite database): writing there would destroy it."""
    target = path.expanduser().resolve()
    for database in databases:
        database = database.expanduser().resolve()
        guarded = [database, *(database.with_name(database.name + suffix) for suffix in _SQLITE_COMPANIONS)]
        if target in guarded:
            raise OutputFileError(f"refusing to write over the database {path}: choose another file name")
    if is_sqlite_file(target):
        raise OutputFileError(f"refusing to write over {path}: it is a SQLite database")


@contextmanager
def replacing(path: Path, databases: Iterable[Path] = ()) -> Iterator[IO[str]]:
    """A text handle whose content replaces `path` when the block ends without error;
    on error the temporary file is removed and `path` is untouched."""
    check_target(path, databases)
    path = path.expanduser()
    if path.is_dir():
        raise OutputFileError(f"cannot write {path}: it is a directory")
    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.resolve().parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise OutputFileError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputFileError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


def _mode_for(path: Path) -> int:
    """The permissions the file would have had if written in place: those it has, or the
    default for a new file (mkstemp makes its file private)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask

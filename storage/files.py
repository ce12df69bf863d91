"""Files that hold personal data are readable by the bot's own user only.

The database (and the ``-wal`` and ``-shm`` files SQLite makes beside it, which take the
database file's mode), its backups and the exports are created with mode 0600, and the folders
made for them with 0700, whatever the process's umask. Folders that already exist are left as
they are (``export --out .`` must not change the current folder); files the bot owns — the
database and its companions — are tightened when they are opened, so an older installation
whose files were 0644 is put right at its next start.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_folder(folder: Path) -> Path:
    """Create ``folder`` and its missing parents with mode 0700; an existing one is kept."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, FOLDER_MODE)
        except FileExistsError:
            continue
        os.chmod(path, FOLDER_MODE)  # the umask may have taken bits away, never added any
    return folder


def private_file(path: Path) -> Path:
    """Create ``path`` empty if it is missing; in either case make it 0600."""
    private_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)
    return path


def private_database(path: Path) -> Path:
    """Before SQLite opens ``path``: the file (and any companion left from before) made 0600.

    SQLite gives the journal, WAL and shared-memory files it creates the database file's mode.
    """
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.chmod(companion, FILE_MODE)
    return path


def write_private(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` (replacing it) with mode 0600."""
    private_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        os.fchmod(handle.fileno(), FILE_MODE)
        handle.write(content)
    return path

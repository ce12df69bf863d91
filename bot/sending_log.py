"""Which queued messages have left for Telegram: a line per request in a file beside the
database, written just before the request goes out.

The queue cannot ask Telegram whether a message arrived. What it can know is whether a request
was ever made: ``+id`` is appended right before the request (one ``write`` call, no database
trip, so nothing of the event loop passes between it and the request), ``-id`` once the answer
says the message did not arrive and is to be sent again (a 429, a 5xx, a network error). A
SIGKILL does not lose what was written (the file's pages belong to the kernel). After a crash,
a row still pending whose last line is ``+`` was on its way: a bulk one is left uncertain (never
sent twice), any other is sent again; a row without one never left and is simply sent.

The file holds row numbers only; it is emptied whenever no send is under way.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from storage.files import FILE_MODE

logger = logging.getLogger(__name__)

SUFFIX = "-sending"


class SendingLog:
    def __init__(self, path: Path | None) -> None:
        """``path`` None keeps nothing (a database in memory has no restart to survive)."""
        self.path = path
        self._fd: int | None = None
        self._dirty = False
        if path is not None:
            self._fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, FILE_MODE)

    @classmethod
    def beside(cls, database: Path | str) -> SendingLog:
        if str(database) == ":memory:":
            return cls(None)
        database = Path(database)
        return cls(database.with_name(database.name + SUFFIX))

    def issued(self, row_id: int) -> None:
        self._write(b"+%d\n" % row_id)

    def returned(self, row_id: int) -> None:
        """The answer says it did not arrive: it is sent again, however the process ends."""
        self._write(b"-%d\n" % row_id)

    def _write(self, line: bytes) -> None:
        if self._fd is not None:
            os.write(self._fd, line)
            self._dirty = True

    def on_the_way(self) -> set[int]:
        """Rows whose last request may have reached Telegram (read at start, before sending)."""
        if self.path is None or not self.path.exists():
            return set()
        open_ids: set[int] = set()
        for line in self.path.read_bytes().splitlines():
            if line[:1] not in (b"+", b"-") or not line[1:].isdigit():
                continue  # each line is one write(): whole, or not there at all
            row_id = int(line[1:])
            if line[:1] == b"+":
                open_ids.add(row_id)
            else:
                open_ids.discard(row_id)
        return open_ids

    def clear(self) -> None:
        """Nothing is under way and every outcome is in the database: the lines say nothing."""
        if self._fd is not None and self._dirty:
            os.ftruncate(self._fd, 0)
            self._dirty = False

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def forget_beside(database: Path) -> None:
    """A database restored from a copy: the lines of the one it replaces do not apply."""
    Path(database).with_name(Path(database).name + SUFFIX).unlink(missing_ok=True)

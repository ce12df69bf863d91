"""Which queued messages have left for Telegram: a line per request in a file beside the
database, written the moment the request's bytes go out.

The queue cannot ask Telegram whether a message arrived. What it can know is whether a request
was ever made: ``+id`` is appended by the HTTP session's trace hook just before the request's
first bytes are handed to the socket, in the same step of the event loop (aiohttp writes a
request's body in a task of its own, a loop turn or more after the request is made: a line
written before the request would also cover requests that never left). ``-id`` follows when
the answer says the message did not arrive and is to be sent again (a 429, a 5xx, a network
error). A SIGKILL does not lose what was written (the file's pages belong to the kernel), nor
bytes handed to the socket. After a crash, a row still pending whose last line is ``+`` was on
its way: a bulk one is left uncertain (never sent twice), any other is sent again; a row
without one never left and is simply sent.

The file holds row numbers only; it is emptied whenever no send is under way.
"""

from __future__ import annotations

import logging
import os
import ssl
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import certifi
from aiogram import __version__ as aiogram_version
from aiogram.client.session.aiohttp import AiohttpSession
from aiohttp import ClientSession, TCPConnector, TraceConfig, TraceRequestChunkSentParams
from aiohttp.hdrs import USER_AGENT
from aiohttp.http import SERVER_SOFTWARE

from storage.files import FILE_MODE

logger = logging.getLogger(__name__)

SUFFIX = "-sending"


@dataclass(slots=True)
class Sending:
    """The row a request carries; set by the queue in the task that sends it."""

    row_id: int
    noted: bool = False


# Tasks copy their context: the task aiohttp writes the body in sees the row of its request.
ON_ITS_WAY: ContextVar[Sending | None] = ContextVar("on_its_way", default=None)


class SendingLog:
    def __init__(self, path: Path | None) -> None:
        """``path`` None keeps nothing (a database in memory has no restart to survive)."""
        self.path = path
        self._fd: int | None = None
        self._dirty = False
        self.traced = False  # a session notes the sends itself (see ``trace_config``)
        if path is not None:
            self._fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, FILE_MODE)

    @classmethod
    def beside(cls, database: Path | str) -> SendingLog:
        if str(database) == ":memory:":
            return cls(None)
        return cls(path_beside(Path(database)))

    def trace_config(self) -> TraceConfig:
        """For the queue's HTTP session: note a request's row as its first bytes go out."""

        async def chunk_sent(
            _session: ClientSession, _context: SimpleNamespace, _params: TraceRequestChunkSentParams
        ) -> None:
            sending = ON_ITS_WAY.get()
            if sending is not None and not sending.noted:
                sending.noted = True
                self.issued(sending.row_id)

        config = TraceConfig()
        config.on_request_chunk_sent.append(chunk_sent)
        self.traced = True
        return config

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


class TracedSession(AiohttpSession):
    """aiogram's aiohttp session, with a trace hook on the requests of its own ClientSession."""

    def __init__(self, trace: TraceConfig, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.trace = trace
        self.client: ClientSession | None = None

    async def create_session(self) -> ClientSession:
        if self.client is None or self.client.closed:
            self.client = ClientSession(
                connector=TCPConnector(  # what aiogram's own session uses
                    ssl=ssl.create_default_context(cafile=certifi.where()),
                    limit=100,
                    ttl_dns_cache=3600,
                ),
                headers={USER_AGENT: f"{SERVER_SOFTWARE} aiogram/{aiogram_version}"},
                trace_configs=[self.trace],
            )
        return self.client

    async def close(self) -> None:
        if self.client is not None and not self.client.closed:
            await self.client.close()


def path_beside(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


def forget_beside(database: Path) -> None:
    """A database restored from a copy: the lines of the one it replaces do not apply."""
    path_beside(Path(database)).unlink(missing_ok=True)

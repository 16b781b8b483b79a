"""The page during a run: `dyad run` serves its store's last committed state.

DuckDB allows one process to hold a file read-write and then no other process may open
it, not even to read. So the writer answers the reads itself: while `dyad run` writes a
DuckDB store it runs the web app on a private loopback port, reading through its own
database instance (each request sees the last committed batch; a fusion swaps its tables
in one transaction), and announces the port in `<store>.reader`. A `dyad serve` that
finds the file locked forwards the request there, so the page a user has open keeps
answering. When the run ends the announcement goes and `dyad serve` reads the file again.
PostgreSQL needs none of this: its readers and writers share the server.
"""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional

from fastapi import Request
from fastapi.responses import Response

LIVE_HEADER = "X-Dyad-Live"  # set on pages served by a running `dyad run`
_PASS = ("content-type", "content-disposition", "cache-control", "location")


def reader_file(db: str) -> Path:
    return Path(f"{db}.reader")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def live_url(db: str) -> Optional[str]:
    """The loopback URL a running `dyad run` on `db` answers reads at, if there is one."""
    if "://" in db:
        return None
    try:
        info = json.loads(reader_file(db).read_text(encoding="utf-8"))
        url, pid = str(info["url"]), int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    # only ever a port on this machine, and only while its process lives
    if not url.startswith("http://127.0.0.1:") or not _alive(pid):
        return None
    return url


def forward(url: str, request: Request, timeout: float = 30.0) -> Optional[Response]:
    """The running writer's answer to this GET, or None when it does not answer."""
    target = url + request.url.path + (f"?{request.url.query}" if request.url.query else "")
    req = urllib.request.Request(target, headers={"Accept": request.headers.get("accept", "*/*")})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 (loopback only)
            status, headers, body = r.status, r.headers, r.read()
    except urllib.error.HTTPError as exc:  # a 404 page is an answer too
        status, headers, body = exc.code, exc.headers, exc.read()
    except (urllib.error.URLError, OSError):
        return None
    out = {k: v for k, v in headers.items() if k.lower() in _PASS}
    out[LIVE_HEADER] = "a dyad run is writing this store: the last committed state"
    return Response(body, status_code=status, headers=out)


class LiveReader:
    """`with LiveReader(store):` serves `store` (a DuckDBStore being written) on a free
    loopback port and announces it, until the block ends."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.path = reader_file(store.url)
        self.server: Any = None

    def __enter__(self) -> "LiveReader":
        from dyad.web.app import create_app
        from dyad.web.server import BackgroundServer

        base = self.store.reader()  # made here, on the writer's thread; requests branch off it
        self._base = base
        self.server = BackgroundServer(self.store.url, app=create_app(self.store.url, opener=base.reader))
        url = self.server.start()
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps({"pid": os.getpid(), "url": url}), encoding="utf-8")
        tmp.replace(self.path)
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            self.path.unlink(missing_ok=True)
        finally:
            if self.server is not None:
                self.server.stop()
            self._base.close()

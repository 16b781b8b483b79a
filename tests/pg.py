"""A throwaway PostgreSQL server for the tests: started once per test session on loopback.

Debian's packages put the server under /usr/lib/postgresql/<version>/bin
(`make system` installs them when missing). initdb refuses to run as root, so
as root the cluster directory belongs to the `postgres` OS user and the server
programs run through `runuser`. Authentication is `trust`, on 127.0.0.1 only.

If the server cannot be started the tests that need it FAIL with the reason;
set DYAD_SKIP_PG=1 to skip them explicitly instead.

Use it from a test module:

    from pg import pg_server, pg_url   # noqa: F401  (fixtures)
"""
from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Optional
from urllib.parse import quote

import pytest

SKIP_ENV = "DYAD_SKIP_PG"


class PostgresUnavailable(RuntimeError):
    pass


def _bin_dir() -> Path:
    env = os.environ.get("DYAD_PG_BIN")
    if env:
        return Path(env)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin and PATH). "
        "Install them with `make system` (Debian package `postgresql`), or set DYAD_SKIP_PG=1 to skip.")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """initdb + pg_ctl start in a temporary directory; `stop()` removes everything."""

    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.as_root = os.geteuid() == 0
        self.base = Path(tempfile.mkdtemp(prefix="dyad-pg-"))
        self.data = self.base / "data"
        self.sock = self.base / "sock"
        self.log = self.base / "server.log"
        self.port: Optional[int] = None
        self.running = False

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if self.as_root else list(args)

    def _run(self, *args: str, timeout: float = 60) -> None:
        proc = subprocess.run(self._cmd(*args), capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise PostgresUnavailable(
                f"`{' '.join(args)}` failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")

    def start(self) -> "PostgresServer":
        self.sock.mkdir()
        if self.as_root:
            import pwd

            try:
                pw = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise PostgresUnavailable("running as root but there is no `postgres` OS user to run "
                                          "the server as (the Debian package creates it)") from exc
            for p in (self.base, self.sock):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        if self.as_root:
            os.chown(self.base, pw.pw_uid, pw.pw_gid)
        last = None
        for _ in range(5):  # the port can be taken between choosing and binding it
            self.port = _free_port()
            opts = (f"-p {self.port} -k {self.sock} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off "
                    f"-c full_page_writes=off -c max_connections=50")
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                          "-o", opts, "-w", "-t", "60", "start", timeout=90)
                self.running = True
                return self
            except PostgresUnavailable as exc:
                last = exc
                try:
                    last = PostgresUnavailable(f"{exc}\n{self.log.read_text()[-2000:]}")
                except OSError:
                    pass
        raise last  # type: ignore[misc]

    def url(self, dbname: str = "postgres", schema: Optional[str] = None) -> str:
        url = f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"
        if schema:
            url += "?options=" + quote(f"-csearch_path={schema}")
        return url

    def fresh_schema(self) -> str:
        """A new empty schema; the URL selects it through search_path."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE SCHEMA {name}")
        return self.url(schema=name)

    def stop(self) -> None:
        if self.running:
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except Exception:
                pass
            self.running = False
        for _ in range(20):  # the server may still be removing its pid and socket files
            shutil.rmtree(self.base, ignore_errors=True)
            if not self.base.exists():
                break
            time.sleep(0.1)


_SERVER: Optional[PostgresServer] = None
_FAILED: Optional[str] = None


def get_server() -> PostgresServer:
    """The session's server, started on first use and stopped when the test process exits."""
    global _SERVER, _FAILED
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{SKIP_ENV}=1: PostgreSQL tests skipped on request")
    if _FAILED:
        pytest.fail(f"PostgreSQL could not be started: {_FAILED}", pytrace=False)
    if _SERVER is None:
        server = PostgresServer()
        try:
            server.start()
        except Exception as exc:
            server.stop()
            _FAILED = str(exc)
            pytest.fail(f"PostgreSQL could not be started: {exc}", pytrace=False)
        atexit.register(server.stop)
        _SERVER = server
    return _SERVER


@pytest.fixture(scope="session")
def pg_server(request) -> PostgresServer:
    server = get_server()
    request.addfinalizer(server.stop)  # at the end of the session, also after failures (atexit as backstop)
    return server


@pytest.fixture()
def pg_url(pg_server: PostgresServer) -> str:
    """A URL to an empty PostgreSQL store (a fresh schema) for one test."""
    return pg_server.fresh_schema()


if __name__ == "__main__":  # start a server by hand: python tests/pg.py
    s = PostgresServer().start()
    print(s.url())
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        s.stop()

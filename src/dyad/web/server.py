"""Running the web app in a background thread (browser tests, screenshots)."""
from __future__ import annotations

import socket
import threading
import time
from typing import Any, Optional


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class BackgroundServer:
    """`with BackgroundServer(db) as url:` serves the store on a free loopback port until the block ends."""

    def __init__(self, db: str, host: str = "127.0.0.1", port: Optional[int] = None, app: Any = None) -> None:
        self.db = db
        self.app = app  # a ready app (dyad.web.live passes one with its own opener)
        self.host = host
        self.port = port or free_port(host)
        self.url = f"http://{host}:{self.port}"
        self._server = None
        self._thread: Optional[threading.Thread] = None

    def start(self, timeout: float = 20.0) -> str:
        import uvicorn

        from dyad.web.app import create_app

        config = uvicorn.Config(self.app or create_app(self.db), host=self.host, port=self.port, log_level="warning",
                                access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="dyad-web", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the web server did not start on {self.url}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the web server did not start on {self.url} within {timeout}s")
            time.sleep(0.02)
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

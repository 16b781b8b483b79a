"""The dyad web page and JSON API over a store, read-only and offline.

`create_app(db)` builds a FastAPI app for one store (a DuckDB file or a
postgresql:// URL). Each request opens its own read-only connection and closes
it afterwards. DuckDB lets no other process open a file a writer holds, so while
`dyad run` writes, the run itself serves its last committed state on a private
loopback port and this app forwards to it (dyad.web.live); with no run to ask,
pages answer 503 with a plain explanation.

Every asset is served from the installed packages (our CSS/JS, and plotly.js
from the `plotly` package): no CDN, nothing fetched from the internet, and no
file path is ever taken from a request.
"""
from __future__ import annotations

import gzip
import logging
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, Optional

import jinja2
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from dyad import __version__
from dyad.store import Store, StoreError, open_store
from dyad.web import fmt

log = logging.getLogger("dyad.web")

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


# The only files served: a fixed name → (path, media type) table.
def _assets() -> dict[str, tuple[Path, str]]:
    return {
        "dyad.css": (STATIC / "dyad.css", "text/css; charset=utf-8"),
        "dyad.js": (STATIC / "dyad.js", "text/javascript; charset=utf-8"),
        "plotly.min.js": (_plotly_js(), "text/javascript; charset=utf-8"),
    }


@lru_cache(maxsize=8)
def _gzipped(path: Path) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")


class StoreUnavailable(Exception):
    locked = False  # a DuckDB file another process holds


class Forwarded(Exception):
    """The answer of the running `dyad run` to this request (dyad.web.live)."""

    def __init__(self, response: Response) -> None:
        self.response = response


LOCK_WAIT = 5.0  # seconds a request waits through a run's start or end (lock held, no reader yet)


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,  # on for every template, whatever its extension
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    fmt.register(env)
    env.globals["version"] = __version__
    return Jinja2Templates(env=env)


def open_reader(db: str) -> Store:
    """A read-only connection to the store at `db`; StoreUnavailable says why there is none."""
    try:
        store = open_store(db, read_only=True)
    except StoreError as exc:
        msg = str(exc)
        locked = "://" not in db and Path(db).exists()  # DuckDB allows no reader beside a writer
        if locked:
            msg += " (Another process holds this DuckDB file and serves no reads: reload when it is done.)"
        error = StoreUnavailable(msg)
        error.locked = locked
        raise error from exc
    except Exception as exc:  # e.g. a file that is not a DuckDB database
        raise StoreUnavailable(f"cannot open the store {fmt.redact(db)}: {exc}") from exc
    try:
        store.get_meta("schema_version")
    except Exception as exc:
        store.close()
        raise StoreUnavailable(f"{fmt.redact(db)} is not a dyad store (no dyad tables in it)") from exc
    return store


def _open_or_forward(request: Request) -> Store:
    """Open the store; while a `dyad run` holds the DuckDB file, get its answer instead
    (raised as Forwarded). Starting and ending, a run holds the file a moment with no
    reader announced: wait through that rather than answer 503."""
    from dyad.web import live

    app = request.app
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            return app.state.opener()
        except StoreUnavailable as exc:
            if not exc.locked or not app.state.forwards:
                raise
            url = live.live_url(app.state.db)
            if url is not None:
                answer = live.forward(url, request)
                if answer is not None:
                    raise Forwarded(answer) from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def get_store(request: Request) -> Iterator[Store]:
    """A read-only store connection for one request (`app.state.opener` makes it)."""
    store = _open_or_forward(request)
    try:
        yield store
    finally:
        store.close()


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def create_app(db: str, opener: Optional[Callable[[], Store]] = None) -> FastAPI:
    """The web app over the store at `db` (DuckDB path or postgresql:// URL).

    `opener` makes each request's read connection; by default a read-only connection of
    its own. `dyad run` passes one that reads through its own database instance
    (dyad.web.live), so the page it hosts sees every committed batch."""
    from dyad.web import api, downloads, pages

    app = FastAPI(
        title="dyad",
        version=__version__,
        description="Read-only JSON API over a dyad store: PLOVER events with their evidence, "
                    "documents, resolved actors, dyads and contradicting claims.",
        docs_url=None,  # the Swagger/Redoc pages load assets from a CDN: not offline
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.db = db
    app.state.opener = opener or (lambda: open_reader(db))
    app.state.forwards = opener is None  # the run's own app never forwards
    app.state.templates = make_templates()
    assets = _assets()

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str, request: Request) -> Response:
        if name not in assets:
            raise HTTPException(404, "no such asset")
        path, media = assets[name]
        headers = {"Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", "").lower():
            # plotly.min.js is 4.8 MB and about a third of that gzipped: compressed once, kept
            return Response(_gzipped(path), media_type=media, headers={**headers, "Content-Encoding": "gzip"})
        return FileResponse(path, media_type=media, headers=headers)

    def error_page(request: Request, status: int, title: str, detail: str) -> Response:
        if is_api(request):
            return JSONResponse({"detail": detail}, status_code=status)
        return app.state.templates.TemplateResponse(
            request, "error.html", {"status": status, "title": title, "detail": detail}, status_code=status)

    @app.exception_handler(Forwarded)
    async def forwarded(request: Request, exc: Forwarded) -> Response:
        return exc.response

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(request: Request, exc: StoreUnavailable) -> Response:
        return error_page(request, 503, "The store cannot be opened", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {404: "Not found", 405: "Method not allowed"}
        return error_page(request, exc.status_code, titles.get(exc.status_code, "Error"), str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_params(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
                  for e in exc.errors()]
        if is_api(request):
            return JSONResponse({"detail": errors}, status_code=422)
        detail = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in errors)
        return error_page(request, 422, "Bad parameters", detail)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        return error_page(request, 500, "Something went wrong",
                          f"{type(exc).__name__}: {exc}. Is this a dyad store made by this version?")

    app.include_router(api.router)
    app.include_router(downloads.router)  # before pages: /doc/{id:path} would take /doc/x/events.csv
    app.include_router(pages.router)
    return app

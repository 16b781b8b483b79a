"""`dyad serve`: the web page and JSON API over a store (registered in dyad.cli)."""
from __future__ import annotations

import typer

from dyad.store import DEFAULT_DB


def serve_command(
    db: str = typer.Option(DEFAULT_DB, "--db", help="Store to show: a DuckDB file path or a postgresql:// URL."),
    port: int = typer.Option(8000, "--port", "-p", min=0, max=65535, help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; the default serves this machine only."),
) -> None:
    """Serve a read-only web page and JSON API over the store (offline, loopback by default)."""
    from rich.console import Console

    from dyad.store import StoreError, open_store

    err = Console(stderr=True)
    try:  # fail now, clearly, rather than on the first page load
        with open_store(db, read_only=True) as store:
            counts = store.counts()
    except StoreError as exc:
        err.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(1)
    except Exception as exc:
        err.print(f"[bold red]error:[/] cannot read this store as a dyad store: {exc}")
        raise typer.Exit(1)

    import uvicorn

    from dyad.web.app import create_app
    from dyad.web.fmt import redact

    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    err.print(f"dyad: {counts['documents']} documents, {counts['events']} events in {redact(db)}")
    err.print(f"serving on [bold]http://{shown}:{port}/[/]  (JSON API under /api/, OpenAPI at /openapi.json; Ctrl-C stops)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]note:[/] listening on {host}: other machines can read this store")
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning", access_log=False)

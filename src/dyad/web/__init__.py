"""The web page and JSON API over a dyad store (`dyad serve`).

    from dyad.web.app import create_app      # FastAPI app over one store, read-only
    from dyad.web.cli import serve_command   # the `dyad serve` command
    from dyad.web.server import BackgroundServer  # serve in a thread (tests, screenshots)

Modules: app (factory, errors, assets), pages (HTML), api (JSON under /api/),
queries (portable read-only SQL over a Store), highlight (cutting text at
offsets for escaped highlighting), charts (Plotly specs), fmt (display helpers).
"""

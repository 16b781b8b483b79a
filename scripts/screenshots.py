#!/usr/bin/env python
"""Screenshots of the web page for the README: docs/img/home.png and docs/img/dyad.png.

    .venv/bin/python scripts/screenshots.py              # codes examples/demo into a temporary store
    .venv/bin/python scripts/screenshots.py --db out/demo.duckdb

Serves the store on a free loopback port and drives Debian's Chromium headless
through Playwright (no browser download, no network).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def build_demo_store(path: Path, model: str) -> str:
    from dyad.pipeline import run
    from dyad.store import open_store

    with open_store(str(path)) as store:
        summary = run([str(ROOT / "examples" / "demo")], store, model=model)
    print(f"coded {summary.processed} demo documents: {summary.events} events", file=sys.stderr)
    return str(path)


def capture(browser, url: str, out: Path, dyad: str = "IRN/AFG", width: int = 1360,
            max_height: int = 1700) -> list[Path]:
    """Screenshot the home page and one dyad page of the server at `url` into `out`.

    `browser` is a Playwright Browser or BrowserContext (anything with `new_page()`).
    """
    out.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    written = []
    try:
        for name, path in (("home.png", "/"), ("dyad.png", "/dyad/" + dyad.strip("/"))):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            if page.locator("div.chart").count():
                page.wait_for_selector("div.chart svg.main-svg", timeout=15000)
            page.wait_for_timeout(300)  # let Plotly finish its transitions
            height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
            target = out / name
            page.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
            written.append(target)
    finally:
        page.close()
    return written


def main(argv: list[str] | None = None) -> int:
    from dyad.nlp import DEFAULT_MODEL

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="an existing store (default: code examples/demo into a temporary one)")
    ap.add_argument("--out", default=str(ROOT / "docs" / "img"), help="folder for the PNG files")
    ap.add_argument("--dyad", default="IRN/AFG", help="the dyad page to capture, as A/B")
    ap.add_argument("--model", default=DEFAULT_MODEL, help="spaCy pipeline for coding the demo corpus")
    ap.add_argument("--width", type=int, default=1360)
    ap.add_argument("--max-height", type=int, default=1700, help="cut long pages at this height (pixels)")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from dyad.web.server import BackgroundServer

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or build_demo_store(Path(tmp) / "demo.duckdb", args.model)
        with BackgroundServer(db) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for target in capture(browser, url, Path(args.out), args.dyad, args.width, args.max_height):
                    print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

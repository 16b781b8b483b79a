"""The web page in headless Chromium (Debian's package, driven by Playwright), on the demo corpus.

One browser and one server per session; every request the page makes is
checked to stay on the loopback server (nothing from a CDN or the internet).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo"
CHROMIUM = os.environ.get("DYAD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The demo corpus, coded into a temporary DuckDB store."""
    from dyad.nlp import DEFAULT_MODEL
    from dyad.pipeline import run
    from dyad.store import open_store

    if not DEMO.is_dir():
        pytest.fail(f"the demo corpus is missing: {DEMO}")
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with open_store(str(path)) as store:
        run([str(DEMO)], store, model=DEFAULT_MODEL)
        assert store.counts()["events"] > 0, "the demo corpus yields no events"
    return str(path)


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory):
    from test_web_samples import build_sample_store

    return build_sample_store(tmp_path_factory.mktemp("hostile") / "sample.duckdb")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (make test installs it: scripts/system-deps.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def demo_url(demo_db):
    from dyad.web.server import BackgroundServer

    with BackgroundServer(demo_db) as url:
        yield url


@pytest.fixture(scope="session")
def hostile_url(hostile_db):
    from dyad.web.server import BackgroundServer

    with BackgroundServer(hostile_db) as url:
        yield url


class Watched:
    """A page that records console errors, script errors, dialogs and off-server requests."""

    def __init__(self, page, base: str) -> None:
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)

        # (a listener, not page.route: routing would switch off the HTTP cache)
        page.on("request", lambda r: r.url.startswith((base + "/", "data:")) or self.foreign.append(r.url))


@pytest.fixture(scope="session")
def context(browser):
    """One browser context for the session, so plotly.js is fetched and compiled once."""
    ctx = browser.new_context(viewport={"width": 1360, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture()
def demo_page(context, demo_url):
    page = context.new_page()
    page.set_default_timeout(15000)
    w = Watched(page, demo_url)
    yield page, w
    page.close()


def test_home_renders_a_chart(demo_page, demo_url):
    page, w = demo_page
    page.goto(demo_url + "/")
    assert page.locator("h1").inner_text() == "The corpus at a glance"
    page.wait_for_selector("#chart-top svg.main-svg")
    page.wait_for_selector("#chart-top .barlayer .point path")  # bars were drawn
    page.wait_for_selector("#chart-types svg.main-svg")
    assert page.locator("table.dyads tbody tr").count() > 0
    assert not w.errors and not w.foreign and not w.dialogs, (w.errors, w.foreign, w.dialogs)


def test_dyad_page_lists_events_and_evidence_click(demo_page, demo_url):
    page, w = demo_page
    page.goto(demo_url + "/dyad/IRN/AFG")
    rows = page.locator("tr.event-row")
    assert rows.count() > 0
    page.wait_for_selector("#chart-dyad svg.main-svg")
    link = rows.first.locator("a.ev-link")
    event_id = link.get_attribute("href").rsplit("/", 1)[1]
    link.click()
    page.wait_for_url("**/event/*")
    mark = page.locator("section.source.this mark.evidence")
    assert mark.count() == 1 and mark.is_visible()
    evidence = page.request.get(f"{demo_url}/api/events/{event_id}").json()["evidence"]["text"]
    assert mark.inner_text() == evidence
    # the mark sits inside its document's text, not on its own
    assert len(page.locator("section.source.this .doctext").inner_text()) > len(evidence)
    assert not w.errors and not w.foreign, (w.errors, w.foreign)


def test_dyad_filter_form(demo_page, demo_url):
    page, w = demo_page
    page.goto(demo_url + "/dyad/IRN/AFG")
    shown = page.locator("tr.event-row .badge").all_inner_texts()
    wanted = sorted(set(shown))[0]  # a type this dyad has
    page.select_option("form.filters select[name=type]", wanted)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(f"**type={wanted}**")
    badges = page.locator("tr.event-row .badge").all_inner_texts()
    assert badges and set(badges) <= {wanted}
    assert not w.errors, w.errors


def test_document_page_highlights(demo_page, demo_url):
    page, w = demo_page
    page.goto(demo_url + "/events")
    page.locator("tr.event-row a.ev-link").first.click()
    page.wait_for_url("**/event/*")
    page.locator("section.source.this h3 a").first.click()
    page.wait_for_url("**/doc/*")
    assert page.locator(".doctext mark.evidence").count() >= 1
    assert page.locator(".doctext .hl.mention").count() >= 1
    assert not w.errors and not w.foreign, (w.errors, w.foreign)


def test_hostile_text_never_runs(context, hostile_url):
    page = context.new_page()
    page.set_default_timeout(15000)
    w = Watched(page, hostile_url)
    try:
        for path in ("/", "/dyad/IRN/AFG", "/dyad/IRN/PAK", "/events", "/event/ev-hostile", "/doc/feed%2Fitem%207",
                     "/documents", "/actor/ent-taliban", "/actors", "/contradictions"):
            page.goto(hostile_url + path)
            page.wait_for_load_state("load")
            assert page.locator("img").count() == 0, path
        page.goto(hostile_url + "/doc/feed%2Fitem%207")
        assert "<script>alert(1)</script>" in page.locator(".doctext").inner_text()
        assert not w.dialogs, w.dialogs
        assert not w.foreign, w.foreign  # the img src=x was never requested either
        assert not w.errors, w.errors
    finally:
        page.close()


def test_clicking_a_chart_bar_filters_the_timeline(demo_page, demo_url):
    page, w = demo_page
    page.goto(demo_url + "/dyad/IRN/AFG?per=month")
    bar = page.locator("#chart-dyad .barlayer .point path").first
    bar.wait_for()
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**date_from=*")
    assert page.locator("tr.event-row").count() > 0
    month = page.locator("form.filters input[name=date_from]").input_value()
    assert len(month) == 7  # one month, e.g. 2021-09
    assert page.locator("form.filters input[name=date_to]").input_value() == month
    dates = page.locator("tr.event-row td .when").all_inner_texts()
    assert any(month in d for d in dates), (month, dates)
    assert not w.errors, w.errors


def test_screenshot_command(context, hostile_url, tmp_path):
    """scripts/screenshots.py (the README's images) works; here on the small store, in the session's browser."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("dyad_screenshots", ROOT / "scripts" / "screenshots.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    written = mod.capture(context, hostile_url, tmp_path, "IRN/AFG")
    assert [p.name for p in written] == ["home.png", "dyad.png"]
    for p in written:
        data = p.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, p.name

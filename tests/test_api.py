"""The JSON API and the server-rendered pages, through FastAPI's TestClient on a hand-made store."""
from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from test_web_samples import HOSTILE_ID, XSS_IMG, XSS_SCRIPT, build_empty_store, build_sample_store

from dyad.web.app import create_app
from dyad.web.queries import MAX_LIMIT


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    return build_sample_store(tmp_path_factory.mktemp("web") / "sample.duckdb")


@pytest.fixture(scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, sample_db):
    """The sample store in each backend: the web code is portable SQL only."""
    if request.param == "duckdb":
        return sample_db
    from pg import get_server

    return build_sample_store(get_server().fresh_schema())


@pytest.fixture(scope="module")
def client(store_url):
    with TestClient(create_app(store_url), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def empty_client(tmp_path_factory):
    db = build_empty_store(tmp_path_factory.mktemp("web") / "empty.duckdb")
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


def get_json(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


# ------------------------------------------------------------------ API endpoints
def test_events_all_and_contract_shape(client):
    data = get_json(client, "/api/events")
    assert data["total"] == 7 and data["limit"] == 100 and data["offset"] == 0
    ev = next(e for e in data["events"] if e["event_id"] == "ev-visit-a")
    assert ev["event_type"] == "CONSULT" and ev["mode"] == "visit"
    assert ev["cluster_id"] == "cl-visit" and sorted(ev["sources"]) == ["doc-visit-a", "doc-visit-b"]
    assert ev["actor"][0]["entity_id"] == "ent-muttaqi"  # filled from the fusion tables
    assert ev["date"] == {"text": "Saturday", "start": "2022-01-08", "end": None, "granularity": "day",
                          "kind": "exact"}
    assert ev["evidence"]["text"].startswith("Taliban Foreign Minister")
    for key in ("event_id", "doc_id", "cluster_id", "sources", "event_type", "actor", "recipient", "modality",
                "date", "location", "evidence", "score", "confidence"):
        assert key in ev


@pytest.mark.parametrize("query,expected", [
    ("type=CONSULT", {"ev-visit-a", "ev-visit-b"}),
    ("type=ASSAULT", {"ev-clash"}),
    ("actor=IRN", {"ev-recognise", "ev-clash", "ev-aid", "ev-hostile"}),
    ("actor=Amir%20Khan%20Muttaqi", {"ev-visit-a", "ev-visit-b"}),
    ("recipient=Taliban", {"ev-recognise", "ev-clash"}),
    ("country=PAK", {"ev-mediate"}),
    ("date_from=2022-02&date_to=2022", {"ev-aid", "ev-hostile"}),
    ("date_to=2021-12", {"ev-clash"}),
    ("date_from=2022-01-08&date_to=2022-01-08", {"ev-visit-a", "ev-visit-b"}),
    ("modality=intended", {"ev-mediate"}),
    ("doc_id=feed/item%207", {"ev-hostile", "ev-mediate"}),
    ("type=CONSULT&one_per_cluster=true", {"ev-visit-a"}),
    ("entity=ent-muttaqi", {"ev-visit-a", "ev-visit-b"}),
    ("entity=ent-taliban", {"ev-hostile"}),  # by linked mention spans, not by name
    ("entity=ent-iran", set()),
    ("actor=100%25", set()),  # LIKE wildcards in a value are literal
    ("actor=_", set()),
])
def test_event_filters(client, query, expected):
    data = get_json(client, "/api/events?" + query)
    assert {e["event_id"] for e in data["events"]} == expected
    assert data["total"] == len(expected)


def test_event_paging(client):
    first = get_json(client, "/api/events?limit=3")
    assert len(first["events"]) == 3 and first["total"] == 7
    second = get_json(client, "/api/events?limit=3&offset=3")
    third = get_json(client, "/api/events?limit=3&offset=6")
    ids = [e["event_id"] for p in (first, second, third) for e in p["events"]]
    assert len(ids) == 7 == len(set(ids))
    assert get_json(client, "/api/events?offset=100")["events"] == []
    assert get_json(client, f"/api/events?limit={MAX_LIMIT}")["limit"] == MAX_LIMIT


@pytest.mark.parametrize("query", [
    f"limit={MAX_LIMIT + 1}", "limit=0", "limit=-1", "limit=abc", "offset=-1", "offset=99999999999",
    "date_from=yesterday", "date_to=2022-1-5", "date_from=2022-03&date_to=2022-01", "country=iran", "country=IRAN",
    "type=consult", "type=" + "A" * 40, "modality=ASSERTED", "actor=" + "x" * 300, "one_per_cluster=maybe",
])
def test_bad_parameters_are_422(client, query):
    data = get_json(client, "/api/events?" + query, status=422)
    assert "detail" in data


def test_unknown_entity_filter_is_404(client):
    get_json(client, "/api/events?entity=ent-nobody", status=404)


def test_event_by_id_and_cluster(client):
    ev = get_json(client, "/api/events/ev-visit-b")
    assert ev["event_id"] == "ev-visit-b" and ev["cluster_id"] == "cl-visit"
    assert {c["doc_id"] for c in ev["cluster"]} == {"doc-visit-a", "doc-visit-b"}
    assert get_json(client, "/api/events/nope", status=404)["detail"]


def test_documents(client):
    data = get_json(client, "/api/documents")
    assert data["total"] == 5
    assert all("text" not in d for d in data["documents"])
    broken = get_json(client, "/api/documents?errors=true")["documents"]
    assert [d["doc_id"] for d in broken] == ["doc-broken"] and broken[0]["error"]
    assert get_json(client, "/api/documents?errors=false")["total"] == 4
    assert get_json(client, "/api/documents?q=tehran")["documents"][0]["doc_id"] == "doc-visit-a"
    assert len(get_json(client, "/api/documents?limit=2")["documents"]) == 2
    get_json(client, f"/api/documents?limit={MAX_LIMIT + 1}", status=422)
    doc = get_json(client, "/api/documents/doc-visit-a")
    assert doc["text"].startswith("Taliban Foreign Minister") and doc["publisher"] == "Kabul Ledger"
    assert doc["removed"][0]["kind"] == "related_links"
    assert "source" not in doc  # no file paths of the coding machine
    hostile = get_json(client, "/api/documents/feed%2Fitem%207")
    assert hostile["doc_id"] == HOSTILE_ID and XSS_SCRIPT in hostile["text"]  # JSON carries text as data
    get_json(client, "/api/documents/missing", status=404)


def test_entities(client):
    data = get_json(client, "/api/entities")
    assert data["total"] == 3 and data["entities"][0]["entity_id"] == "ent-muttaqi"
    assert get_json(client, "/api/entities?q=muttaqi")["total"] == 1
    assert get_json(client, "/api/entities?country=IRN")["entities"][0]["name"] == "Iran"
    ent = get_json(client, "/api/entities/ent-muttaqi")
    assert ent["aliases"] == ["Amir Khan Muttaqi", "Muttaqi", "acting foreign minister"]
    assert ent["mentions_total"] == 2 and {m["doc_id"] for m in ent["mentions"]} == {"doc-visit-a", "doc-visit-b"}
    assert ent["dyads"][0]["other"] == "IRN" and ent["dyads"][0]["events"] == 2
    get_json(client, "/api/entities/ent-nobody", status=404)


def test_dyads_and_series(client):
    dyads = get_json(client, "/api/dyads")["dyads"]
    top = dyads[0]
    assert (top["a"], top["b"]) == ("AFG", "IRN") and top["events"] == 6
    assert top["cooperation"] == 18.0 and top["conflict"] == -14.0
    assert {(d["a"], d["b"]) for d in dyads} == {("AFG", "IRN"), ("IRN", "PAK")}
    assert len(get_json(client, "/api/dyads?limit=1")["dyads"]) == 1
    get_json(client, "/api/dyads?limit=0", status=422)
    ser = get_json(client, "/api/dyads/IRN/AFG/series")
    months = {s["period"]: s for s in ser["series"]}
    assert months["2021-12"]["conflict"] == -9.0
    assert months["2022-01"]["events"] == 2  # the visit counted once (one cluster) plus the rejection
    assert months["2022-01"]["cooperation"] == 4.0
    weeks = get_json(client, "/api/dyads/IRN/AFG/series?per=week")["series"]
    assert all(re.match(r"^\d{4}-\d{2}-\d{2}$", w["period"]) for w in weeks)
    get_json(client, "/api/dyads/IRN/AFG/series?per=decade", status=422)
    get_json(client, "/api/dyads/IRN/Nobody%20Known/series", status=404)
    by_entity = get_json(client, "/api/dyads/ent-muttaqi/IRN/series")
    assert by_entity["a"]["value"] == "Amir Khan Muttaqi" and by_entity["series"][0]["events"] == 1


def test_contradictions_and_stats(client):
    data = get_json(client, "/api/contradictions")
    assert data["total"] == 2
    border = next(c for c in data["contradictions"] if c["subject"] == "border length|AFG|IRN")
    assert sorted(c["value"] for c in border["claims"]) == [921.0, 945.0]
    stats = get_json(client, "/api/stats")
    assert stats["counts"]["documents"] == 5 and stats["counts"]["events"] == 7
    assert stats["counts"]["rejected"] == 1 and stats["actors"] == 3
    assert stats["event_dates"] == {"first": "2021-12-01", "last": "2022-03-01"}
    assert {t["event_type"] for t in stats["event_types"]} >= {"CONSULT", "ASSAULT", "AID"}


def test_openapi(client):
    spec = get_json(client, "/openapi.json")
    paths = spec["paths"]
    for p in ("/api/events", "/api/events/{event_id}", "/api/documents", "/api/documents/{doc_id}",
              "/api/entities", "/api/dyads", "/api/contradictions", "/api/stats"):
        assert p in paths, p
    assert not any(p.startswith(("/doc/", "/dyad/")) for p in paths)  # pages are not API
    names = {prm["name"] for prm in paths["/api/events"]["get"]["parameters"]}
    assert {"type", "actor", "recipient", "country", "date_from", "date_to", "modality", "doc_id", "limit",
            "offset"} <= names


def test_unknown_api_path_is_json_404(client):
    assert get_json(client, "/api/nothing-here", status=404)["detail"]


def test_no_cdn_docs_pages(client):
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


# ------------------------------------------------------------------ pages
PAGES = ["/", "/dyad/IRN/AFG", "/dyad/AFG/IRN?type=CONSULT", "/dyad/ent-muttaqi/IRN", "/dyad/Taliban/IRN",
         "/events", "/events?country=PAK", "/event/ev-visit-a", "/event/ev-hostile", "/documents",
         "/documents?errors=yes", "/doc/doc-visit-a", "/doc/feed%2Fitem%207", "/doc/doc-broken", "/actors",
         "/actor/ent-muttaqi", "/actor/ent-taliban", "/contradictions"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.text[-800:]
    assert r.headers["content-type"].startswith("text/html")
    assert "<nav" in r.text and "Something went wrong" not in r.text
    assert "Content-Security-Policy" in r.headers


@pytest.mark.parametrize("url", ["/", "/dyad/IRN/AFG", "/events", "/documents", "/actors", "/contradictions",
                                 "/api/events", "/api/documents", "/api/entities", "/api/dyads",
                                 "/api/contradictions", "/api/stats"])
def test_empty_store_renders(empty_client, url):
    r = empty_client.get(url)
    assert r.status_code == 200, r.text[-800:]


def test_empty_home_says_what_to_do(empty_client):
    r = empty_client.get("/")
    assert "No events yet" in r.text and "dyad run" in r.text


@pytest.mark.parametrize("url", ["/event/nope", "/doc/nope", "/actor/nope", "/dyad/IRN/Nobody%20Known",
                                 "/no/such/page"])
def test_unknown_ids_are_404_pages(client, url):
    r = client.get(url)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "Not found" in r.text


@pytest.mark.parametrize("url", ["/dyad/IRN/AFG?date_from=soon", "/dyad/IRN/AFG?type=%3Cscript%3E",
                                 "/events?offset=-5", "/events?country=iran", "/dyad/IRN/AFG?per=century",
                                 "/events?date_from=2023&date_to=2021"])
def test_bad_page_parameters_are_422(client, url):
    r = client.get(url)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "<script>" not in r.text


def test_empty_form_fields_mean_no_filter(client):
    r = client.get("/dyad/IRN/AFG?type=&date_from=&date_to=&modality=&per=")
    assert r.status_code == 200 and "6 events" not in r.text  # the visit is listed once: 5 rows
    assert r.text.count('class="event-row"') == 5


def test_dyad_form_redirects(client):
    r = client.get("/dyad?a=IRN&b=AFG", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/dyad/IRN/AFG"


def test_dyad_page_filters_and_precision(client):
    r = client.get("/dyad/IRN/AFG")
    assert "2021-12" in r.text and ">month<" in r.text  # the clash, known to the month
    assert 'id="chart-dyad"' in r.text and "application/json" in r.text
    r = client.get("/dyad/IRN/AFG?type=ASSAULT")
    assert r.text.count('class="event-row"') == 1 and "Islam Qala" in r.text


def test_event_page_marks_evidence_in_each_source(client):
    r = client.get("/event/ev-visit-a")
    marks = re.findall(r'<mark class="evidence"[^>]*>(.*?)</mark>', r.text, re.S)
    assert len(marks) == 2
    assert marks[0].startswith("Taliban Foreign Minister Amir Khan Muttaqi travelled to Tehran")
    assert marks[1].startswith("Afghanistan&#39;s acting foreign minister Muttaqi met")


def test_document_page_highlights(client):
    r = client.get("/doc/doc-visit-a")
    assert re.search(r'<mark class="evidence"[^>]*>Taliban Foreign Minister <a class="hl mention" '
                     r'href="/actor/ent-muttaqi"[^>]*>Amir Khan Muttaqi</a>', r.text)
    assert '<span class="hl date"' in r.text and '<span class="hl claim"' in r.text
    assert "<del>Read more: Weather in Kabul</del>" in r.text


# ------------------------------------------------------------------ hostile text
HOSTILE_PAGES = ["/", "/dyad/IRN/AFG", "/dyad/IRN/PAK", "/events", "/event/ev-hostile", "/documents",
                 "/doc/feed%2Fitem%207", "/actors", "/actor/ent-taliban", "/contradictions", "/dyad/ent-taliban/IRN"]


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_hostile_text_is_escaped(client, url):
    r = client.get(url)
    assert r.status_code == 200
    html = r.text
    assert "<script>alert" not in html
    assert "<img" not in html and "onerror=alert(1)>" not in html.replace("&gt;", "")
    assert "<b onmouseover" not in html
    assert 'href="javascript:' not in html.lower()
    # every <script> on our pages is ours: external files or JSON data
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag


def test_hostile_text_shows_as_text(client):
    html = client.get("/doc/feed%2Fitem%207").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_chart_json_cannot_close_its_script(client):
    html = client.get("/dyad/IRN/PAK").text
    for body in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S):
        assert "<" not in body
        json.loads(body)


def test_api_returns_json_for_hostile_text(client):
    r = client.get("/api/events?doc_id=feed/item%207")
    assert r.headers["content-type"] == "application/json"
    names = [p["name"] for e in r.json()["events"] for p in e["actor"] + e["recipient"]]
    assert f"Iran {XSS_SCRIPT}" in names and f"Taliban{XSS_IMG}" in names


# ------------------------------------------------------------------ robustness
def test_static_assets_are_a_fixed_list(client):
    r = client.get("/static/plotly.min.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert len(r.content) > 1_000_000
    assert client.get("/static/dyad.css").status_code == 200
    for bad in ("/static/..%2Fapp.py", "/static/../app.py", "/static/app.py", "/static/%2Fetc%2Fpasswd",
                "/static/templates/base.html"):
        assert client.get(bad).status_code == 404, bad


def test_pages_use_no_external_resources(client):
    for url in ("/", "/dyad/IRN/AFG", "/event/ev-visit-a", "/doc/doc-visit-a"):
        html = client.get(url).text
        for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert ref.startswith(("/", "#", "?")) or ref in ("data:,", "https://example.org/muttaqi-tehran"), ref


def test_store_is_opened_read_only(sample_db):
    from dyad.store import open_store

    app = create_app(sample_db)
    with TestClient(app) as c:
        assert c.get("/api/stats").status_code == 200
    # the server holds no connection between requests: a writer can open the file
    with open_store(sample_db) as store:
        assert store.counts()["events"] == 7


def test_missing_store_is_a_clear_503(tmp_path):
    with TestClient(create_app(str(tmp_path / "absent.duckdb")), raise_server_exceptions=False) as c:
        r = c.get("/")
        assert r.status_code == 503 and "dyad run" in r.text
        assert c.get("/api/stats").status_code == 503
        assert "detail" in c.get("/api/stats").json()
    assert not (tmp_path / "absent.duckdb").exists()


def test_locked_store_is_a_clear_503(tmp_path):
    import subprocess
    import sys
    import textwrap

    db = build_sample_store(tmp_path / "locked.duckdb")
    # another process holds the file for writing, as `dyad run` does
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, duckdb
        con = duckdb.connect({db!r})
        print("ready", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with TestClient(create_app(db), raise_server_exceptions=False) as c:
            r = c.get("/dyad/IRN/AFG")
            assert r.status_code == 503 and "writing" in r.text
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)


def test_serve_command_signature():
    import inspect

    from dyad.web.cli import serve_command

    params = inspect.signature(serve_command).parameters
    assert list(params) == ["db", "port", "host"]
    assert params["host"].default.default == "127.0.0.1"


def test_serve_command_fails_clearly_without_store(tmp_path):
    import typer
    from typer.testing import CliRunner

    app = typer.Typer()
    app.command()(serve_command_ref())
    res = CliRunner().invoke(app, ["--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 1 and "dyad run" in res.output


def serve_command_ref():
    from dyad.web.cli import serve_command

    return serve_command


def test_not_a_dyad_store_is_a_clear_503(tmp_path):
    import duckdb

    path = tmp_path / "other.duckdb"
    duckdb.connect(str(path)).close()  # a DuckDB file without dyad's tables
    with TestClient(create_app(str(path)), raise_server_exceptions=False) as c:
        r = c.get("/")
        assert r.status_code == 503 and "not a dyad store" in r.text


def test_api_docs_page_lists_endpoints(client):
    r = client.get("/api-docs")
    assert r.status_code == 200
    for p in ("/api/events", "/api/documents", "/api/entities", "/api/dyads", "/api/contradictions", "/api/stats"):
        assert f"GET {p}" in r.text


def test_serve_command_serves_on_loopback(sample_db):
    """`dyad serve` as the CLI runs it: a real server process on 127.0.0.1."""
    import shutil
    import subprocess
    import sys
    import time

    import httpx

    from dyad.web.server import free_port

    port = free_port()
    code = ("import typer; from dyad.web.cli import serve_command; "
            "app = typer.Typer(); app.command()(serve_command); app()")
    proc = subprocess.Popen([sys.executable, "-c", code, "--db", sample_db, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "dyad serve did not start"
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["counts"]["events"] == 7
        if shutil.which("ss"):  # bound to the loopback address only
            listening = [line for line in subprocess.run(["ss", "-ltn"], capture_output=True, text=True)
                         .stdout.splitlines() if f":{port} " in line]
            assert listening and all("127.0.0.1:" in line for line in listening), listening
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_actor_page_groups_mentions_by_document(client):
    html = client.get("/actor/ent-muttaqi").text
    assert "Mentioned in" in html and "2 documents" in html
    assert "“Amir Khan Muttaqi”" in html and "“Muttaqi”" in html
    assert 'href="/dyad/ent-muttaqi/IRN"' in html  # its dyad with Iran


def test_entity_dyad_follows_mention_spans(client):
    r = client.get("/dyad/ent-taliban/IRN")
    assert r.status_code == 200
    assert r.text.count('class="event-row"') == 1  # the linked "the Taliban" span only
    ser = get_json(client, "/api/dyads/ent-muttaqi/IRN/series")
    assert ser["a"] == {"kind": "entity", "value": "Amir Khan Muttaqi", "label": "Amir Khan Muttaqi",
                        "entity_id": "ent-muttaqi"}


def test_dyad_page_splits_directions(client):
    html = client.get("/dyad/IRN/AFG").text
    # Iran acts on Afghanistan in the rejection, the clash, the aid and the accusation;
    # Afghanistan on Iran in the visit (two sources, one event)
    assert re.search(r"Iran → Afghanistan: 4 events, mean <span[^>]*>-1\.0</span>", html)
    assert re.search(r"Afghanistan → Iran: 1 event, mean <span[^>]*>\+4\.0</span>", html)


def test_series_never_places_coarse_dates_in_finer_periods(client):
    weekly = get_json(client, "/api/dyads/IRN/AFG/series?per=week")
    assert weekly["not_plotted"] == 2  # the clash and the aid are known only to the month
    assert not any(w["conflict"] == -9.0 for w in weekly["series"])
    monthly = get_json(client, "/api/dyads/IRN/AFG/series?per=month")
    assert monthly["not_plotted"] == 0
    html = client.get("/dyad/IRN/AFG?per=week").text
    assert "2 dated events are known only to a coarser precision than a week" in html

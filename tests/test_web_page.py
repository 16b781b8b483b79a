"""The page as a user expects it: CSV of any event list, compressed assets, clear messages
for unknown codes, plain placeholders, and titles for untitled documents."""
from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from test_web_samples import HOSTILE_ID, build_sample_store

from dyad.model import DocResult, Document
from dyad.web.app import create_app

UNTITLED = ("The foreign ministers of Iran and Pakistan spoke by telephone on Monday about the border "
            "crossings and trade.")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from dyad.store import open_store

    db = build_sample_store(tmp_path_factory.mktemp("page") / "sample.duckdb")
    with open_store(db) as store:  # a document the input gave no title
        store.write_results([DocResult(document=Document(doc_id="a3f9c0e1d2b4", text=UNTITLED))])
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


def _csv(response) -> list[dict]:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


def test_events_page_links_a_csv_of_what_it_shows(client):
    page = client.get("/events?type=CONSULT")
    link = re.search(r'href="(/events\.csv[^"]*)"', page.text)
    assert link, "no CSV link on the events page"
    rows = _csv(client.get(link.group(1).replace("&amp;", "&")))
    # the page lists the two reports of one visit once; so does the CSV
    assert [r["event_type"] for r in rows] == ["CONSULT"]
    assert rows[0]["cluster_id"] == "cl-visit" and rows[0]["n_sources"] == "2"
    assert rows[0]["cameo"] == "042" and rows[0]["doc_title"]


def test_dyad_page_csv_follows_its_filters(client):
    page = client.get("/dyad/IRN/AFG?date_from=2021-12&date_to=2022-02")
    link = re.search(r'href="(/dyad/IRN/AFG/events\.csv[^"]*)"', page.text)
    assert link
    rows = _csv(client.get(link.group(1).replace("&amp;", "&")))
    assert rows and all("2021-12" <= r["date_start"][:7] <= "2022-02" for r in rows)
    assert {r["event_type"] for r in rows} >= {"ASSAULT", "AID"}


def test_actor_and_document_csv(client):
    rows = _csv(client.get("/actor/ent-muttaqi/events.csv"))
    assert rows and all("Muttaqi" in r["actors"] + r["recipients"] for r in rows)
    rows = _csv(client.get("/doc/doc-clash/events.csv"))
    assert {r["event_type"] for r in rows} == {"ASSAULT", "AID"}
    assert client.get("/doc/doc-clash").text.count("/doc/doc-clash/events.csv") == 1


def test_hostile_text_in_csv_is_only_text(client):
    rows = _csv(client.get("/events.csv"))
    hostile = [r for r in rows if r["doc_id"] == HOSTILE_ID]
    assert hostile and all(r["evidence"] for r in hostile)


def test_plotly_is_served_gzipped(client):
    from dyad.web.app import _plotly_js

    r = client.get("/static/plotly.min.js", headers={"Accept-Encoding": "gzip, deflate"})
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert r.headers["vary"] == "Accept-Encoding"
    assert int(r.headers["content-length"]) < 2_000_000  # 4.8 MB as it is
    assert r.content == _plotly_js().read_bytes()  # the browser unpacks the file itself
    plain = client.get("/static/dyad.css", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text.strip()


@pytest.mark.parametrize("url", ["/dyad/XXX/AFG", "/dyad/IRN/YYY", "/api/dyads/XXX/YYY/series"])
def test_unknown_codes_say_so(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert "unknown code" in r.text and "No events" not in r.text


def test_known_code_without_events_is_not_unknown(client):
    r = client.get("/dyad/FRA/AFG")  # a real country the store has nothing on
    assert r.status_code == 200 and "No events" in r.text


def test_placeholders_are_plain(client):
    page = client.get("/events").text
    holders = re.findall(r'placeholder="([^"]*)"', page)
    assert "YYYY-MM-DD" in holders
    assert not any(re.fullmatch(r"\d{4}(-\d{2})*", h) for h in holders)  # no date that looks set


def test_untitled_documents_show_their_first_words(client):
    listing = client.get("/documents").text
    assert "The foreign ministers of Iran and Pakistan spoke…" in listing
    assert ">a3f9c0e1d2b4<" not in listing
    doc = client.get("/doc/a3f9c0e1d2b4").text
    assert "<h1>The foreign ministers of Iran and Pakistan spoke…</h1>" in doc
    # the API keeps the contract: no invented title
    api = client.get("/api/documents/a3f9c0e1d2b4").json()
    assert api["title"] is None
    assert all("lead" not in d for d in client.get("/api/documents").json()["documents"])

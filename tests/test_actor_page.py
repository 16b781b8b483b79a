"""An actor page says which sector the actor had when: the Taliban are REB in a 2018 story
and GOV in a 2022 one (issue 15), not one sector for all their events."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from dyad.web.app import create_app


@pytest.fixture(scope="module")
def taliban_store(tmp_path_factory, nlp):
    from dyad.nlp import DEFAULT_MODEL
    from dyad.pipeline import run
    from dyad.store import open_store

    folder = tmp_path_factory.mktemp("taliban")
    (folder / "news.jsonl").write_text("\n".join(json.dumps(r) for r in (
        {"id": "t-2018", "published": "2018-05-02", "text": "The Taliban attacked an army checkpoint in Ghazni province on Tuesday, officials said."},
        {"id": "t-2022", "published": "2022-05-03", "text": "The Taliban detained two journalists in Kabul on Monday, their employer said."},
    )), encoding="utf-8")
    db = str(folder / "s.duckdb")
    with open_store(db) as store:
        run([str(folder / "news.jsonl")], store, model=DEFAULT_MODEL)
    return db


def test_actor_page_gives_the_sector_by_date(taliban_store):
    from dyad.store import open_store

    with open_store(taliban_store, read_only=True) as store:
        ids = [r["entity_id"] for r in store.query("SELECT entity_id FROM entities WHERE name = 'Taliban'")]
    assert len(ids) == 1
    with TestClient(create_app(taliban_store)) as client:
        page = client.get(f"/actor/{ids[0]}").text
    assert "Sector by date of its events" in page
    assert "<strong>REB</strong> 2018-05-01" in page and "<strong>GOV</strong> 2022-05-02" in page

"""A small hand-made store for the web tests (importable helper) and tests of the highlighter.

The texts are written for these tests: a few Iran–Afghanistan reports, one
document full of hostile markup (in its text, title, publisher, URL, actor
names, evidence, clutter, claims and entity aliases) and one rejected input.
"""
from __future__ import annotations

import json
from pathlib import Path

from dyad.model import (
    Claim,
    DateMention,
    DocResult,
    Document,
    Event,
    EventDate,
    Evidence,
    Location,
    Mention,
    Party,
    Removed,
)

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_ID = "feed/item 7"


def _span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i, i + len(needle)


def _party(text: str, doc_text: str, name: str, country: str, sector: str, **kw) -> Party:
    s, e = _span(doc_text, text)
    return Party(text=text, name=name, country=country, sector=sector, start=s, end=e, **kw)


def _event(doc: Document, eid: str, etype: str, sentence: str, actor: list[Party], recipient: list[Party],
           score: float, date: EventDate | None, **kw) -> Event:
    s, e = _span(doc.text, sentence)
    return Event(event_id=eid, doc_id=doc.doc_id, event_type=etype, actor=actor, recipient=recipient,
                 evidence=Evidence(sentence, s, e), score=score, date=date, **kw)


def sample_results() -> list[DocResult]:
    out: list[DocResult] = []

    # 1. a visit, told by two sources (clustered below), with a border-length claim each
    t1 = ("Taliban Foreign Minister Amir Khan Muttaqi travelled to Tehran on Saturday for talks with Iranian "
          "officials. The two delegations discussed fuel imports and trade through the Dogharoun crossing. "
          "Officials noted that the shared border is 921 kilometres long.")
    d1 = Document(doc_id="doc-visit-a", text=t1, title="Muttaqi holds talks in Tehran", publisher="Kabul Ledger",
                  published="2022-01-10", url="https://example.org/muttaqi-tehran",
                  removed=[Removed("related_links", "Read more: Weather in Kabul", 0, 27)])
    s1 = "Taliban Foreign Minister Amir Khan Muttaqi travelled to Tehran on Saturday for talks with Iranian officials."
    e1 = _event(d1, "ev-visit-a", "CONSULT", s1,
                [_party("Amir Khan Muttaqi", t1, "Amir Khan Muttaqi", "AFG", "GOV", type="PERSON")],
                [_party("Iranian officials", t1, "Iran", "IRN", "GOV")], 4.0,
                EventDate("Saturday", "2022-01-08", None, "day", "exact"), mode="visit", contexts=["diplomatic"],
                location=Location("Tehran", "IRN", 35.69, 51.42), trigger="travelled", confidence=0.8, cameo="042")
    c1s, c1e = _span(t1, "921 kilometres")
    out.append(DocResult(
        document=d1, events=[e1],
        mentions=[Mention(d1.doc_id, "Amir Khan Muttaqi", *_span(t1, "Amir Khan Muttaqi"), "PERSON",
                          "Amir Khan Muttaqi", "AFG", "GOV", "Foreign Minister"),
                  Mention(d1.doc_id, "Tehran", *_span(t1, "Tehran"), "GPE", "Tehran", "IRN")],
        dates=[DateMention(d1.doc_id, "Saturday", *_span(t1, "Saturday"), "2022-01-08", "2022-01-08", "day", "exact")],
        claims=[Claim("cl-a", d1.doc_id, "border length|AFG|IRN", 921.0, "km", "921 kilometres", c1s, c1e,
                      "Officials noted that the shared border is 921 kilometres long.")],
    ))

    t2 = ("Afghanistan's acting foreign minister Muttaqi met Iranian officials in Tehran on January 8. "
          "Iran did not recognise the Taliban government, a spokesman said. The frontier stretches 945 km.")
    d2 = Document(doc_id="doc-visit-b", text=t2, title="Afghan minister visits Iran", publisher="Gulf Wire",
                  published="2022-01-11")
    s2 = "Afghanistan's acting foreign minister Muttaqi met Iranian officials in Tehran on January 8."
    e2 = _event(d2, "ev-visit-b", "CONSULT", s2,
                [_party("Muttaqi", t2, "Amir Khan Muttaqi", "AFG", "GOV", type="PERSON")],
                [_party("Iranian officials", t2, "Iran", "IRN", "GOV")], 4.0,
                EventDate("January 8", "2022-01-08", None, "day", "exact"), mode="visit", trigger="met")
    s2b = "Iran did not recognise the Taliban government, a spokesman said."
    e2b = _event(d2, "ev-recognise", "REJECT", s2b, [_party("Iran", t2, "Iran", "IRN", "GOV")],
                 [_party("Taliban", t2, "Taliban", "AFG", "GOV")], -2.0,
                 EventDate(None, "2022-01-11", None, "day", "approximate"), negated=False, trigger="recognise")
    c2s, c2e = _span(t2, "945 km")
    out.append(DocResult(
        document=d2, events=[e2, e2b],
        mentions=[Mention(d2.doc_id, "Muttaqi", *_span(t2, "Muttaqi"), "PERSON", "Amir Khan Muttaqi", "AFG", "GOV")],
        dates=[DateMention(d2.doc_id, "January 8", *_span(t2, "January 8"), "2022-01-08", "2022-01-08", "day", "exact")],
        claims=[Claim("cl-b", d2.doc_id, "border length|AFG|IRN", 945.0, "km", "945 km", c2s, c2e,
                      "The frontier stretches 945 km.")],
    ))

    # 2. a clash known only to the month, and an aid shipment later
    t3 = ("Iranian border guards clashed with Taliban fighters near Islam Qala in December, local officials said. "
          "In February Iran sent 40 trucks of flour to Herat.")
    d3 = Document(doc_id="doc-clash", text=t3, title="Clash at Islam Qala", publisher="Herat Daily",
                  published="2022-02-20")
    s3 = "Iranian border guards clashed with Taliban fighters near Islam Qala in December, local officials said."
    e3 = _event(d3, "ev-clash", "ASSAULT", s3,
                [_party("Iranian border guards", t3, "Iran", "IRN", "MIL")],
                [_party("Taliban fighters", t3, "Taliban", "AFG", "GOV")], -9.0,
                EventDate("in December", "2021-12-01", "2021-12-31", "month", "exact"), mode="firearms")
    s3b = "In February Iran sent 40 trucks of flour to Herat."
    e3b = _event(d3, "ev-aid", "AID", s3b, [_party("Iran", t3, "Iran", "IRN", "GOV")],
                 [_party("Herat", t3, "Afghanistan", "AFG", "GOV")], 10.0,
                 EventDate("In February", "2022-02-01", "2022-02-28", "month", "exact"), mode="humanitarian")
    out.append(DocResult(document=d3, events=[e3, e3b]))

    # 3. hostile markup everywhere a string can reach the page
    t4 = (f"Iran {XSS_SCRIPT} accused {XSS_IMG} the Taliban of holding back Helmand water. "
          f"Pakistan offered to mediate between the two.")
    d4 = Document(doc_id=HOSTILE_ID, text=t4, title=f"{XSS_SCRIPT} Water dispute {XSS_IMG}",
                  publisher=f"<b onmouseover=alert(1)>Wire</b>", url="javascript:alert(1)", published="2022-03-02",
                  removed=[Removed("comment_prompt", f"Comment now {XSS_SCRIPT}", 0, 10)])
    s4 = f"Iran {XSS_SCRIPT} accused {XSS_IMG} the Taliban of holding back Helmand water."
    e4 = _event(d4, "ev-hostile", "ACCUSE", s4,
                [Party(text="Iran", name=f"Iran {XSS_SCRIPT}", country="IRN", sector="GOV", start=0, end=4)],
                [Party(text="the Taliban", name=f"Taliban{XSS_IMG}", country="AFG", sector="GOV",
                       start=t4.index("the Taliban"), end=t4.index("the Taliban") + 11)], -3.0,
                EventDate(None, "2022-03-01", None, "day", "approximate"), trigger=XSS_SCRIPT)
    s4b = "Pakistan offered to mediate between the two."
    e4b = _event(d4, "ev-mediate", "SUPPORT", s4b, [_party("Pakistan", t4, "Pakistan", "PAK", "GOV")],
                 [Party(text="the two", name="Iran", country="IRN", sector="GOV")], 5.0,
                 EventDate(None, None, None, None, "unresolved"), modality="intended")
    out.append(DocResult(
        document=d4, events=[e4, e4b],
        mentions=[Mention(HOSTILE_ID, "the Taliban", t4.index("the Taliban"), t4.index("the Taliban") + 11,
                          "ORG", f"Taliban{XSS_IMG}", "AFG", "GOV")],
        claims=[Claim("cl-x", HOSTILE_ID, f"water {XSS_SCRIPT}", 3.0, "percent", "Helmand", *_span(t4, "Helmand"),
                      s4)],
    ))

    # 4. an input that could not be read
    out.append(DocResult(document=Document(doc_id="doc-broken", text="", error="binary file (NUL bytes)",
                                           source="inbox/broken.bin")))
    return out


def sample_fusion(results: list[DocResult]) -> dict[str, list[dict]]:
    """Fusion tables written by hand, so these tests do not depend on the fusion step."""
    clusters, sources = [], {}
    for r in results:
        for e in r.events:
            if e.event_id in ("ev-visit-a", "ev-visit-b"):
                clusters.append({"event_id": e.event_id, "cluster_id": "cl-visit"})
                sources["cl-visit"] = ["doc-visit-a", "doc-visit-b"]
            else:
                clusters.append({"event_id": e.event_id, "cluster_id": e.event_id})
                sources[e.event_id] = [e.doc_id]
    cluster_sources = [{"cluster_id": c, "sources": json.dumps(s), "n_sources": len(s)} for c, s in sources.items()]
    t1 = results[0].document.text
    t2 = results[1].document.text
    t4 = results[3].document.text
    m1 = _span(t1, "Amir Khan Muttaqi")
    m2 = _span(t2, "Muttaqi")
    m4 = (t4.index("the Taliban"), t4.index("the Taliban") + 11)
    entities = [
        {"entity_id": "ent-muttaqi", "name": "Amir Khan Muttaqi", "type": "PERSON", "country": "AFG", "sector": "GOV",
         "aliases": json.dumps(["Amir Khan Muttaqi", "Muttaqi", "acting foreign minister"]), "n_mentions": 2},
        {"entity_id": "ent-taliban", "name": f"Taliban{XSS_IMG}", "type": "ORG", "country": "AFG", "sector": "GOV",
         "aliases": json.dumps(["the Taliban", XSS_SCRIPT]), "n_mentions": 1},
        {"entity_id": "ent-iran", "name": "Iran", "type": "GPE", "country": "IRN", "sector": "GOV",
         "aliases": json.dumps(["Iran", "Tehran", "Iranian officials"]), "n_mentions": 0},
    ]
    ent_mentions = [
        {"entity_id": "ent-muttaqi", "doc_id": "doc-visit-a", "start_char": m1[0], "end_char": m1[1],
         "text": "Amir Khan Muttaqi"},
        {"entity_id": "ent-muttaqi", "doc_id": "doc-visit-b", "start_char": m2[0], "end_char": m2[1],
         "text": "Muttaqi"},
        {"entity_id": "ent-taliban", "doc_id": HOSTILE_ID, "start_char": m4[0], "end_char": m4[1],
         "text": "the Taliban"},
    ]
    claims = [c.__dict__ | {"start": c.start, "end": c.end} for r in results for c in r.claims]
    border = [c for c in claims if c["subject"] == "border length|AFG|IRN"]
    contradictions = [{"contradiction_id": "ct-border", "subject": "border length|AFG|IRN",
                       "claims": json.dumps(border)},
                      {"contradiction_id": "ct-x", "subject": f"water {XSS_SCRIPT}",
                       "claims": json.dumps([c for c in claims if c["claim_id"] == "cl-x"] * 2)}]
    doc_dates = []
    return {"event_clusters": clusters, "clusters": cluster_sources, "entities": entities,
            "entity_mentions": ent_mentions, "contradictions": contradictions, "doc_dates": doc_dates}


def build_sample_store(path: Path | str) -> str:
    """Write the sample store (a DuckDB file path or a postgresql:// URL); returns where it is."""
    from dyad.store import open_store

    results = sample_results()
    with open_store(str(path)) as store:
        store.write_results(results)
        store.write_fusion(sample_fusion(results))
    return str(path)


def build_empty_store(path: Path) -> str:
    from dyad.store import open_store

    with open_store(str(path)):
        pass
    return str(path)


# ---------------------------------------------------------------- highlighter tests
def test_layer_nests_and_keeps_text():
    from dyad.web.highlight import Span, layer

    text = "Iran met the Taliban in Kabul. Then <b>nothing</b> happened."
    outer = [Span(0, 30, "evidence", "e1"), Span(5, 20, "evidence", "e2")]
    inner = [Span(0, 4, "mention", "m"), Span(24, 35, "date", "d"), Span(2, 6, "mention", "overlap")]
    blocks = layer(text, outer, inner)
    assert "".join(p.text for b in blocks for p in b.pieces) == text
    marked = [b for b in blocks if b.span]
    assert len(marked) == 1 and marked[0].items == ["e1", "e2"]
    kinds = [(p.text, p.span.kind) for b in blocks for p in b.pieces if p.span]
    assert ("Iran", "mention") in kinds
    assert ("Kabul.", "date") in kinds and (" Then", "date") in kinds  # cut at the evidence boundary
    assert all(p.span.data != "overlap" for b in blocks for p in b.pieces if p.span)


def test_layer_ignores_bad_offsets():
    from dyad.web.highlight import Span, layer, locate

    text = "short text"
    blocks = layer(text, [Span(5, 500, "evidence"), Span(-1, 3, "evidence")], [Span(3, 3, "date")])
    assert [b.span for b in blocks] == [None]
    assert "".join(p.text for b in blocks for p in b.pieces) == text
    assert locate(text, 0, 5, "short") == (0, 5)
    assert locate(text, 2, 7, "text") == (6, 10)  # stale offsets: found by searching
    assert locate(text, None, None, "absent") is None
    assert layer("", [], []) and layer("", [], [])[0].pieces == []

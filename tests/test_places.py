"""Place mentions resolved to gazetteer entries, and event locations."""
from __future__ import annotations

from pathlib import Path

import pytest

from dyad.extract import places
from dyad.model import Document, Event, Evidence
from dyad.resources import load_resources


@pytest.mark.parametrize("name,canonical,country", [
    ("Tehran", "Tehran", "IRN"), ("Kabul", "Kabul", "AFG"), ("Herat", "Herat", "AFG"),
    ("Mashhad", "Mashhad", "IRN"), ("Taybad", "Taybad", "IRN"), ("Moscow", "Moscow", "RUS"),
    ("Islamabad", "Islamabad", "PAK"), ("Kandahar", "Kandahar", "AFG"), ("Beirut", "Beirut", "LBN"),
    ("Kiev", "Kyiv", "UKR"),  # an alternate spelling of a big city
    ("Dogharoun", "Dogharoun", "IRN"), ("Dogaron", "Dogharoun", "IRN"), ("Islam Qala", "Islam Qala", "AFG"),
    ("Milak", "Milak", "IRN"), ("Khorasan Razavi", "Khorasan Razavi", "IRN"),
    ("the Panjshir Valley", "Panjshir", "AFG"), ("Herat province", "Herat province", "AFG"),
    ("Iran", "Iran", "IRN"), ("Afghanistan", "Afghanistan", "AFG"), ("the United States", "United States", "USA"),
    ("Georgia", "Georgia", "GEO"),
])
def test_lookup(name, canonical, country, resources):
    p = places.lookup(name, resources)
    assert p is not None and (p.name, p.country) == (canonical, country)


def test_country_takes_capital_coordinates(resources):
    iran, tehran = places.lookup("Iran", resources), places.lookup("Tehran", resources)
    assert (iran.lat, iran.lon) == (tehran.lat, tehran.lon)


def test_most_populous_match_wins(resources):
    assert places.lookup("Moscow", resources).country == "RUS"  # not Moscow, Idaho


def test_unknown_name(resources):
    assert places.lookup("Xqzzyville", resources) is None


def test_user_gazetteer_extends_ours(tmp_path: Path):
    (tmp_path / "places").mkdir()
    (tmp_path / "places" / "gazetteer.tsv").write_text("Qalat Test\tQT Crossing\tAFG\t32.1\t66.9\tcrossing\n")
    res = load_resources((str(tmp_path),))
    p = places.lookup("QT Crossing", res)
    assert p is not None and (p.name, p.country, p.lat) == ("Qalat Test", "AFG", 32.1)
    assert places.lookup("Dogaron", res).name == "Dogharoun"  # ours still there


def _events(sdoc, *triggers):
    out = []
    for t in triggers:
        s = next(s for s in sdoc.sents if t in s.text)
        out.append(Event("e", "t", "CONSULT", [], [], Evidence(s.text, s.start_char, s.end_char), trigger=t))
    return out


TEXT = ("A rebel delegation visited Paris on Monday and held talks with officials. "
        "The minister made the remarks during a visit to Rome. "
        "The army attacked positions near Kandahar. "
        "The mayor met leaders of the opposition in Lyon. "
        "He said the economy of Germany was weak. "
        "Officials left for Iran on January 8. "
        "Traffic resumed at the Dogharoun crossing near Taybad.")


@pytest.fixture(scope="module")
def parsed(nlp, resources):
    sdoc = nlp(TEXT)
    doc = Document(doc_id="t", text=TEXT)
    return sdoc, doc, places.find_places(sdoc, doc, resources)


def test_find_places_offsets(parsed):
    _, doc, found = parsed
    names = [p.name for p in found]
    for n in ("Paris", "Rome", "Kandahar", "Iran", "Dogharoun", "Taybad"):
        assert n in names
    for p in found:
        assert doc.text[p.start:p.end] == p.text
        assert p.lat is not None and p.country


def test_event_locations(parsed):
    sdoc, doc, found = parsed
    evs = _events(sdoc, "visited", "held", "visit to", "attacked", "met", "said", "left for")
    places.attach_event_locations(evs, sdoc, doc, found)
    got = {e.trigger: (e.location.name if e.location else None) for e in evs}
    assert got["visited"] == "Paris"  # destination of a visit
    assert got["held"] == "Paris"  # coordinated with the visit
    assert got["visit to"] == "Rome"
    assert got["attacked"] == "Kandahar"  # "near"
    assert got["left for"] == "Iran"
    assert got["said"] is None  # a place merely mentioned is not where the event happened


def test_no_places(nlp, resources):
    text = "The spokesman refused to comment."
    sdoc = nlp(text)
    assert places.find_places(sdoc, Document(doc_id="t", text=text), resources) == []


@pytest.mark.parametrize("text,trigger,expected", [
    ("The governor paid an official visit to Mashhad.", "paid an official visit", "Mashhad"),
    ("The minister discussed trade during his Kabul visit.", "visit", "Kabul"),
    ("Rebels arrived in Kabul on Monday.", "arrived", "Kabul"),
    ("The two sides held talks at Islam Qala.", "held talks", "Islam Qala"),
    ("Envoys met in Doha and signed a deal.", "signed", "Doha"),  # shared with the coordinated verb
    ("The envoy from Kabul criticised the plan.", "criticised", None),
])
def test_event_location_constructions(nlp, resources, text, trigger, expected):
    sdoc = nlp(text)
    doc = Document(doc_id="t", text=text)
    found = places.find_places(sdoc, doc, resources)
    (ev,) = _events(sdoc, trigger)
    places.attach_event_locations([ev], sdoc, doc, found)
    clause = ev.location if ev.location is not None and ev.location.basis == "clause" else None
    assert (clause.name if clause else None) == expected

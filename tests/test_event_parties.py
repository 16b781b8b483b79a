"""Who an event's parties are when the phrase around a name is not a party: a span of time
the parser makes the head of a name, and things (rivers, treaties, assets) named with a
country in them. Sentences written for these tests."""
from __future__ import annotations

import pytest


def _events(process, text):
    return process(text, published="2023-05-01").events


@pytest.mark.parametrize("text,recipient,country", [
    ("Qatar restored diplomatic relations with Bahrain months after the summit in Riyadh.", "Bahrain", "BHR"),
    ("Ghana restored ties with Togo years after the border dispute ended.", "Togo", "TGO"),
])
def test_a_time_span_after_a_name_is_not_part_of_the_party(process, text, recipient, country):
    (ev,) = [e for e in _events(process, text) if e.recipient]
    assert [(p.text, p.country) for p in ev.recipient] == [(recipient, country)]
    assert text[ev.recipient[0].start:ev.recipient[0].end] == recipient


@pytest.mark.parametrize("text,thing", [
    ("Egypt may go to court to defend its right to the Nile River, a minister said.", "Nile River"),
    ("Washington allowed frozen Venezuelan assets to be moved to a relief fund.", "Venezuelan assets"),
    ("Both governments are keen to limit Russian influence in the Sahel.", "Russian influence"),
])
def test_a_thing_with_a_country_in_its_name_is_no_party(process, text, thing):
    for e in _events(process, text):
        assert thing not in [p.text for p in e.actor + e.recipient], (e.event_type, e.trigger)


def test_a_real_party_beside_a_thing_is_kept(process):
    evs = _events(process, "Tehran accused Kabul of diverting the water of the Helmand River.")
    (ev,) = [e for e in evs if e.event_type == "ACCUSE"]
    assert [p.country for p in ev.actor] == ["IRN"] and [p.country for p in ev.recipient] == ["AFG"]


def test_the_subject_of_an_active_verb_stays_a_party(process):
    (ev,) = [e for e in _events(process, "The Warsaw Pact condemned the naval exercise.") if e.event_type == "ACCUSE"]
    assert ev.actor, "the subject of 'condemned' is the actor, whatever its head noun"

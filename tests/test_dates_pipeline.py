"""Dates and places through the whole per-document step (with the event coder's events).

The texts are the project's own and mirror the seed constructions named in issue 4.
An event is found by any of its trigger words (the coder may code "a drone strike
killed" on "strike" or on "killed"); one that is missing fails the test.
"""
from __future__ import annotations

import pytest

DATED = ("Iran's foreign ministry said a Taliban delegation visited Tehran on December 30 for talks with "
         "Iranian diplomats. Pakistan's army chief discussed border security with Afghan officials during a "
         "Dec. 26 visit to Kabul. In 2016, when a US drone strike killed a Taliban commander in Pakistan, "
         "officials said he had travelled from Iran.")
SKIRMISH = ("Asked about a clash between Taliban fighters and Iranian border guards in early December, the "
            "spokesman called it a misunderstanding.")


def _event(result, *words):
    for ev in result.events:
        if ev.trigger and any(w in ev.trigger for w in words):
            return ev
    raise AssertionError(f"no event with a trigger in {words!r}: {[e.trigger for e in result.events]}")


@pytest.fixture(scope="module")
def dated(process):
    return process(DATED, published="2019-01-02")


def test_visit_on_month_day(dated):
    ev = _event(dated, "visited")
    assert (ev.date.start, ev.date.granularity, ev.date.kind) == ("2018-12-30", "day", "exact")
    assert ev.location is not None and ev.location.name == "Tehran" and ev.location.country == "IRN"


def test_premodified_visit(dated):
    ev = _event(dated, "discussed")
    assert (ev.date.text, ev.date.start) == ("Dec. 26", "2018-12-26")


def test_historical_strike(dated):
    ev = _event(dated, "killed", "strike")
    assert (ev.date.start, ev.date.granularity, ev.date.kind) == ("2016-01-01", "year", "exact")


def test_early_december_skirmish(process):
    ev = _event(process(SKIRMISH, published="2022-01-21"), "clash")
    assert (ev.date.start, ev.date.granularity) == ("2021-12-01", "month")


def test_every_event_has_a_date_object(dated):
    assert dated.events and all(ev.date is not None for ev in dated.events)


def test_undated_document_gets_inferred_range(process):
    r = process("The movement ruled the country between 1996 and 2001. " + SKIRMISH)
    inf = r.document.published_inferred
    assert inf is not None and inf.start == "2001-01-01" and inf.end is None and inf.basis
    assert all(d.kind == "unresolved" for d in r.dates if d.text == "early December")

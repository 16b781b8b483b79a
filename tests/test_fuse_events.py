from fusekit import make_doc, make_event, party

from dyad.fuse import apply, fuse
from dyad.model import Location


def _visit(res, eid, day, granularity="day", location=None, etype="CONSULT"):
    return make_event(res, eid, etype, [party("Muttaqi", "AFG", "PERSON")],
                      [party("Iran", "IRN")], day=day, granularity=granularity, location=location)


def test_two_outlets_same_visit_one_cluster():
    a = make_doc("a", [], published="2022-01-09")
    b = make_doc("b", [], published="2022-01-10")
    _visit(a, "ea", "2022-01-08")
    make_event(b, "eb", "CONSULT", [party("Iran", "IRN")], [party("Taliban", "AFG", "ORG")],
               day="2022-01-09")  # roles swapped, a day apart (time zones)
    f = fuse([a, b])
    assert f.event_clusters["ea"] == f.event_clusters["eb"]
    cid, sources = f.event_clusters["ea"]
    assert sources == ["a", "b"]
    apply(f, [a, b])
    assert a.events[0].cluster_id == b.events[0].cluster_id == cid
    assert a.events[0].sources == ["a", "b"] and a.events[0].evidence.text == "(evidence)"


def test_different_dates_are_different_events():
    a = make_doc("a", [], published="2022-01-09")
    b = make_doc("b", [], published="2022-03-20")
    _visit(a, "ea", "2022-01-08")
    _visit(b, "eb", "2022-03-19")
    f = fuse([a, b])
    assert f.event_clusters["ea"][0] != f.event_clusters["eb"][0]
    assert f.event_clusters["ea"][1] == ["a"]


def test_different_type_or_place_are_different_events():
    a, b, c = (make_doc(d, [], published="2022-01-09") for d in "abc")
    _visit(a, "ea", "2022-01-08", location=Location(name="Tehran", country="IRN"))
    _visit(b, "eb", "2022-01-08", location=Location(name="Mashhad", country="IRN"))
    _visit(c, "ec", "2022-01-08", etype="ASSAULT")
    f = fuse([a, b, c])
    assert len({f.event_clusters[e][0] for e in ("ea", "eb", "ec")}) == 3


def test_month_date_joins_only_an_unambiguous_cluster():
    a, b, c = (make_doc(d, [], published="2022-02-01") for d in "abc")
    _visit(a, "ea", "2022-01-08")
    _visit(b, "eb", "2022-01-01", granularity="month")  # "earlier in January"
    _visit(c, "ec", "2022-01-25")  # a second January visit makes the month ambiguous
    f = fuse([a, b])
    assert f.event_clusters["ea"][0] == f.event_clusters["eb"][0]
    f = fuse([a, b, c])
    assert f.event_clusters["ea"][0] != f.event_clusters["ec"][0]
    assert f.event_clusters["eb"][0] not in {f.event_clusters["ea"][0], f.event_clusters["ec"][0]}


def test_undated_event_uses_publication_window():
    a = make_doc("a", [], published="2022-01-10")
    b = make_doc("b", [], published="2022-01-11")
    _visit(a, "ea", "2022-01-08")
    _visit(b, "eb", None)  # "visited Tehran this week", no resolvable date
    f = fuse([a, b])
    assert f.event_clusters["ea"][0] == f.event_clusters["eb"][0]


def test_cluster_ids_are_stable_and_carry_over():
    a = make_doc("a", [], published="2022-01-09")
    b = make_doc("b", [], published="2022-01-10")
    _visit(a, "e2", "2022-01-08")
    _visit(b, "e1", "2022-01-08")
    assert fuse([a]).event_clusters["e2"][0] == fuse([a]).event_clusters["e2"][0]
    first = fuse([a])
    again = fuse([a, b], previous=first)  # a new report joins: the old id is kept
    assert again.event_clusters["e1"][0] == again.event_clusters["e2"][0] == first.event_clusters["e2"][0]

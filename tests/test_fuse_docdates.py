from fusekit import make_doc, make_event, party

from dyad.fuse import apply, fuse
from dyad.model import InferredDate


def test_undated_document_narrowed_by_dated_report_of_same_event():
    dated = make_doc("dated", [], published="2022-01-10")
    loose = make_doc("loose", [], inferred=InferredDate("2021-12-15", "2022-02-15", "month",
                                                         "mentions dates up to January 2022"))
    for res, eid in ((dated, "e1"), (loose, "e2")):
        make_event(res, eid, "CONSULT", [party("Muttaqi", "AFG", "PERSON")], [party("Iran", "IRN")],
                   day="2022-01-08")
    f = fuse([dated, loose])
    narrowed = f.doc_dates["loose"]
    assert narrowed.start == "2022-01-08" and narrowed.end == "2022-02-15"
    assert "dated" in narrowed.basis and "2022-01-10" in narrowed.basis
    assert "dated" not in f.doc_dates
    changed = apply(f, [dated, loose])
    assert [d.doc_id for d in changed] == ["loose"] and loose.document.published_inferred == narrowed


def test_no_shared_event_no_narrowing():
    dated = make_doc("dated", [], published="2022-01-10")
    loose = make_doc("loose", [])
    make_event(dated, "e1", "CONSULT", [party("Iran", "IRN")], [party("Kabul", "AFG")], day="2022-01-08")
    make_event(loose, "e2", "ASSAULT", [party("Iran", "IRN")], [party("Kabul", "AFG")], day="2022-01-08")
    assert fuse([dated, loose]).doc_dates == {}

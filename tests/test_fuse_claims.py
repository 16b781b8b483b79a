from fusekit import make_claim, make_doc

from dyad.fuse import fuse


def test_different_border_lengths_contradict():
    a, b, c = make_doc("a", []), make_doc("b", []), make_doc("c", [])
    make_claim(a, "border length|AFG|IRN", 921)
    make_claim(b, "border length|AFG|IRN", 936)
    make_claim(a, "border length|AFG|Khorasan Razavi", 300)  # another subject: no conflict
    make_claim(c, "border length|AFG|IRN", 921.4)  # within 1%: agrees with a
    f = fuse([a, b, c])
    assert [x.subject for x in f.contradictions] == ["border length|AFG|IRN"]
    assert {(k.doc_id, k.value) for k in f.contradictions[0].claims} == {("a", 921), ("b", 936), ("c", 921.4)}


def test_same_document_or_same_value_or_overlapping_range_is_no_contradiction():
    a, b = make_doc("a", []), make_doc("b", [])
    make_claim(a, "border length|AFG|IRN", 921)
    make_claim(a, "border length|AFG|IRN", 936)  # one source contradicting itself is not two sources
    make_claim(a, "people count|AFG|IRN", 2.1e6, "people", value_max=2.6e6)
    make_claim(b, "people count|AFG|IRN", 2.5e6, "people")
    make_claim(b, "trade value|AFG|IRN|2021", 4e9, "USD")
    make_claim(a, "trade value|AFG|IRN|2021", 4e9, "EUR")  # other unit: another group
    assert fuse([a, b]).contradictions == []


def test_extracted_border_claims_contradict_across_documents(nlp, resources):
    from dyad.extract.claims import extract_claims
    from dyad.model import DocResult, Document

    texts = {
        "one": "Uzbekistan shares a border with Afghanistan of 144 km, and trade between them grew.",
        "two": "Uzbekistan, which shares a 137-km border with Afghanistan, reopened a bridge. "
               "Surxondaryo province, which has a 90-kilometer border with Afghanistan, hosts it.",
    }
    results = []
    for doc_id, text in texts.items():
        doc = Document(doc_id=doc_id, text=text, published="2023-01-01")
        results.append(DocResult(document=doc, claims=extract_claims(nlp(text), doc, resources)))
    f = fuse(results)
    assert [c.subject for c in f.contradictions] == ["border length|AFG|UZB"]
    assert sorted((c.doc_id, c.value) for c in f.contradictions[0].claims) == [("one", 144.0), ("two", 137.0)]


def test_fusion_records_are_plain_rows():
    import json

    from dyad.fuse import fusion_records

    a, b = make_doc("a", [("Iran", "GPE")]), make_doc("b", [])
    make_claim(a, "border length|AFG|IRN", 921)
    make_claim(b, "border length|AFG|IRN", 936)
    rows = fusion_records(fuse([a, b]))
    json.dumps(rows)
    assert rows["contradictions"][0]["subject"] == "border length|AFG|IRN"
    assert {c["doc_id"] for c in rows["contradictions"][0]["claims"]} == {"a", "b"}
    assert rows["entities"][0]["mentions"][0]["doc_id"] == "a"

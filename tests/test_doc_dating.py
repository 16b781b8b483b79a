"""When it happened: `--published` for plain files, and undated documents dated from the
evidence their text gives (sentences are the team's own)."""
from __future__ import annotations

import json
import subprocess
import sys

from dyad.extract import dates
from dyad.model import Document, Mention


def _dyad(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "dyad.cli", *args], capture_output=True, text=True, timeout=600, cwd=cwd)


def test_published_option_dates_plain_files(tmp_path):
    f = tmp_path / "note.txt"
    f.write_text("Chad's foreign minister visited Niamey on Monday for talks with Niger's government.\n")
    done = _dyad("run", str(f), "--db", str(tmp_path / "s.duckdb"), "--out", str(tmp_path / "out"),
                 "--published", "2022-03-09", "-q")
    assert done.returncode == 0, done.stderr
    (doc,) = [json.loads(x) for x in (tmp_path / "out" / "documents.jsonl").read_text().splitlines()]
    assert doc["published"] == "2022-03-09" and doc["published_inferred"] is None
    evs = [json.loads(x) for x in (tmp_path / "out" / "events.jsonl").read_text().splitlines()]
    assert evs and evs[0]["date"]["start"] == "2022-03-07"  # the Monday before


def test_published_option_refuses_a_date_it_cannot_read(tmp_path):
    f = tmp_path / "note.txt"
    f.write_text("Nothing happened.\n")
    done = _dyad("run", str(f), "--db", str(tmp_path / "s.duckdb"), "--published", "9 March", "-q")
    assert done.returncode == 2 and "YYYY-MM-DD" in done.stderr
    assert not (tmp_path / "s.duckdb").exists()


def test_a_landmark_told_as_past_bounds_the_start(nlp, resources):
    text = ("Since the Taliban takeover, trade across the border has doubled. "
            "Officials met in Herat on Sunday.")
    doc = Document("d", text)
    inf = dates.infer_document_date(doc, dates.find_dates(nlp(text), doc), resources)
    assert inf.start == "2021-08-15" and inf.end is None
    (ev,) = [e for e in inf.evidence if e["kind"] == "landmark"]
    assert text[ev["start"]:ev["end"]] == "Taliban takeover"
    assert "nothing in the text bounds the end" in inf.basis


def test_a_term_of_office_closes_the_range(nlp, resources):
    from dataclasses import replace

    terms = {**resources.get("actors.terms", {}),
             "Imaginary Person": (("2019-04-01", "2020-06-30", "GOV", "foreign minister"),)}
    res = replace(resources, tables={**resources.tables, "actors.terms": terms})
    text = "Foreign Minister Imaginary Person said the talks would resume in 2019."
    doc = Document("d", text)
    people = [Mention("d", "Imaginary Person", 17, 33, "PERSON", name="Imaginary Person", title="Foreign Minister")]
    inf = dates.infer_document_date(doc, dates.find_dates(nlp(text), doc), res, people)
    assert (inf.start, inf.end) == ("2019-04-01", "2020-06-30")
    assert any(e["kind"] == "office" and e["before"] == "2020-06-30" for e in inf.evidence)
    former = [Mention("d", "Imaginary Person", 17, 33, "PERSON", name="Imaginary Person", title="former Foreign Minister")]
    inf = dates.infer_document_date(doc, dates.find_dates(nlp(text), doc), res, former)
    assert inf.start == "2020-06-30" and inf.end is None


def test_an_upper_bound_before_a_firmer_lower_one_is_reported_not_used(nlp, resources):
    from dataclasses import replace

    terms = {"Imaginary Person": (("2010-01-01", "2012-12-31", "GOV", "president"),)}
    res = replace(resources, tables={**resources.tables, "actors.terms": terms})
    text = "President Imaginary Person spoke after the Taliban takeover."
    doc = Document("d", text)
    people = [Mention("d", "Imaginary Person", 10, 26, "PERSON", name="Imaginary Person", title="President")]
    inf = dates.infer_document_date(doc, dates.find_dates(nlp(text), doc), res, people)
    assert inf.start == "2021-08-15" and inf.end is None
    assert any(e.get("conflict") for e in inf.evidence)

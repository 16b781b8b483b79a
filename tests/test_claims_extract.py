"""Claims extraction on sentences written for these tests."""
import pytest

from dyad.extract.claims import extract_claims, load_tables
from dyad.model import Document


@pytest.fixture(scope="module")
def claims(nlp, resources):
    def _run(text, published="2023-05-02", doc_id="d1"):
        return extract_claims(nlp(text), Document(doc_id=doc_id, text=text, published=published), resources)
    return _run


def _one(found):
    assert len(found) == 1, found
    return found[0]


def test_border_with_owner_and_partner(claims):
    c = _one(claims("Officials said Tajikistan shares a 1,357 km border with Afghanistan."))
    assert (c.subject, c.value, c.unit, c.text) == ("border length|AFG|TJK", 1357.0, "km", "1,357 km")


def test_relative_clause_and_hyphenated_unit(claims):
    text = "Pakistan, which shares a 2,640-kilometre frontier with Afghanistan, shut the crossing."
    c = _one(claims(text))
    assert (c.subject, c.value, c.unit) == ("border length|AFG|PAK", 2640.0, "km")
    assert text[c.start:c.end] == "2,640-kilometre" and c.sentence == text


def test_miles_normalised_to_km(claims):
    c = _one(claims("Turkey has a long border with Iraq of 367 miles."))
    assert c.subject == "border length|IRQ|TUR" and c.unit == "km" and c.value == pytest.approx(590.63, 0.001)


def test_the_two_countries_is_the_documents_dyad(claims):
    c = _one(claims("Iran and Afghanistan held talks in Kabul. Officials from Iran met Afghan ministers. "
                    "The 945-kilometre frontier between the two countries is hard to patrol."))
    assert c.subject == "border length|AFG|IRN"


def test_province_border_is_a_different_subject(claims):
    c = _one(claims("Sistan province, which has a 300-kilometer border with Afghanistan, is dry."))
    assert c.subject == "border length|AFG|Sistan"


def test_money_with_scale_and_year(claims):
    c = _one(claims("Iran and Afghanistan signed deals. Trade between the two countries reached "
                    "about $1.6 billion last year."))
    assert (c.subject, c.value, c.unit) == ("trade value|AFG|IRN|2022", 1.6e9, "USD")


def test_people_count_and_range(claims):
    c = _one(claims("Some 1.3 million refugees live in Pakistan."))
    assert (c.subject, c.value, c.unit) == ("refugee count|PAK", 1.3e6, "people")
    r = _one(claims("Between 1.5 million and 2 million Afghans live in Iran."))
    assert (r.value, r.value_max, r.unit) == (1.5e6, 2e6, "people") and "AFG" in r.subject
    q = _one(claims("Iran expelled 1.2 million undocumented Afghans in 2022."))
    assert q.subject == "undocumented people expel count|AFG|2022"  # a narrower group, its own subject


def test_percent(claims):
    c = _one(claims("Roughly 40 percent of Afghan farmland is affected by drought."))
    assert (c.subject, c.value, c.unit) == ("farmland share|AFG", 40.0, "percent")


def test_distance_and_unanchored_numbers(claims):
    c = _one(claims("The crossing, which is 40 km from the city of Zaranj, reopened."))
    assert c.subject.startswith("distance|") and "Zaranj" in c.subject
    assert claims("About 30 percent is enough, he said.") == []  # no subject: dropped


def test_load_tables_merges_user_dirs(tmp_path):
    from dyad.resources import RESOURCE_DIR

    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "units.yaml").write_text("units:\n  leagues: [km, 5.556, length]\n")
    t = load_tables(RESOURCE_DIR, [tmp_path])["claims"]
    assert t["units"]["leagues"][0] == "km" and t["units"]["km"][0] == "km"

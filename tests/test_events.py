"""The event coder: triggers, roles, modality, ids — on the project's own sentences."""
from __future__ import annotations


def events_of(process, text, published="2022-03-01"):
    return process(text, published=published).events


def one(process, text, etype, published="2022-03-01"):
    evs = [e for e in events_of(process, text, published) if e.event_type == etype]
    assert evs, f"no {etype} in {[(e.event_type, e.trigger) for e in events_of(process, text, published)]}"
    return evs[0]


def countries(parties):
    return [p.country for p in parties]


# --- triggers -----------------------------------------------------------------------


def test_verbal_trigger_with_object(process):
    ev = one(process, "Egypt condemned Israel on Monday.", "ACCUSE")
    assert countries(ev.actor) == ["EGY"] and countries(ev.recipient) == ["ISR"]
    assert ev.trigger == "condemned" and ev.mode == "disapprove"


def test_light_verb_visit_with_prepositional_recipient(process):
    ev = one(process, "The Japanese prime minister paid an official visit to Seoul on Tuesday.", "CONSULT")
    assert ev.mode == "visit" and "visit" in ev.trigger
    assert countries(ev.actor) == ["JPN"] and ev.actor[0].sector == "GOV"
    assert countries(ev.recipient) == ["KOR"] and ev.recipient[0].sector == "GOV"  # a capital is the government
    assert ev.score == 4.0 and ev.cameo == "042"


def test_held_talks_with(process):
    ev = one(process, "Norway held talks with Sudan's foreign minister in Oslo.", "CONSULT")
    assert countries(ev.actor) == ["NOR"] and countries(ev.recipient) == ["SDN"]


def test_nominal_trigger_between_two_parties_is_reciprocal(process):
    ev = one(process, "A border clash between Indian troops and Chinese soldiers left three dead.", "ASSAULT")
    assert sorted(countries(ev.actor)) == ["CHN", "IND"] and ev.recipient == []


def test_talks_between_are_reciprocal(process):
    ev = one(process, "Talks between Armenia and Azerbaijan resumed in Geneva on Friday.", "CONSULT")
    assert sorted(countries(ev.actor)) == ["ARM", "AZE"] and ev.recipient == []


def test_coordinated_actors(process):
    ev = one(process, "Kenya and Uganda signed a trade agreement on Friday.", "SUPPORT")
    assert sorted(countries(ev.actor)) == ["KEN", "UGA"]


def test_passive_with_agent(process):
    ev = one(process, "A Kenyan journalist was detained by Ethiopian police in Addis Ababa.", "COERCE")
    assert countries(ev.actor) == ["ETH"] and ev.actor[0].sector == "COP"
    assert countries(ev.recipient) == ["KEN"] and ev.recipient[0].sector == "JRN"


def test_passive_without_agent_is_an_event_with_no_actor(process):
    """'Two Peruvian fishermen were released': the release happened; who released them is
    not said, so the actor stays empty rather than guessed, and the recipient is coded."""
    (ev,) = [e for e in events_of(process, "Two Peruvian fishermen were released on Sunday.") if e.event_type == "RETREAT"]
    assert ev.actor == [] and countries(ev.recipient) == ["PER"]


def test_called_on_to_is_a_request_and_called_on_alone_a_visit(process):
    ev = one(process, "Ghana called on Togo to free the detained activists.", "REQUEST")
    assert countries(ev.actor) == ["GHA"] and countries(ev.recipient) == ["TGO"]
    ev = one(process, "The Iraqi prime minister called on the Saudi king in Riyadh.", "CONSULT")
    assert ev.mode == "visit" and countries(ev.recipient) == ["SAU"]


def test_handed_over_keys(process):
    ev = one(process, "Qatar handed over the keys of the old embassy to Syrian diplomats in March.", "SUPPORT")
    assert countries(ev.actor) == ["QAT"] and countries(ev.recipient) == ["SYR"]


def test_release_and_sanction(process):
    ev = one(process, "Venezuela released three Colombian soldiers at the border.", "RETREAT")
    assert ev.mode == "release" and countries(ev.recipient) == ["COL"]
    ev = one(process, "The European Union sanctioned Belarus over the crackdown.", "SANCTION")
    assert countries(ev.actor) == ["IGO"] and countries(ev.recipient) == ["BLR"]


def test_obligation_in_reported_speech_is_a_request(process):
    ev = one(process, "Chile said that Bolivia must return the seized trucks.", "REQUEST")
    assert countries(ev.actor) == ["CHL"] and countries(ev.recipient) == ["BOL"]


# --- reported speech, modality, negation ---------------------------------------------


def test_reported_speech_event_belongs_to_the_clause(process):
    ev = one(process, "The Swedish foreign minister said that Russia had expelled two Swedish diplomats.", "SANCTION")
    assert countries(ev.actor) == ["RUS"]
    assert ev.source_actor is not None and ev.source_actor.country == "SWE"


def test_pronoun_in_reported_clause_is_the_speaker(process):
    ev = one(process, "Mexico said it would send aid to Cuba.", "AGREE")
    assert countries(ev.actor) == ["MEX"] and countries(ev.recipient) == ["CUB"]
    assert ev.modality == "intended"  # future cooperation is coded AGREE (PLOVER 3.1)


def test_hypothetical_legal_action_is_a_threat(process):
    ev = one(process, "Bolivia may be forced to launch legal action against Chile over the river.", "THREATEN")
    assert ev.modality == "hypothetical" and countries(ev.actor) == ["BOL"]


def test_negation(process):
    ev = one(process, "Japan has not recognized the military government of Myanmar.", "SUPPORT")
    assert ev.negated and countries(ev.recipient) == ["MMR"]
    ev = one(process, "Pakistan will never attack India, the minister said.", "THREATEN")
    assert ev.negated


def test_vow_not_to_allow_is_a_commitment(process):
    ev = one(process, "The Afghan governor vowed not to allow any attacks against Tajikistan from his province.", "AGREE")
    assert countries(ev.actor) == ["AFG"]


def test_denied(process):
    """A denied attack is never coded as an attack that happened; when it is coded, it is
    marked denied (the learned model may also judge the sentence no event at all)."""
    evs = [e for e in events_of(process, "Russia denied attacking the Georgian village.") if e.event_type == "ASSAULT"]
    assert all(e.modality == "denied" for e in evs)
    assert not [e for e in events_of(process, "Russia denied attacking the Georgian village.")
                if e.modality == "asserted" and e.event_type in ("ASSAULT", "COERCE")]


def test_historical_background(process):
    ev = one(process, "In 1994, Russian troops invaded Chechnya.", "ASSAULT", published="2022-06-01")
    assert ev.modality == "historical"


def test_background_fact_gives_no_event(process):
    assert events_of(process, "Iran shares a 900 km border with Iraq.") == []
    assert events_of(process, "Chile has a population of 19 million and a long coastline.") == []


def test_purpose_clause_is_not_a_second_event(process):
    evs = events_of(process, "A Malian delegation visited Algiers to hold talks with Algerian officials.")
    assert [e.event_type for e in evs] == ["CONSULT"]


# --- anaphora, ids, evidence, scores -------------------------------------------------


def test_condemning_an_earlier_attack(process):
    text = ("Rebels of the Lord's Resistance Army attacked a village in northern Uganda on Monday. "
            "Kampala strongly condemned this attack.")
    ev = one(process, text, "ACCUSE")
    assert countries(ev.actor) == ["UGA"] and ev.actor[0].sector == "GOV"


def test_evidence_offsets_and_deterministic_ids(process):
    text = "Heavy rain fell. Peru recalled its ambassador from Mexico."
    a = process(text, published="2022-01-01").events
    b = process(text, published="2022-01-01").events
    assert [e.event_id for e in a] == [e.event_id for e in b] and a[0].event_id
    ev = a[0]
    assert text[ev.evidence.start:ev.evidence.end] == ev.evidence.text == "Peru recalled its ambassador from Mexico."
    assert ev.event_type == "SANCTION" and ev.score == -6.0
    assert 0 < ev.confidence <= 1


def test_event_to_dict_matches_contract(process):
    ev = process("Egypt condemned Israel on Monday.", published="2022-01-01").events[0]
    d = ev.to_dict()
    for key in ("event_id", "event_type", "mode", "contexts", "actor", "recipient", "negated", "modality",
                "evidence", "score", "confidence", "cameo", "trigger"):
        assert key in d
    assert set(d["actor"][0]) >= {"text", "name", "country", "sector"}


# --- user resources ------------------------------------------------------------------


def test_user_trigger_file(tmp_path, nlp):
    from dyad.extract import process_document
    from dyad.model import Document
    from dyad.resources import load_resources

    (tmp_path / "triggers.csv").write_text("phrase,pos,type,mode,context,cameo\nsnub,V,REJECT,,diplomatic,120\n")
    res = load_resources((str(tmp_path),))
    text = "Norway snubbed Denmark at the summit."
    evs = process_document(Document(doc_id="u", text=text), nlp(text), res).events
    assert [(e.event_type, countries(e.actor), countries(e.recipient)) for e in evs] == [("REJECT", ["NOR"], ["DNK"])]


# --- the lexicon itself --------------------------------------------------------------

PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


def test_trigger_lexicon_rows_are_valid(resources):
    scores = resources.get("events.scores")
    for table in ("events.verbs", "events.nouns", "events.adjs"):
        for phrase, t in resources.get(table).items():
            assert t.type in PLOVER_TYPES | {"NONE"}, phrase
            if t.type != "NONE":
                assert (t.type, (t.mode or "").lower()) in scores, (phrase, t.type, t.mode)
                assert t.cameo is None or t.cameo.isdigit(), phrase
    assert {"hold", "pay", "launch"} <= resources.get("events.light")
    assert {"say", "tell"} <= resources.get("events.say")


# --- defaults PLOVER coders apply ------------------------------------------------------


def test_protest_without_target_is_against_own_government(process):
    ev = one(process, "Thousands of Chilean students marched on Thursday against the new fees.", "PROTEST")
    assert countries(ev.actor) == ["CHL"] and ev.actor[0].sector == "EDU"
    assert [(p.country, p.sector, p.start) for p in ev.recipient] == [("CHL", "GOV", None)]  # implied, no text


def test_unnamed_group_is_coded_where_it_acts(process):
    ev = one(process, "Farmers blocked highways across Spain to protest fuel prices.", "PROTEST")
    assert countries(ev.actor) == ["ESP"] and ev.actor[0].text == "Farmers"


def test_domestic_target_defaults_to_actor_country(process):
    ev = one(process, "Greek police fired tear gas at demonstrators in Athens.", "ASSAULT")
    assert countries(ev.actor) == ["GRC"] and countries(ev.recipient) == ["GRC"]


def test_mediation_between_parties(process):
    ev = one(process, "The Norwegian envoy launched a mediation effort between Colombia and Venezuela.", "CONSULT")
    assert countries(ev.actor) == ["NOR"] and sorted(countries(ev.recipient)) == ["COL", "VEN"]


def test_verbal_complaint_is_accuse_not_protest(process):
    ev = one(process, "Serbia is violating the truce, a Croatian official protested on Monday.", "ACCUSE")
    assert countries(ev.actor) == ["HRV"]


def test_state_blocking_is_coercion(process):
    ev = one(process, "Turkish police blocked the road to the Kurdish town of Cizre.", "COERCE")
    assert countries(ev.actor) == ["TUR"]


def test_refusing_to_accept_is_a_rejection(process):
    ev = one(process, "Indonesia said it would not accept foreign troops in East Timor.", "REJECT")
    assert not ev.negated and countries(ev.actor) == ["IDN"]


def test_possessive_pronoun_owner(process):
    ev = one(process, "The Ugandan army said its troops killed twenty rebels near Gulu.", "ASSAULT")
    assert countries(ev.actor) == ["UGA"] and ev.actor[0].sector == "MIL"


def test_missile_test_is_not_an_attack(process):
    ev = one(process, "India test-fired a nuclear-capable missile on Sunday.", "MOBILIZE")
    assert ev.mode == "weapons"

"""Quantitative claims: lengths, money, counts of people, percentages.

A claim is a number with a normalised unit ("936-km" -> 936 km, "$4 billion" -> 4e9 USD)
and a subject key saying what is measured, built from the parse: the noun the quantity
measures ("border"), and who it belongs to or lies between ("Iran ... with Afghanistan")
-> "border length|AFG|IRN". Claims whose subject names no participant are dropped:
they could not be compared across documents without false contradictions.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Any, Optional

from spacy.tokens import Doc, Span, Token

from dyad.fuse.countries import CountryTable, country_table, fold
from dyad.model import Claim, Document
from dyad.resources import RESOURCE_DIR, Resources
from dyad.resources.tables.claims import load_tables  # noqa: F401

_OWNER_VERBS = {"share", "have", "run", "stretch", "extend", "measure", "span", "cover"}
_PREPS = {"with", "between", "of", "in", "from", "to", "among", "across", "along", "for"}
_RELATIVE = {"which", "that", "who", "whose"}
_PLACE_ENTS = {"GPE", "LOC", "NORP", "FAC"}
_NUMERIC_ENTS = {"QUANTITY", "MONEY", "PERCENT", "CARDINAL", "DATE", "TIME", "ORDINAL"}




def _tables(res: Resources) -> dict[str, Any]:
    return res.get("claims") or load_tables(RESOURCE_DIR, [])["claims"]


_NUMBER_RE = re.compile(r"\d+(\.\d+)?")


def _number(tok: Token) -> Optional[float]:
    text = tok.text.replace(",", "")
    if not _NUMBER_RE.fullmatch(text):
        return None
    return float(text)


def extract_claims(sdoc: Doc, document: Document, res: Resources) -> list[Claim]:
    tables = _tables(res)
    countries = country_table()
    dyad = main_dyad(sdoc, countries)
    out: list[Claim] = []
    used: set[int] = set()
    for tok in sdoc:
        if tok.i in used or tok.ent_type_ in ("DATE", "TIME", "ORDINAL"):
            continue
        q = _quantity(sdoc, tok, tables, countries)
        if q is None:
            continue
        first, last, value, value_max, unit, kind, anchor = q
        used.update(range(first, last + 1))
        subject = _subject(sdoc, anchor, kind, tables, countries, dyad, document)
        if subject is None:
            continue
        span = sdoc[first:last + 1]
        start, end = span.start_char, span.end_char
        out.append(Claim(
            claim_id="k" + hashlib.sha1(f"{document.doc_id}|{start}|{end}".encode()).hexdigest()[:15],
            doc_id=document.doc_id, subject=subject, value=value, unit=unit, text=span.text,
            start=start, end=end, sentence=span.sent.text.strip(), value_max=value_max))
    return out


def _quantity(sdoc: Doc, tok: Token, t: dict, countries: CountryTable):
    """(first, last, value, value_max, unit, kind, anchor token) for a number at `tok`."""
    value = _number(tok)
    if value is None:
        return None
    units, signs, scales = t.get("units", {}), t.get("currency_signs", {}), t.get("scales", {})
    n = len(sdoc)
    first, j = tok.i, tok.i + 1
    sign = None
    if tok.i > 0 and sdoc[tok.i - 1].lower_ in signs:
        first, sign = tok.i - 1, signs[sdoc[tok.i - 1].lower_]
    scale = 1.0
    if j < n and sdoc[j].lower_ in scales:
        scale, j = float(scales[sdoc[j].lower_]), j + 1
    value_max = None
    between = tok.i > 0 and sdoc[tok.i - 1].lower_ == "between"
    if j + 1 < n and (sdoc[j].lower_ in ("to", "-", "–") or (between and sdoc[j].lower_ == "and")) \
            and _number(sdoc[j + 1]) is not None:
        k = j + 2
        if k < n and sdoc[k].lower_ in signs:
            k += 1
        scale2 = scale
        if k < n and sdoc[k].lower_ in scales:
            scale2, k = float(scales[sdoc[k].lower_]), k + 1
            scale = scale if scale != 1.0 else scale2  # "2.1 to 2.6 million"
        value_max, j = _number(sdoc[j + 1]) * scale2, k
    value *= scale
    last = j - 1
    if j < n and sdoc[j].text in ("-", "–") and j + 1 < n:  # "936-km"
        j += 1
    unit = kind = None
    if j < n and sdoc[j].lower_ in units:
        unit, factor, kind = units[sdoc[j].lower_]
        last = j
    elif j + 1 < n and sdoc[j].lower_ == "per" and sdoc[j + 1].lower_ == "cent":
        unit, factor, kind, last = "percent", 1, "percent", j + 1
    elif sign:
        unit, factor, kind = sign, 1, "money"
    if unit is not None:
        if kind == "money" and sign and unit != sign:
            unit = sign
        value, value_max = value * float(factor), value_max * float(factor) if value_max else None
        anchor = sdoc[last] if kind != "money" else _top(sdoc[first:last + 1])
        return first, last, value, value_max, unit, kind, anchor
    # a bare number counting people: "2.1 million refugees", "12,000 Afghans"
    head = sdoc[last].head if sdoc[last].dep_ in ("nummod", "quantmod", "compound") else None
    noun = sdoc[j] if j < n and sdoc[j].pos_ in ("NOUN", "PROPN") else head
    for cand in (sdoc[k] for k in range(j, min(j + 3, n))):
        if cand.pos_ in ("NOUN", "PROPN"):
            noun = cand
            break
    if noun is not None and (noun.lemma_.lower() in t.get("people_nouns", []) or noun.lower_ in t.get(
            "people_nouns", []) or (noun.tag_ in ("NNPS", "NNS") and countries.demonym(noun.text))):
        return first, last, value, value_max, "people", "people", noun
    return None


def _top(span: Span) -> Token:
    """The token of a span whose head lies outside it."""
    for tok in span:
        if tok.head.i < span.start or tok.head.i >= span.end or tok.head == tok:
            return tok
    return span[-1]


def _measured(anchor: Token, kind: str, t: dict, countries: CountryTable) -> Optional[Token]:
    """The noun a quantity measures: '921 km border' -> border; 'trade reached $4bn' -> trade."""
    if kind == "people":
        return anchor
    if kind == "percent":
        for child in anchor.children:  # "50 percent of the territory"
            if child.dep_ == "prep" and child.lower_ == "of":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return objs[0]
    x = anchor
    for _ in range(6):
        if x.dep_ in ("nsubj", "nsubjpass") and kind == "money" and x.head.lemma_ in ("be",):
            break
        if x.head == x:
            return None
        prev, x = x, x.head
        if x.pos_ in ("NOUN", "PROPN") and x.lemma_.lower() not in t.get("units", {}):
            if x.lemma_.lower() in t.get("vague", []) and prev.dep_ == "pobj":
                continue  # "to the tune of $3.5 billion"
            if prev.dep_ in ("pobj", "prep") and (x.ent_type_ in _PLACE_ENTS or countries.country(x.text)):
                continue  # "a border with Afghanistan of 921 km": the parse hangs it on the place
            return x
        if x.pos_ in ("VERB", "AUX"):
            if x.dep_ in ("acl", "relcl") and x.head.pos_ in ("NOUN", "PROPN"):
                return x.head  # "assets amounting to $9 billion"
            subj = [c for c in x.children if c.dep_ in ("nsubj", "nsubjpass")]
            return subj[0] if subj else None
    return None


def _subject(sdoc: Doc, anchor: Token, kind: str, t: dict, countries: CountryTable,
             dyad: list[str], document: Document) -> Optional[str]:
    away = [p for c in anchor.children if c.dep_ == "prep" and c.lower_ == "from" for p in _pobjs(c)]
    if kind == "length" and away:  # "18 km from the city of X": a distance, not a length
        owner = _measured(anchor, kind, t, countries)
        words, found = ["distance"], away + ([owner] if owner is not None else [])
        kind_word = ""
    else:
        noun = _measured(anchor, kind, t, countries)
        if noun is None:
            return None
        words, found = _measure_words(noun, kind, t, countries), _participant_tokens(noun, kind)
        kind_word = t.get("measure", {}).get(kind, kind)
    parts: set[str] = set()
    for tok in found:
        parts.update(_participant(tok, t, countries, dyad))
    if not away and noun.pos_ == "PROPN" and not countries.demonym(noun.text):
        parts.add(_proper_text(noun))  # "the Khaf-Herat Railway" names itself
    if not away and kind == "people" and countries.demonym(noun.text):
        parts.add(countries.demonym(noun.text))
    if not parts or not words:
        return None
    measure = " ".join(w for w in words + [kind_word] if w)
    key = "|".join([measure, *sorted(parts)])
    if kind != "length":  # money, counts and shares change over time
        year = _year(noun.sent, document)
        key += f"|{year}" if year else ""
    return key


def _measure_words(noun: Token, kind: str, t: dict, countries: CountryTable) -> list[str]:
    syn, drop, vague = t.get("synonyms", {}), set(t.get("drop", [])), set(t.get("vague", []))
    if kind == "people":  # who is counted, and what happened to them ("killed")
        verb = noun.head if noun.dep_ in ("nsubj", "nsubjpass", "dobj") else None
        outcome = [fold(verb.lemma_)] if verb is not None and fold(verb.lemma_) in t.get("people_verbs", []) else []
        if countries.demonym(noun.text):  # "undocumented Afghans" -> undocumented people
            quals = [fold(c.lemma_) for c in noun.children if c.dep_ == "amod" and c.i < noun.i
                     and not countries.demonym(c.text) and fold(c.lemma_) not in drop]
            return [*quals, "people", *outcome]
    else:
        outcome = []
    head = noun
    if noun.lemma_.lower() in vague:  # "the volume of trade" -> trade
        of = [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
              for g in c.children if g.dep_ == "pobj"]
        head = of[0] if of else noun
    if head.pos_ == "PROPN":
        last = fold(head.lemma_)
        return [syn.get(last, last)]
    toks = [c for c in head.children if c.dep_ in ("compound", "amod") and c.i < head.i] + [head]
    out = []
    for tok in sorted(toks, key=lambda x: x.i):
        lem = fold(tok.lemma_)
        if (tok.pos_ in ("PROPN", "NUM") or tok.like_num or lem in drop or countries.demonym(tok.text)
                or countries.country(tok.text) or tok.ent_type_ in ("QUANTITY", "MONEY", "PERCENT", "CARDINAL")):
            continue
        out.append(syn.get(lem, lem))
    return out + outcome


def _participant_tokens(noun: Token, kind: str) -> list[Token]:
    """Who the measured thing belongs to or lies between."""
    found: list[Token] = []
    if kind == "people" and noun.dep_ in ("nsubj", "nsubjpass"):  # "refugees live in X"
        for prep in (c for c in noun.head.children if c.dep_ == "prep" and c.lower_ in ("in", "from", "to")):
            found += _pobjs(prep)
    verb = noun.head
    if noun.dep_ in ("dobj", "attr") and verb.lemma_ in _OWNER_VERBS:
        for subj in (c for c in verb.children if c.dep_ == "nsubj"):
            if subj.lower_ in _RELATIVE and verb.dep_ == "relcl":
                subj = verb.head
            found += [subj, *subj.conjuncts]
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in _PREPS):
            found += _pobjs(prep)
    if noun.dep_ in ("nsubj", "nsubjpass"):  # "a border runs between X and Y"
        for prep in (c for c in noun.head.children if c.dep_ == "prep" and c.lower_ in ("between", "with")):
            found += _pobjs(prep)
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in _PREPS:
            found += _pobjs(child)
            for g in _pobjs(child):  # "the volume of trade between X and Y"
                found += [p for c in g.children if c.dep_ == "prep" and c.lower_ in ("between", "with")
                          for p in _pobjs(c)]
        elif child.dep_ in ("poss", "amod", "compound") and child.i < noun.i:
            found.append(child)
    return [f for f in found if f.ent_type_ not in _NUMERIC_ENTS and not f.like_num]


def _pobjs(prep: Token) -> list[Token]:
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    return [o for obj in objs for o in (obj, *obj.conjuncts)]


def _participant(tok: Token, t: dict, countries: CountryTable, dyad: list[str]) -> set[str]:
    if tok.ent_type_ and tok.ent_type_ not in _PLACE_ENTS | {"ORG", "PERSON"}:
        return set()
    phrase = " ".join(c.lower_ for c in tok.subtree if c.dep_ != "det" and c.pos_ != "PUNCT")
    if tok.lemma_.lower() in ("country", "nation", "neighbour", "neighbor", "state", "side"):
        return set(dyad) if any(p in f"the {phrase}" for p in t.get("dyad_phrases", [])) and len(dyad) == 2 else set()
    if tok.pos_ != "PROPN" and not tok.ent_type_:
        # "the province of Khorasan Razavi", "Khorasan Razavi province"
        names = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        names += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                  for g in c.children if g.dep_ == "pobj" and g.pos_ == "PROPN"]
        if not names:
            iso = countries.demonym(tok.text)
            return {iso} if iso else set()
        tok = names[0]
    text = _proper_text(tok)
    iso = countries.country(text, capitals=True) or countries.demonym(text)
    return {iso or text}


def _proper_text(tok: Token) -> str:
    """The proper name a token belongs to: its entity span, or compounds + itself."""
    if tok.ent_type_ and tok.ent_iob_ in ("B", "I"):
        for ent in tok.doc.ents:
            if ent.start <= tok.i < ent.end:
                words = [w for w in ent if w.dep_ != "det" and w.lower_ not in ("province", "'s", "’s")]
                return tok.doc[words[0].i:words[-1].i + 1].text if words else ent.text
    parts = [c for c in tok.lefts if c.dep_ == "compound"] + [tok]
    return tok.doc[parts[0].i:tok.i + 1].text


def _year(sent: Span, document: Document) -> Optional[str]:
    """The year a time-varying figure is for; "year?" when it is relative ("last year")
    and the document is undated, so it is compared with nothing rather than mis-dated."""
    ref = document.published
    for ent in (e for e in sent.ents if e.label_ == "DATE"):
        m = re.search(r"\b(19|20)\d\d\b", ent.text)
        if m:
            return m.group(0)
        low = ent.text.lower()
        for phrase, delta in (("last year", -1), ("this year", 0), ("next year", 1)):
            if phrase in low:
                return str(int(ref[:4]) + delta) if ref else "year?"
    return None


def main_dyad(sdoc: Doc, countries: CountryTable) -> list[str]:
    """The document's two most-mentioned countries (names, capitals, demonyms)."""
    counts: Counter[str] = Counter()
    for ent in sdoc.ents:
        if ent.label_ in ("GPE", "NORP", "LOC"):
            iso = countries.country(ent.text, capitals=True) or countries.demonym(ent.text)
            if iso:
                counts[iso] += 1
    top = [c for c, _ in counts.most_common(2)]
    return sorted(top) if len(top) == 2 else []

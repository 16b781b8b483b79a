"""Features of one candidate trigger, for the event model (`dyad.resources.tables.eventmodel`).

Pure functions of the parse and of what the rules found; training (`dyad.learn`) and coding
call the same code, so the model sees at run time what it saw when it was trained."""
from __future__ import annotations

from typing import Iterable, Optional

from spacy.tokens import Span, Token

from dyad.model import Party

_CHILD_DEPS = {"dobj", "nsubj", "nsubjpass", "agent", "prt", "xcomp", "ccomp", "neg", "aux", "auxpass", "advmod",
               "attr", "acomp", "dative", "compound", "amod", "poss", "npadvmod", "oprd"}
_CONTENT = {"NOUN", "PROPN", "VERB", "ADJ"}




def _low(t: Token) -> str:
    return t.lemma_.lower()


def _party_feats(prefix: str, ps: list[Party]) -> list[str]:
    if not ps:
        return [f"{prefix}:none"]
    p = ps[0]
    out = [f"{prefix}:sec={p.sector or '-'}", f"{prefix}:type={p.type or '-'}",
           f"{prefix}:{'country' if p.country else 'nocountry'}"]
    if p.country in ("IGO", "NGO", "IMG", "MNC"):
        out.append(f"{prefix}:{p.country}")
    if len(ps) > 1:
        out.append(f"{prefix}:many")
    return out


def candidate_features(tok: Token, lexicon_type: str, lexicon_mode: Optional[str], pos: str, phrase: str,
                       anchor: Token, light: Optional[Token], sent: Span, actor: list[Party],
                       recipient: list[Party], negated: bool, modality: str, flags: Iterable[str],
                       sentence: Optional[list[str]] = None) -> list[str]:
    """Sparse binary features of one candidate (strings; the model keeps those it was trained on)."""
    lem = _low(tok)
    f = [f"lex={lexicon_type}", f"lexm={lexicon_type}:{lexicon_mode or ''}", f"pos={pos}", f"phr={phrase}",
         f"lem={lem}", f"lem={lem}|lex={lexicon_type}", f"tag={tok.tag_}", f"dep={tok.dep_}",
         f"mod={modality}", f"neg={negated}", f"lex={lexicon_type}|mod={modality}", f"lem={lem}|mod={modality}"]
    f += [f"flag={x}" for x in flags]
    if light is not None:
        f += [f"light={_low(light)}", f"light={_low(light)}|{lem}"]
    f.append("aroot" if anchor.head.i == anchor.i else f"ahead={_low(anchor.head)}")
    f.append(f"adep={anchor.dep_}")
    for t, tag in ((anchor, "a"), (tok, "t")) if anchor.i != tok.i else ((tok, "t"),):
        for c in t.children:
            if c.dep_ in _CHILD_DEPS:
                f.append(f"{tag}:{c.dep_}={_low(c)}")
                if c.ent_type_:
                    f.append(f"{tag}:{c.dep_}:ent={c.ent_type_}")
            elif c.dep_ == "prep":
                f.append(f"{tag}:prep={c.lower_}")
                for g in c.children:
                    if g.dep_ == "pobj":
                        f += [f"{tag}:pp:{c.lower_}={_low(g)}", f"{tag}:pp:{c.lower_}:ent={g.ent_type_ or g.pos_}"]
    for off in (-2, -1, 1, 2):
        j = tok.i + off
        if sent.start <= j < sent.end and not tok.doc[j].is_punct:
            f.append(f"w{off}={tok.doc[j].lower_}")
    f += sentence_features(sent) if sentence is None else sentence
    f += _party_feats("act", actor) + _party_feats("rec", recipient)
    return f


def sentence_features(sent: Span) -> list[str]:
    """What the whole sentence says, shared by its candidates: its content words, the kinds
    of names in it, and whether it reads as a headline."""
    f = [f"sent:ent={e}" for e in sorted({t.ent_type_ for t in sent if t.ent_type_})]
    f += [f"s={_low(t)}" for t in sent if t.pos_ in _CONTENT and not t.is_stop]
    if sent.text.rstrip()[-1:] not in ".!?\"'”’":
        f.append("headline")
    return f

"""Date mentions in a document, event dates, and document-date inference.

- `find_dates`: spaCy DATE (and day-word TIME) entities plus the date shapes spaCy
  misses ("Dec. 26", "on Friday"), each resolved against the publication date.
- `infer_document_date`: for an undated document, a range from the latest absolute
  dates it mentions; left open-ended rather than invented.
- `attach_event_dates`: each event takes the date expression attached to its trigger
  (or the nearest governing one); otherwise the publication date, marked approximate,
  or for an undated document its inferred range (kind "range", maybe open-ended).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Optional

from spacy.tokens import Doc, Span, Token

from dyad.dates import ResolvedDate, reference_window, resolve_date, to_reference
from dyad.dates.calendar import period_end
from dyad.model import DateMention, Document, Event, EventDate, InferredDate, Mention
from dyad.resources import Resources

_MONTH_CAP = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
              r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)")
_WEEKDAY_CAP = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Date shapes spaCy's small model often misses or splits.
_EXTRA_RE = re.compile("|".join((
    rf"\b{_MONTH_CAP}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?",
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_CAP}\b(?:,?\s+\d{{4}}\b)?",
    rf"(?<!Good )(?<!Black )(?<!Ash )\b(?:(?:[Ll]ast|[Tt]his|[Nn]ext)\s+)?{_WEEKDAY_CAP}\b",  # not holidays
    r"\b(?:[Yy]esterday|[Tt]oday|[Tt]onight|[Ll]ast night|[Tt]his (?:morning|afternoon|evening))\b",
    r"\b\d{4}-\d{2}-\d{2}\b", r"\b\d{1,2}/\d{1,2}/\d{2,4}\b",
    r"(?<=\b[Ii]n )(?:1[5-9]\d\d|20\d\d)\b(?!\s*(?:km|kilomet|people|troops|%))",
)))
# Words that belong to a date phrase but sit just left of spaCy's entity.
_LEFT_RE = re.compile(
    r"(?:\b(?:early|mid|late|earlier in|later in|earlier|later|the end of|end of|the beginning of|beginning of|"
    r"the start of|start of|the middle of|(?:the )?(?:first|second|third|fourth|last|final) week of|"
    r"(?:the )?(?:first|second) half of|nearly|almost|about|around|some|more than)\s*-?\s*)$", re.I)
_TIME_OK = re.compile(r"\b(?:night|tonight|morning|afternoon|evening|today|yesterday)\b", re.I)
_FUTURE_AUX = {"will", "shall", "'ll", "wo", "must"}  # an obligation looks forward
_SUBORDINATE = {"acl", "relcl", "advcl"}
_FUTURE_VERBS = {"schedule", "plan", "expect", "due", "set", "slate"}


_RESOLVED: dict = {}  # (phrase, reference, prefer) -> ResolvedDate
_RESOLVED_MAX = 50_000  # cleared when full: memory stays flat over long runs


def _resolve(text: str, reference, prefer: str = "past") -> ResolvedDate:
    """`resolve_date`, memoised: it is pure in (text, reference, prefer) and ResolvedDate is
    frozen. A document resolves each mention once for itself and again for every event."""
    key = (text, reference, prefer)
    try:
        return _RESOLVED[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable reference: resolve without the memo
        return resolve_date(text, reference, prefer=prefer)
    if len(_RESOLVED) >= _RESOLVED_MAX:
        _RESOLVED.clear()
    r = _RESOLVED[key] = resolve_date(text, reference, prefer=prefer)
    return r


def find_dates(sdoc: Doc, document: Document) -> list[DateMention]:
    ref = to_reference(document.published)
    text = document.text
    spans = _entity_spans(sdoc)
    for m in _EXTRA_RE.finditer(text):
        a, b = m.span()
        if any(s <= a and b <= e for s, e in spans):
            continue
        spans = [(s, e) for s, e in spans if not (a <= s and e <= b)]  # a longer regex match wins
        if not any(s < b and a < e for s, e in spans):
            spans.append((a, b))
    out = []
    for a, b in _merge_adjacent(text, sorted(set(spans))):
        a = _extend_left(text, a)
        a, b = _trim(text, a, b)
        if a >= b:
            continue
        phrase = text[a:b]
        r = _resolve(phrase, ref, _tense(sdoc, a, b))
        out.append(DateMention(document.doc_id, phrase, a, b, r.start_iso, r.end_iso, r.granularity, r.kind))
    return out


def _merge_adjacent(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy splits some phrases ("earlier in" + "January", "Saturday" + "evening")."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and (out[-1][1] >= a or text[out[-1][1]:a].isspace()):
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def _entity_spans(sdoc: Doc) -> list[tuple[int, int]]:
    spans = []
    for ent in sdoc.ents:
        if ent.label_ == "DATE" or (ent.label_ == "TIME" and _TIME_OK.search(ent.text)):
            spans.append((ent.start_char, ent.end_char))
    return spans


def _extend_left(text: str, a: int) -> int:
    m = _LEFT_RE.search(text[max(0, a - 40):a])
    return a - len(m.group(0)) if m else a


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Drop a leading article before a calendar date ("a Nov. 9 stop") and edge punctuation."""
    m = re.match(rf"(?:an?|the)\s+(?={_MONTH_CAP}\b|\d)", text[a:b])
    if m and not re.match(r"(?:an?|the)\s+\d+\s*(?:days?|weeks?|months?|years?)\b", text[a:b], re.I):
        a += m.end()
    while a < b and text[a] in " ,;:(\"'":
        a += 1
    while b > a and text[b - 1] in " ,;:)\"'.":
        if text[b - 1] == "." and re.search(rf"\b(?:{_MONTH_CAP}|[ap]\.m|St)\.$", text[a:b]):
            break
        b -= 1
    return a, b


def _tense(sdoc: Doc, a: int, b: int) -> str:
    """"future" when the date hangs off a verb marked as future ("talks will be held on Friday")."""
    span = sdoc.char_span(a, b, alignment_mode="expand")
    if span is None:
        return "past"
    tok: Token = span.root
    for _ in range(7):
        if tok.pos_ in ("VERB", "AUX"):
            if tok.lemma_ in _FUTURE_VERBS or any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in tok.children):
                return "future"
            if tok.dep_ not in _SUBORDINATE:  # a main verb with no future marker: past
                return "past"
            # "anyone arriving after 4am on Saturday must self-isolate": the clause the
            # date sits in takes its time from the verb it depends on
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return "past"


# --------------------------------------------------------------------------- document date

_FUTURE_NEAR = re.compile(
    r"\b(?:will|shall|plans?|planned|scheduled|expected|due (?:to be|in|on|by)|aims?|target|goal|by|until|till|before)\b",
    re.I)


@dataclass(frozen=True)
class _Bound:
    start: date
    end: date
    gran: Optional[str]
    mention: DateMention


def infer_document_date(document: Document, mentions: list[DateMention], res: Optional[Resources] = None,
                        people: Iterable[Mention] = ()) -> Optional[InferredDate]:
    """A range for an undated document, from what its text says, each piece with its span:

    * not before the latest date it mentions in the past tense, narrowed where a relative
      phrase sits next to an absolute one ("in March 2021, nearly two years ago");
    * not before a landmark event it tells as past ("since the Taliban takeover");
    * within the term of office of a person it names with their role ("Foreign Minister
      X" while X held that post), after it for a "former" one.

    Only bounds the text gives: when nothing bounds the end, the end stays open and the
    basis says so."""
    ev: list[dict[str, Any]] = []
    absolutes = [b for m in mentions if (b := _absolute_bound(document.text, m))]
    latest_gran = None
    if absolutes:
        latest = max(absolutes, key=lambda b: b.start)
        latest_gran = latest.gran
        ev.append(_evidence("latest_date", latest.mention.text, latest.mention.start, latest.mention.end,
                            after=latest.start.isoformat(), what="the latest date the text mentions"))
    start = max((date.fromisoformat(e["after"]) for e in ev), default=None)
    end: Optional[date] = None
    for rel, ab in _adjacent_pairs(document.text, mentions):
        win = reference_window(rel.text, ab.start, ab.end)
        if not win or start is None:
            continue
        lo, hi = win
        if hi < start or (end and lo > end):
            continue  # contradicts a firmer bound: ignore rather than invent
        ev.append(_evidence("relative", f"{rel.text} / {ab.mention.text}", rel.start, rel.end, after=lo.isoformat(),
                            before=hi.isoformat(), what=f"{rel.text!r} next to {ab.mention.text!r}"))
    if res is not None:
        ev += _landmarks(document.text, res) + _offices(people, res)
    if not ev:
        return None
    afters = [date.fromisoformat(e["after"]) for e in ev if e.get("after")]
    befores = [(date.fromisoformat(e["before"]), e) for e in ev if e.get("before")]
    start = max(afters) if afters else None
    for b, e in sorted(befores, key=lambda x: x[0]):
        if start is not None and b < start:
            e["conflict"] = True  # an upper bound before a firmer lower one: reported, not used
            continue
        end = b if end is None else min(end, b)
    if start is None and end is None:
        return None
    used = [e for e in ev if not e.get("conflict")]
    basis = "; ".join(_describe(e) for e in used)
    if end is None:
        basis += "; nothing in the text bounds the end"
    if start and end:
        gran = _range_granularity(start, end)
    else:  # open-ended: the lower bound's own precision ("not before 2016" is a year)
        gran = latest_gran if absolutes and start == max(b.start for b in absolutes) else "day"
    return InferredDate(start.isoformat() if start else None, end.isoformat() if end else None, gran, basis, ev)


def _evidence(kind: str, text: str, start: Optional[int], end: Optional[int], after: Optional[str] = None,
              before: Optional[str] = None, what: str = "") -> dict[str, Any]:
    return {"kind": kind, "text": text, "start": start, "end": end, "after": after, "before": before, "what": what}


def _describe(e: dict[str, Any]) -> str:
    where = f" (chars {e['start']}-{e['end']})" if e.get("start") is not None else ""
    bound = " and ".join(x for x in (f"on or after {e['after']}" if e.get("after") else "",
                                      f"on or before {e['before']}" if e.get("before") else "") if x)
    return f"{bound}: {e['what']} {e['text']!r}{where}" if e["kind"] == "latest_date" else f"{bound}: {e['what'] or e['text']}{where}"


def _landmarks(text: str, res: Resources) -> list[dict[str, Any]]:
    out = []
    for rx, day, what in res.get("dates.landmarks", ()):
        m = rx.search(text)
        if m is not None:
            out.append(_evidence("landmark", m.group(0), m.start(), m.end(), after=day, what=what))
    return out


_ROLE_WORDS = {"president", "minister", "foreign", "defence", "defense", "interior", "prime", "chancellor", "king",
               "spokesperson", "spokesman", "spokeswoman", "secretary", "speaker", "governor", "chief", "leader",
               "emir", "premier", "finance", "envoy", "ambassador", "general"}


_QUALIFIERS = {"vice", "deputy", "first", "second", "assistant", "under", "junior"}


def _offices(people: Iterable[Mention], res: Resources) -> list[dict[str, Any]]:
    """Terms of office of people named with their role (the actor KB's dates)."""
    terms: dict[str, tuple] = res.get("actors.terms", {})
    out = []
    seen: set[tuple[str, str]] = set()
    for m in people:
        if m.type != "PERSON" or not m.title or (m.name or "") not in terms:
            continue
        title = m.title.lower()
        words = set(re.findall(r"[a-z]+", title)) & _ROLE_WORDS
        if not words:
            continue
        # "Vice-President X" is not X's term as acting president: a qualifier in the title
        # (vice, deputy, first) must be in the role too
        quals = set(re.findall(r"[a-z]+", title)) & _QUALIFIERS
        for t_start, t_end, _, role in terms[m.name]:
            role_words = set(re.findall(r"[a-z]+", role.lower()))
            if not t_start or not words <= role_words | {"acting"} or not quals <= role_words:
                continue
            if (m.name, t_start) in seen:
                break
            seen.add((m.name, t_start))
            if "former" in title or "ex" in title.split():
                if t_end:
                    out.append(_evidence("office", f"{m.title} {m.name}", m.start, m.end, after=t_end,
                                         what=f"{m.name} is a former {role} (until {t_end})"))
            else:
                out.append(_evidence("office", f"{m.title} {m.name}", m.start, m.end, after=t_start, before=t_end or None,
                                     what=f"{m.name} was {role} from {t_start}" + (f" to {t_end}" if t_end else "")))
            break
    return out


def _range_granularity(start: date, end: date) -> str:
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return "year"
    if (start.year, start.month) == (end.year, end.month) and start.day == 1 and end == period_end(start, "month"):
        return "month"
    return "day"


def _absolute_bound(text: str, m: DateMention) -> Optional[_Bound]:
    r = _resolve(m.text, None)
    if not r.resolved or r.start is None:
        return None
    before = text[max(0, text.rfind(".", 0, m.start) + 1):m.start]
    if _FUTURE_NEAR.search(before[-60:]):
        return None  # a plan or deadline says nothing about when the text was written
    start = r.start
    if r.kind == "range" and r.end and r.reason.startswith("range from"):
        # "between 1996 and 2001" names 2001 itself: the text is at least that late
        start = _unit_start(r.end, r.granularity)
    return _Bound(start, r.bounds()[1], r.granularity, m)


def _unit_start(d: date, gran: Optional[str]) -> date:
    if gran == "year":
        return date(d.year, 1, 1)
    if gran in ("month", "quarter"):
        return date(d.year, d.month, 1) if gran == "month" else date(d.year, (d.month - 1) // 3 * 3 + 1, 1)
    return d


_GAP_OK = re.compile(r"^[\s,;:()\-\u2013\u2014]*(?:or|i\.e\.|that is|some|about)?[\s,;:()\-\u2013\u2014]*$", re.I)


_CLAUSE_END = re.compile(r"(?:$|\s*[,.;:)\u2013\u2014\n]|\s+-)")


def _adjacent_pairs(text: str, mentions: list[DateMention]) -> Iterable[tuple[DateMention, _Bound]]:
    """(relative, absolute) mentions written side by side: "in March 2021, nearly two years ago"."""
    ordered = sorted(mentions, key=lambda m: m.start)
    for x, y in zip(ordered, ordered[1:]):
        if not _GAP_OK.match(text[x.end:y.start]):
            continue
        if not _CLAUSE_END.match(text[y.end:y.end + 2]):
            continue  # "In 2016, last year's winner ...": a modifier, not the same date restated
        for rel, ab in ((x, y), (y, x)):
            b = _absolute_bound(text, ab)
            if b and not _resolve(rel.text, None).resolved:
                yield rel, b


# --------------------------------------------------------------------------- event dates

_CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "xcomp", "csubj", "parataxis", "conj", "acl", "pcomp"}
_BOUND_DEPS = {"ccomp", "parataxis", "relcl", "acl"}
_SKIP_REASONS = ("vague", "a duration", "not a date")


def trigger_token(sdoc: Doc, event: Event) -> Optional[Token]:
    """The trigger's head token inside the event's evidence sentence (shared with places)."""
    start = getattr(event, "trigger_start", None)
    if start is not None:
        span = sdoc.char_span(start, getattr(event, "trigger_end", start + 1), alignment_mode="expand")
        if span is not None:
            return span.root
    ev = event.evidence
    sent = sdoc.char_span(ev.start, ev.end, alignment_mode="expand")
    if sent is None:
        return None
    if event.trigger:
        words = event.trigger.lower().split()
        toks = list(sent)
        for i, t in enumerate(toks):
            if t.lower_ == words[0] or (len(words) == 1 and t.lemma_.lower() == words[0]):
                match = toks[i:i + len(words)]
                return min(match, key=lambda t: len(list(t.ancestors)))
        for t in toks:  # "visited" against a trigger written as its lemma, or vice versa
            if t.lemma_.lower() == re.sub(r"(ed|ing|s)$", "", words[0]) or t.lemma_.lower() == words[0]:
                return t
    return sent.root


def _anchor(span: Span) -> Token:
    """The token a date or place phrase modifies: through its preposition, if any."""
    root = span.root
    head = root.head
    if head.i == root.i:
        return root
    if head.dep_ in ("prep", "agent") or head.pos_ == "ADP":
        return head.head
    return head


def _path_up(tok: Token, target: Token, limit: int = 8) -> Optional[list[Token]]:
    path = [tok]
    while tok.i != target.i:
        if tok.head.i == tok.i or len(path) > limit:
            return None
        tok = tok.head
        path.append(tok)
    return path


@dataclass(frozen=True)
class _Cand:
    mention: DateMention
    result: ResolvedDate
    rank: tuple[int, int, int]
    via_speech: bool


def attach_event_dates(events: list[Event], sdoc: Doc, document: Document, mentions: list[DateMention]) -> None:
    ref = to_reference(document.published)
    fallback = _document_date(document, ref)
    for event in events:
        trig = trigger_token(sdoc, event)
        best = _best_date(event, trig, sdoc, mentions, ref) if trig is not None else None
        if best is None:
            event.date = fallback
            continue
        r, m = best.result, best.mention
        if ref is None and not r.resolved:
            r = _resolve_in_inferred(m, sdoc, document) or r
        kind = "approximate" if best.via_speech and r.kind == "exact" else r.kind
        event.date = EventDate(m.text, r.start_iso, r.end_iso, r.granularity, kind)


def _best_date(event: Event, trig: Token, sdoc: Doc, mentions: list[DateMention], ref) -> Optional[_Cand]:
    ev = event.evidence
    cands = []
    for m in mentions:
        if m.start < ev.start or m.end > ev.end:
            continue
        span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or span.start <= trig.i < span.end:
            continue
        r = _resolve(m.text, ref, _tense(sdoc, m.start, m.end))
        if not r.resolved and r.reason.startswith(_SKIP_REASONS):
            continue  # "for years", "recent days": no better than the document date
        anchor = _anchor(span)
        dist = abs(span.start - trig.i)
        down = _path_up(anchor, trig)
        if down is not None:  # the trigger governs the date
            if any(t.dep_ in _CLAUSE_DEPS and t.pos_ in ("VERB", "AUX") for t in down[:-1]):
                continue  # the date belongs to a clause of its own
            cands.append(_Cand(m, r, (0, len(down), dist), False))
            continue
        up = _path_up(trig, span.root)
        if up is not None:  # "In 2016, when a strike killed ...": the clause modifies the date itself
            cands.append(_Cand(m, r, (0, len(up), dist), False))
            continue
        up = _path_up(trig, anchor)
        if up is not None:  # the date sits on a verb or noun that governs the trigger
            # a date on a reporting verb (or on the noun a relative clause describes) bounds
            # the embedded event without dating it; a cleft "it was last week that..." dates it
            speech = any(t.dep_ in _BOUND_DEPS and not (t.head.i == anchor.i and anchor.lemma_ == "be")
                         for t in up[:-1])
            cands.append(_Cand(m, r, (1, len(up), dist), speech))
    return min(cands, key=lambda c: c.rank) if cands else None


def _resolve_in_inferred(m: DateMention, sdoc: Doc, document: Document) -> Optional[ResolvedDate]:
    """A relative phrase in an undated document: usable only if it resolves the same way
    against both ends of the inferred publication range."""
    inf = document.published_inferred
    if inf is None or not inf.start or not inf.end:
        return None
    prefer = _tense(sdoc, m.start, m.end)
    a, b = _resolve(m.text, inf.start, prefer), _resolve(m.text, inf.end, prefer)
    if a.resolved and (a.start, a.end, a.granularity) == (b.start, b.end, b.granularity):
        return ResolvedDate(a.start, a.end, a.granularity, a.kind, a.reason + " (same at both ends of the inferred date)")
    return None


def _document_date(document: Document, ref) -> EventDate:
    if ref is not None:
        return EventDate(None, ref.isoformat(), None, "day", "approximate")
    inf = document.published_inferred
    if inf is not None and inf.start:
        # the inferred publication range; open-ended ("not before 2001") keeps no granularity
        # so that it cannot be read as "in 2001"
        return EventDate(None, inf.start, inf.end, inf.granularity if inf.end else None, "range")
    return EventDate(None, None, None, None, "unresolved")


def mention_bounds(m: DateMention) -> Optional[tuple[date, date]]:
    """First and last day a resolved mention covers (for callers comparing dates)."""
    if not m.resolved_start:
        return None
    s = date.fromisoformat(m.resolved_start)
    e = date.fromisoformat(m.resolved_end) if m.resolved_end else period_end(s, m.granularity)
    return s, e

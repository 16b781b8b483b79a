"""Normalising a date phrase, and refusing the phrases that are not dates of their own.

Refusals come first in the cascade: a phrase that needs world knowledge ("last
Ramadan"), counts from another event ("two days later"), is a duration ("three days
of clashes") or is vague ("in recent years") must never reach the rules that guess.
"""
from __future__ import annotations

import re
from typing import Optional

from dyad.dates.lexicon import DECADE_WORDS, HEDGES, MONTH, NUM, UNIT, WEEKDAY, needs_context_re

# --------------------------------------------------------------------------- normalisation

_TIME_RE = re.compile(
    r"\s*,?\s*(?:at\s+)?(?:\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?|(?<![a-z])noon|(?<![a-z])midnight)"
    r"(?:\s*\(?(?:gmt|utc|local time|[a-z]{2,4}t)\)?)?$"
)
_LEAD_TIME_RE = re.compile(
    r"^(?:(?:shortly |just )?(?:after|before|from|at|by|until|since|around) )?"
    r"(?:\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?|\d{1,2}:\d{2}|noon|midnight)(?: (?:gmt|utc|local time|[a-z]{2,4}t))?"
    r"(?: (?:on|of))? (?=\S)"
)
_FILLERS = ("as recently as", "as long ago as", "way back in", "back in", "back on", "sometime in", "some time in", "as early as", "as late as", "as of", "on", "in", "at", "during",
            "since", "until", "till", "by", "of", "the", "just", "only", "circa", "from")
_FILLER_RE = re.compile(rf"^(?:{'|'.join(re.escape(f) for f in _FILLERS)})\s+")
_HEDGE_RE = re.compile(rf"^(?:{'|'.join(re.escape(h) for h in HEDGES)})\s+")


def normalize(raw: str) -> str:
    s = raw.lower()
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"(?<!\d)'s$", "", s)  # "last year's", not "1990's"
    s = s.strip(" .,;:()[]\"")
    s = re.sub(r"^(\d{4}-\d{2}-\d{2})t[\d:.]+(?:z|[+-]\d{2}:?\d{2})?$", r"\1", s)  # ISO date-time
    s = _TIME_RE.sub("", s).strip(" ,")
    s = _LEAD_TIME_RE.sub("", s)  # "after 4am on saturday": the day is what dates the event
    s = re.sub(r"\bmid-\s*", "mid ", s)
    s = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", s)  # ordinals: "30th" -> "30"
    s = re.sub(r"\s*,\s*", " ", s)  # commas carry no meaning in date phrases
    return s.strip()


def strip_fillers(s: str) -> tuple[str, bool]:
    """Drop leading prepositions and hedges; report whether a hedge was seen."""
    hedged = False
    while True:
        t = _FILLER_RE.sub("", s, count=1)
        h = _HEDGE_RE.sub("", t, count=1)
        if h != t:
            hedged = True
        if h == s:
            return s, hedged
        s = h


# --------------------------------------------------------------------------- refusals

_ANAPHORIC = [re.compile(p) for p in (
    r"^(?:the )?(?:day|night|morning|evening|week|month|year)s? (?:before|after|earlier|later|prior)$",
    r"^(?:the (?:next|following|preceding|same|prior)|following|preceding|same|prior) (?:day|night|morning|afternoon|evening|week|weekend|month|year|quarter|decade)s?$",
    r"^(?:the )?previous (?:day|night|morning|afternoon|evening|weekend|quarter|decade)s?$",
    r"^(?:that|the same|this same) (?:day|night|morning|afternoon|evening|week|weekend|month|year)$",
    rf"^(?:(?:the )?previous|that|the following|the preceding) {WEEKDAY}$",
    r"^(?:later|earlier) (?:that|the same|in the|on the|the) (?:day|night|morning|evening|week|month|year)$",
    r"^next (?:day|morning|night|evening)$",
    rf"^(?:some |about |nearly |almost |more than |over |just )?(?:{NUM}) (?:{UNIT}) (?:later|earlier|before|after|prior|on)$",
    r"^(?:a )?(?:few|couple of) (?:days|weeks|months|years) (?:later|earlier)$",
    r"^(?:(?:at|by|around) )?the time$", r"^then$", r"^(?:later|earlier)$", r"^the day$",
    r"^the (?:previous|preceding|following)\b(?! (?:week|month|year)$)",
)]
_VAGUE = [re.compile(p) for p in (
    r"\brecent(?:ly)?\b", r"^lately$", r"^(?:now|currently|at present|presently|nowadays|these days|today's)$",
    r"^(?:the )?(?:coming|next few|past few|last few|upcoming) (?:days|weeks|months|years|decades)$",
    r"^(?:the )?(?:future|past|present)$", r"^(?:long|years|decades|months|weeks|ages) ago$",
    r"^soon$", r"^once$", r"^(?:the )?(?:early|late) (?:days|years)$", r"^(?:for )?(?:years|decades|months|weeks|days)$",
    r"^(?:many|the past several|the last several) (?:days|weeks|months|years|decades)(?: ago)?$",
)]
_DURATION = [re.compile(p) for p in (
    rf"^(?:the )?(?:(?:more than|over|nearly|almost|about|some|just|only|another|at least|up to|the past|the last|past|last|first|next) )*(?:{NUM}|\d+)[ -](?:{UNIT})(?: (?:of|long|old|-long|-old|in a row|running|straight)\b.*)?$",
    rf"^(?:{NUM}|\d+)-(?:minute|hour|day|night|week|month|year|decade)\b.*$",
    r"^(?:days|weeks|months|years|decades|hours) of\b", r"^(?:a|one|the) (?:day|week|month|year|decade)(?:-long)?$",
    r"^(?:half a|a half) (?:day|week|month|year|decade)$", r"^(?:the )?(?:\d+|\w+)-(?:day|week|month|year)-old$",
    r"^(?:daily|weekly|monthly|yearly|annual|annually|every (?:day|week|month|year))$",
)]


_WINDOW_PHRASE_RE = re.compile(rf"^(?:the )?(?:past|last) (?:{NUM} )?(?:{UNIT})$")
_DATE_WORDS_RE = re.compile(
    rf"\b(?:{MONTH}|{WEEKDAY}|today|tonight|overnight|yesterday|tomorrow|morning|afternoon|evening|night|weeks?|"
    rf"weekends?|months?|years?|quarters?|decades?|century|ago|spring|summer|autumn|fall|winter|half|"
    rf"{'|'.join(DECADE_WORDS)})\b")


def refuse(s: str) -> Optional[str]:
    m = needs_context_re().search(s)
    if m:
        return f"needs world knowledge ({m.group(0)!r})"
    core, _ = strip_fillers(s)
    for pat in _ANAPHORIC:
        if pat.search(core):
            return "relative to another event, not to the document"
    for pat in _VAGUE:
        if pat.search(core):
            return "vague time reference"
    # "the past three weeks" is a window, not a duration; let the range rules see it.
    if not _WINDOW_PHRASE_RE.match(core):
        for pat in _DURATION:
            if pat.search(core):
                return "a duration, not a date"
    if not any(c.isdigit() for c in core) and not _DATE_WORDS_RE.search(core):
        return "not a date"
    return None

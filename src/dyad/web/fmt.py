"""Small display helpers, registered as Jinja filters and globals (all return plain text)."""
from __future__ import annotations

import re
from typing import Any, Optional
from urllib.parse import quote, urlencode, urlsplit

from dyad.web.queries import country_names

GRANULARITY_LABEL = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}


def date_label(date: Optional[dict[str, Any]]) -> str:
    """An event date at its own precision: 2022-01-08, 2021-12, 2021 Q4, 2021, week of …, a – b."""
    if not date:
        return "undated"
    start, end = date.get("start"), date.get("end")
    gran, kind = date.get("granularity"), date.get("kind")
    if not start:
        return f"“{date['text']}”" if date.get("text") else "undated"
    s = str(start)
    if kind == "range" and end and end != start:
        label = f"{s} – {end}"
    elif gran == "month":
        label = s[:7]
    elif gran == "year":
        label = s[:4]
    elif gran == "quarter" and len(s) >= 7:
        label = f"{s[:4]} Q{(int(s[5:7]) - 1) // 3 + 1}" if s[5:7].isdigit() else s
    elif gran == "week":
        label = f"week of {s[:10]}"
    else:
        label = s[:10]
    if kind == "approximate":
        label = "≈ " + label
    return label


def precision(date: Optional[dict[str, Any]]) -> str:
    if not date or not date.get("start"):
        return "unresolved" if date and date.get("text") else "none"
    if date.get("kind") == "range":
        return "range"
    return GRANULARITY_LABEL.get(date.get("granularity") or "", "day")


def tone(score: Optional[float]) -> str:
    """CSS class for a PLOVER score: cooperative (green) or conflictual (red), stronger past ±5."""
    if score is None:
        return "neutral"
    if score > 0:
        return "coop strong" if score >= 5 else "coop"
    if score < 0:
        return "conf strong" if score <= -5 else "conf"
    return "neutral"


def score_text(score: Optional[float]) -> str:
    if score is None:
        return "–"
    return f"{score:+.1f}" if score else "0"


def safe_url(url: Optional[str]) -> Optional[str]:
    """A URL fit for an href: http(s) only, never javascript: or data:."""
    if not url or not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def country(code: Optional[str]) -> str:
    if not code:
        return ""
    return country_names().get(code, code)


def party(p: dict[str, Any]) -> str:
    return p.get("name") or p.get("text") or "?"


def party_tags(p: dict[str, Any]) -> str:
    return " · ".join(x for x in (p.get("country"), p.get("sector")) if x)


def path_part(value: Any) -> str:
    """Quote a value for use as one URL path segment."""
    return quote(str(value), safe="")


def query_string(params: dict[str, Any], **changes: Any) -> str:
    merged = {k: v for k, v in {**params, **changes}.items()
              if v is not None and v != "" and not (k == "offset" and not v)}
    return ("?" + urlencode(merged)) if merged else ""


def short(text: Optional[str], n: int = 90) -> str:
    if not text:
        return ""
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def redact(url: str) -> str:
    """A store URL without its password (postgresql://user:secret@host → postgresql://user:***@host)."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url or "")


def number(value: Any) -> str:
    """1234.0 → 1,234; 0.5 → 0.5."""
    if value is None:
        return ""
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{int(f):,}" if f.is_integer() else f"{f:,.2f}".rstrip("0").rstrip(".")


def subject(value: Optional[str]) -> str:
    """A claim subject key 'border length|AFG|IRN' → 'border length · AFG · IRN'."""
    return " · ".join(p for p in (value or "").split("|") if p)


def chart_label(text: Optional[str]) -> str:
    """Labels inside Plotly charts: Plotly reads a few HTML-like tags, so drop angle brackets."""
    return (text or "").replace("<", "‹").replace(">", "›")


def doc_title(d: Optional[dict[str, Any]], words: int = 8) -> str:
    """A document's title; for an untitled one, the first words of its text (never a hash
    when there is text to show)."""
    d = d or {}
    title = (d.get("title") or "").strip()
    if title:
        return title
    tokens = (d.get("lead") or d.get("text") or "").split()
    if tokens:
        return " ".join(tokens[:words]) + ("…" if len(tokens) > words else "")
    return d.get("doc_id") or "Untitled document"


def register(env) -> None:
    env.filters.update(date_label=date_label, precision=precision, tone=tone, score_text=score_text,
                       safe_url=safe_url, country=country, party=party, party_tags=party_tags,
                       pp=path_part, short=short, number=number, subject=subject,
                       doc_title=doc_title)
    env.globals.update(query_string=query_string)

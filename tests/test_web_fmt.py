"""Display helpers of the web page: dates at their precision, score tones, safe links, text windows."""
from __future__ import annotations

import pytest

from dyad.web import fmt
from dyad.web.highlight import window


@pytest.mark.parametrize("date,label,prec", [
    ({"text": "January 8", "start": "2022-01-08", "end": None, "granularity": "day", "kind": "exact"},
     "2022-01-08", "day"),
    ({"text": "in December", "start": "2021-12-01", "end": "2021-12-31", "granularity": "month", "kind": "exact"},
     "2021-12", "month"),
    ({"text": "2021", "start": "2021-01-01", "end": "2021-12-31", "granularity": "year", "kind": "exact"},
     "2021", "year"),
    ({"text": "late 2021", "start": "2021-10-01", "end": "2021-12-31", "granularity": "quarter",
      "kind": "approximate"}, "≈ 2021 Q4", "quarter"),
    ({"text": "last week", "start": "2022-01-03", "end": "2022-01-09", "granularity": "week", "kind": "exact"},
     "week of 2022-01-03", "week"),
    ({"text": "from 3 to 5 May", "start": "2023-05-03", "end": "2023-05-05", "granularity": "day", "kind": "range"},
     "2023-05-03 – 2023-05-05", "range"),
    ({"text": "last Ramadan", "start": None, "end": None, "granularity": None, "kind": "unresolved"},
     "“last Ramadan”", "unresolved"),
    (None, "undated", "none"),
])
def test_date_label_and_precision(date, label, prec):
    assert fmt.date_label(date) == label
    assert fmt.precision(date) == prec


def test_tone_and_score_text():
    assert fmt.tone(9.5) == "coop strong" and fmt.tone(2.5) == "coop"
    assert fmt.tone(-10) == "conf strong" and fmt.tone(-2) == "conf"
    assert fmt.tone(0) == fmt.tone(None) == "neutral"
    assert fmt.score_text(4) == "+4.0" and fmt.score_text(-3.5) == "-3.5" and fmt.score_text(None) == "–"


@pytest.mark.parametrize("url,ok", [
    ("https://example.org/a?b=1", True), ("http://example.org", True), ("javascript:alert(1)", False),
    (" JAVASCRIPT:alert(1)", False), ("data:text/html,<script>", False), ("//evil.example", False),
    ("file:///etc/passwd", False), ("", False), (None, False), ("http://[::1", False),
])
def test_safe_url(url, ok):
    assert (fmt.safe_url(url) is not None) is ok


def test_small_helpers():
    assert fmt.number(921.0) == "921" and fmt.number(1234.5) == "1,234.5" and fmt.number(None) == ""
    assert fmt.subject("border length|AFG|IRN") == "border length · AFG · IRN"
    assert fmt.path_part("feed/item 7") == "feed%2Fitem%207"
    assert fmt.query_string({"type": "CONSULT", "date_from": None, "offset": 0}) == "?type=CONSULT"
    assert fmt.query_string({"q": "a&b"}, offset=100) == "?q=a%26b&offset=100"
    assert fmt.short("a  b\n c", 10) == "a b c" and fmt.short("x" * 20, 5) == "xxxx…"
    assert "<" not in fmt.chart_label("<b>x</b>")
    assert fmt.country("IRN") == "Iran" and fmt.country("ZZZ") == "ZZZ"


def test_window_keeps_span_and_whole_words():
    text = " ".join(f"w{i}" for i in range(2000))
    start = text.index("w1000")
    end = start + len("w1000")
    lo, hi = window(text, start, end, 100, 100)
    assert lo <= start and hi >= end
    assert text[lo - 1] == " " and text[hi] == " "
    assert window("short", 0, 5) == (0, 5)


def test_redact_store_url():
    assert fmt.redact("postgresql://ana:s3cr3t@db.example:5432/dyad") == "postgresql://ana:***@db.example:5432/dyad"
    assert fmt.redact("out/demo.duckdb") == "out/demo.duckdb"

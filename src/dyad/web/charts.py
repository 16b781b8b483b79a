"""Plotly figure specs (plain dicts) for the pages; plotly.js draws them in the browser.

The specs are embedded as JSON in `<script type="application/json">` (Jinja's
`tojson` escapes `<`, `>` and `&`), so no text from an article becomes code.
"""
from __future__ import annotations

from typing import Any, Optional
from urllib.parse import urlencode

from dyad.web.fmt import chart_label

GREEN = "#2e7d4f"
RED = "#c0392b"
INK = "#1f2933"
GRID = "#e4e7eb"

_FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13, "color": INK}


def _layout(**kw: Any) -> dict[str, Any]:
    base = {
        "font": _FONT,
        "margin": {"l": 56, "r": 56, "t": 16, "b": 48},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hovermode": "x unified",
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
        "height": 340,
    }
    base.update(kw)
    return base


def _period_range(period: str, per: str) -> tuple[str, str]:
    """The date_from/date_to filter values that select one chart period."""
    if per == "week":
        import datetime as dt

        d = dt.date.fromisoformat(period)
        return period, (d + dt.timedelta(days=6)).isoformat()
    return period, period


def relationship(series: list[dict[str, Any]], per: str = "month", link_base: Optional[str] = None,
                 link_params: Optional[dict[str, Any]] = None,
                 spans: Optional[list[dict[str, Any]]] = None) -> dict[str, Any]:
    """Cooperation (green bars, up), conflict (red bars, down) and the mean score line per period."""
    x = [s["period"] for s in series]
    links = None
    if link_base:
        links = []
        for s in series:
            lo, hi = _period_range(s["period"], per)
            q = {k: v for k, v in (link_params or {}).items() if v}
            q.update(date_from=lo, date_to=hi)
            links.append(f"{link_base}?{urlencode(q)}")
    xaxis: dict[str, Any] = {"gridcolor": GRID, "zeroline": False}
    if per == "month":
        xaxis.update(type="date", tickformat="%b %Y", hoverformat="%B %Y")
    elif per == "week":
        xaxis.update(type="date", tickformat="%d %b %Y", hoverformat="week of %d %b %Y")
    else:
        xaxis.update(type="category")
    data = [
        {"type": "bar", "name": "cooperation (sum of positive scores)", "x": x,
         "y": [s["cooperation"] for s in series], "marker": {"color": GREEN}, "customdata": links,
         "hovertemplate": "%{y:.1f}<extra>cooperation</extra>"},
        {"type": "bar", "name": "conflict (sum of negative scores)", "x": x,
         "y": [s["conflict"] for s in series], "marker": {"color": RED}, "customdata": links,
         "hovertemplate": "%{y:.1f}<extra>conflict</extra>"},
        {"type": "scatter", "mode": "lines+markers", "name": "mean score", "x": x,
         "y": [s["mean_score"] for s in series], "yaxis": "y2", "customdata": links,
         "line": {"color": INK, "width": 2}, "marker": {"size": 6}, "connectgaps": True,
         "hovertemplate": "%{y:+.2f}<extra>mean score</extra>"},
        {"type": "scatter", "mode": "none", "name": "events", "x": x, "y": [s["events"] for s in series],
         "customdata": links,
         "showlegend": False, "hovertemplate": "%{y}<extra>events</extra>", "yaxis": "y3"},
    ]
    if spans and per in ("month", "week"):
        # events dated only to a range: a grey segment from its first to its last possible
        # day at the event's score, so a span is never read as a point
        xs: list[Any] = []
        ys: list[Any] = []
        for sp in spans:
            xs += [sp["start"], sp["end"], None]
            ys += [sp["score"] or 0, sp["score"] or 0, None]
        data.append({"type": "scatter", "mode": "lines", "name": "dated only to a range", "x": xs, "y": ys,
                     "yaxis": "y2", "line": {"color": "#9aa5b1", "width": 4}, "connectgaps": False,
                     "hovertemplate": "%{x}<extra>dated only to a range</extra>"})
    # symmetric axes, so the zero of the summed bars and of the mean line coincide
    top = max([abs(s["cooperation"]) for s in series] + [abs(s["conflict"]) for s in series] + [1.0]) * 1.1
    layout = _layout(
        barmode="relative",
        xaxis=xaxis,
        yaxis={"title": {"text": "summed score"}, "gridcolor": GRID, "zerolinecolor": "#9aa5b1",
               "range": [-top, top]},
        yaxis2={"title": {"text": "mean score"}, "overlaying": "y", "side": "right", "range": [-10.5, 10.5],
                "tickmode": "array", "tickvals": [-10, -5, 0, 5, 10], "showgrid": False, "zeroline": False},
        yaxis3={"overlaying": "y", "visible": False},
    )
    return {"data": data, "layout": layout}


def event_types(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Horizontal bars of event counts per PLOVER type, coloured by the type's mean score."""
    rows = list(reversed(rows))  # largest on top
    colors = []
    for r in rows:
        s = r.get("mean_score")
        colors.append(GREEN if s is not None and s > 0 else RED if s is not None and s < 0 else "#7b8794")
    data = [{
        "type": "bar", "orientation": "h",
        "x": [r["events"] for r in rows], "y": [chart_label(r["event_type"]) for r in rows],
        "marker": {"color": colors},
        "customdata": [f"/events?{urlencode({'type': r['event_type']})}" for r in rows],
        "hovertemplate": "%{y}: %{x} events<extra></extra>",
    }]
    layout = _layout(height=max(200, 28 * len(rows) + 60), hovermode="closest",
                     margin={"l": 110, "r": 24, "t": 8, "b": 40},
                     xaxis={"gridcolor": GRID, "title": {"text": "events"}}, yaxis={"automargin": True},
                     showlegend=False)
    return {"data": data, "layout": layout}

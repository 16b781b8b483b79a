"""The real-shaped test pages under tests/fixtures/pages: what each must keep and must drop.

Written for dyad (no site's text is copied). `measure` gives, per page, the share of
article characters kept and the clutter that leaked into the text.
"""
from __future__ import annotations

from pathlib import Path

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"

# page -> (article sentences, clutter that must not reach the text)
EXPECT: dict[str, tuple[list[str], list[str]]] = {
    "nav-cookie.html": (
        ["Engineers from the two neighbouring provinces met on Thursday to restart talks over the shared reservoir, a regional spokesman said.",
         "The talks had stalled in March after a dispute over how much water should be released during the dry season.",
         "Farmers downstream have complained for months that their fields were drying out while the reservoir stayed full.",
         "A second round is planned for next month in the provincial capital, the spokesman added."],
        ["Home", "Economy", "cookies", "Accept all", "Share", "WhatsApp", "Related Videos", "© 2025", "All rights reserved",
         "Honest reporting", "By Mira Tallis", "Mira Tallis"],
    ),
    "deep-1000.html": (
        ["A convoy of forty trucks carrying wheat crossed the mountain pass on Sunday after the road was cleared of snow, the transport ministry said.",
         "Drivers said the journey took nine hours, twice as long as usual, because of ice on the upper bends."],
        [],
    ),
    "dropcap.html": (
        ["Turkish and Greek port officials agreed on Tuesday to restore the night ferry between the two islands, ending a suspension of six weeks.",
         "The agreement was signed after a meeting in the harbour office that lasted most of the afternoon.",
         "Passengers will be able to book tickets again from Friday, the operator said in a statement.",
         "Officials said the timetable would stay the same as last summer."],
        ["Home", "Weather", "Copyright 2025", "Island Post"],
    ),
    "jsonld-body.html": (
        ["Crews restored the main power line to the northern villages on Monday, three days after a storm brought down twelve pylons, the utility said.",
         "About six thousand homes had been without electricity since Friday night.",
         "The utility said it would inspect the remaining pylons along the ridge before the next storm arrives at the end of the week."],
        ["Home", "© 2025", "Northern Herald", "Workers from the utility"],
    ),
    "amp.html": (
        ["The border post at the northern crossing reopened to traders on Wednesday after a closure of ten days, customs officers said.",
         "Hundreds of traders had waited on both sides of the gate with loads of fruit and textiles.",
         "Officials said the closure had been ordered after a shooting near the gate, which is still under investigation."],
        ["Home", "Trade", "Вuу", "flіghts", "Copyright", "Valley Times Media Group"],
    ),
    "inline-clutter.html": (
        ["Wheat prices at the central market fell by a fifth on Saturday after the first harvest trucks arrived from the south, traders said.",
         "Bakers said they expected bread prices to follow within a week if the deliveries continued.",
         "The city council had capped the price of a loaf in January, when flour was scarce."],
        ["By A. Writer", "A. Writer", "Share", "WhatsApp", "Related Videos", "Вuу", "dеlіvеrу", "the voice of the traders",
         "Copyright", "All rights reserved"],
    ),
    "feed.rss": (
        ["The fishing fleet returned to harbour two days early on Sunday because of high winds, the harbour master said.",
         "Most boats had caught less than half their usual load.",
         "A new pier for passenger boats opened on Monday at the eastern end of the harbour, the city council said."],
        ["Share Facebook", "© 2025", "All rights reserved"],
    ),
}


def measure(name: str, docs: list) -> tuple[float, list[str]]:
    """(share of the article's characters kept, clutter strings found in the text)."""
    sentences, clutter = EXPECT[name]
    text = "\n".join(d.text for d in docs)
    flat = " ".join(text.split())
    kept = sum(len(s) for s in sentences if s in flat)
    leaked = [c for c in clutter if c in text]
    return kept / sum(len(s) for s in sentences), leaked

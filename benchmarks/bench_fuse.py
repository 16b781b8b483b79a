"""Fusion throughput on synthetic DocResults: does `fuse` grow close to linearly?

    python benchmarks/bench_fuse.py            # 10k, 30k, 100k documents
    python benchmarks/bench_fuse.py 1000 5000  # other sizes
    python benchmarks/bench_fuse.py --degenerate [sizes]  # one huge block (see below)
    python benchmarks/bench_fuse.py --stream=20 [sizes]    # memory: streamed in, rows streamed out

Each size runs in a fresh subprocess so peak memory (ru_maxrss) is per size. Documents
draw people from a pool written in transliteration variants (surname-only mentions
too), organisations with country adjectives and acronyms, events that several
documents report with jittered dates, and claims where some sources disagree.

`--degenerate` builds the worst case for blocking instead: every event (3 per document)
has the same type, the same pair of parties and the same date (many only their
article's date), at a place that is often unique, and every person is a "Mohammad ...
Karimi" variant or a bare "Karimi": one event block and one surname block as large as
the corpus. Both must still grow close to linearly.
"""
from __future__ import annotations

import gc
import random
import resource
import subprocess
import sys
import time
import zlib
from datetime import date
from typing import Iterator

from dyad.model import (Claim, DocResult, Document, Event, EventDate, Evidence, Location, Mention,
                         Party)

GIVEN = ["Mohammad", "Ahmad", "Ali", "Hassan", "Hossein", "Abdul", "Amir", "Saeed", "Reza", "Bilal",
         "Zabihullah", "Ismail", "Karim", "Mahmoud", "Yusuf", "Omar", "Hamid", "Nasir", "Javad", "Qasim"]
SURNAMES = ["Muttaqi", "Massoud", "Khatibzadeh", "Karimi", "Shamkhani", "Baradar", "Mujahid", "Qomi",
            "Rohani", "Haqqani", "Akhund", "Kazemi", "Bahrami", "Mokhber", "Ghani", "Rahimi", "Nazari",
            "Sadeghi", "Tehrani", "Yousefi", "Jafari", "Hosseini", "Mousavi", "Rezaei", "Ahmadi"]
COUNTRIES = ["AFG", "IRN", "PAK", "TJK", "UZB", "TKM", "CHN", "RUS", "IND", "USA", "QAT", "TUR",
             "SAU", "ARE", "IRQ", "SYR", "GBR", "DEU", "FRA", "JPN"]
TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
ORG_HEADS = ["Front", "Council", "Ministry", "Party", "Movement", "Agency", "Alliance", "Union"]
ORG_WORDS = ["National", "Resistance", "Islamic", "Popular", "Supreme", "Security", "Foreign",
             "Democratic", "Unity", "Liberation", "Defence", "Energy"]


def variant(rng: random.Random, word: str) -> str:
    """A plausible transliteration variant: vowel swaps, doubled letters, kh/q, final h."""
    w = word
    for a, b in (("u", "o"), ("tt", "t"), ("q", "k"), ("ss", "s"), ("ee", "i"), ("eh", "a")):
        if a in w and rng.random() < 0.3:
            w = w.replace(a, b, 1)
    return w


def make_corpus(n_docs: int, seed: int = 7, people_per_doc: int = 3) -> list[DocResult]:
    return list(iter_corpus(n_docs, seed, people_per_doc))


def iter_corpus(n_docs: int, seed: int = 7, people_per_doc: int = 3) -> Iterator[DocResult]:
    """The synthetic DocResults one at a time (the corpus is never held: for --stream)."""
    rng = random.Random(seed)
    people = [(rng.choice(GIVEN) + (" " + rng.choice(GIVEN) if rng.random() < 0.3 else ""),
               rng.choice(SURNAMES) + rng.choice(["", "", "i", "zadeh", "yar", "pour"]), rng.choice(COUNTRIES))
              for _ in range(max(50, n_docs // 20))]
    orgs = [(" ".join(rng.sample(ORG_WORDS, rng.randint(1, 2))) + " " + rng.choice(ORG_HEADS), rng.choice(COUNTRIES))
            for _ in range(max(20, n_docs // 100))]
    day0 = date(2021, 1, 1).toordinal()
    real_events = [(rng.choice(TYPES), rng.sample(COUNTRIES[:8], 2), day0 + rng.randint(0, 1000))
                   for _ in range(max(10, n_docs // 3))]
    subjects = [f"border length|{a}|{b}" for a in COUNTRIES[:6] for b in COUNTRIES[6:12]]
    for d in range(n_docs):
        doc_id = f"d{d:07d}"
        published = date.fromordinal(day0 + rng.randint(0, 1010)).isoformat() if rng.random() < 0.9 else None
        parts, mentions = [], []
        pos = 0

        def add(text: str, typ: str, country=None):
            nonlocal pos
            mentions.append(Mention(doc_id, text, pos, pos + len(text), typ, country=country))
            parts.append(text + " spoke. ")
            pos += len(text) + len(" spoke. ")

        for given, sur, cc in rng.sample(people, people_per_doc):
            add(f"{variant(rng, given)} {variant(rng, sur)}", "PERSON", cc if rng.random() < 0.7 else None)
            if rng.random() < 0.6:
                add(variant(rng, sur), "PERSON")
        name, cc = rng.choice(orgs)
        add(("the " if rng.random() < 0.5 else "") + name, "ORG", cc)
        add(rng.choice(["Iran", "Afghanistan", "Pakistan", "Kabul", "Herat"]), "GPE")
        res = DocResult(document=Document(doc_id=doc_id, text="".join(parts), published=published),
                        mentions=mentions)
        for k, (etype, (a, b), day) in enumerate(rng.sample(real_events, 2)):
            r = rng.random()
            ed = None if r < 0.2 else EventDate(
                None, date.fromordinal(day + rng.randint(-1, 1)).isoformat(), None,
                "month" if r < 0.3 else "day", "exact")
            res.events.append(Event(f"{doc_id}-{k}", doc_id, etype,
                                    [Party(a, a, country=a)], [Party(b, b, country=b)],
                                    Evidence("…", 0, 1), date=ed))
        if rng.random() < 0.5:
            s = rng.choice(subjects)
            value = 900 + (zlib.crc32(s.encode()) % 100) + (rng.choice([0, 0, 0, 15]))  # stable across runs
            res.claims.append(Claim(f"{doc_id}-c", doc_id, s, float(value), "km", f"{value} km", 0, 1))
        yield res


def make_degenerate(n_docs: int, seed: int = 7) -> list[DocResult]:
    rng = random.Random(seed)
    syllables = ["ab", "ba", "ra", "za", "ma", "ha", "si", "du", "ke", "lo", "ni", "fa", "ta", "go", "ye"]
    givens = ["".join(rng.choice(syllables) for _ in range(3)).capitalize() for _ in range(max(50, n_docs))]
    surnames = ["Karimi", "Karimy", "Kareemi", "Qarimi"]
    titles = [None, "Minister", "General", "spokesman", "Governor"]
    out = []
    for d in range(n_docs):
        doc_id = f"d{d:07d}"
        if d % 2:
            name = f"Mohammad {rng.choice(givens)} {rng.choice(surnames)}"
        else:
            name = rng.choice(surnames)
        text = f"{name} said. "
        mention = Mention(doc_id, name, 0, len(name), "PERSON", country=rng.choice([None, "AFG", "IRN"]),
                          title=rng.choice(titles))
        res = DocResult(document=Document(doc_id=doc_id, text=text, published="2022-01-09"), mentions=[mention])
        for k in range(3):
            dated = rng.random() < 0.7
            ed = EventDate("on Saturday", "2022-01-08", None, "day", "exact") if dated else None
            r = rng.random()
            loc = (None if r < 0.2 else Location(name="Kabul", country="AFG") if r < 0.3
                   else Location(name=f"District {rng.randrange(10 * n_docs)}", country="AFG"))
            res.events.append(Event(f"{doc_id}-{k}", doc_id, "CONSULT", [Party("Iran", "Iran", country="IRN")],
                                    [Party("Afghanistan", "Afghanistan", country="AFG")],
                                    Evidence("…", 0, 1), date=ed, location=loc))
        out.append(res)
    return out


def run_one(n: int, degenerate: bool = False) -> None:
    from dyad.fuse import fuse

    results = make_degenerate(n) if degenerate else make_corpus(n)
    gc.collect()
    gc.freeze()  # the synthetic corpus is input, not part of what is measured
    input_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    f = fuse(results)
    wall, secs = time.perf_counter() - t0, time.process_time() - c0  # CPU time: robust to a busy machine
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clusters = len({c for c, _ in f.event_clusters.values()})
    print(f"{n}\t{secs:.2f}\t{wall:.2f}\t{n / secs:.0f}\t{peak_mb:.0f} ({peak_mb - input_mb:+.0f})\t{len(f.entities)}\t{clusters}\t{len(f.contradictions)}")


def run_stream(n: int, people_per_doc: int) -> None:
    """Fuse a corpus that streams in (as a store's results do) and stream the fusion rows
    out, as `dyad run` does: what the local engine itself holds, with no corpus in memory."""
    from dyad.fuse.engine import LocalFusion
    from dyad.store.fusion import fusion_tables

    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    mentions = 0

    def counted():
        nonlocal mentions
        for res in iter_corpus(n, people_per_doc=people_per_doc):
            mentions += len(res.mentions)
            yield res

    with LocalFusion() as run:
        run.fuse(counted())
        rows = {t: sum(1 for _ in it) for t, it in fusion_tables(run).items()}
    wall, secs = time.perf_counter() - t0, time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n}\t{mentions}\t{secs:.2f}\t{wall:.2f}\t{n / secs:.0f}\t{peak_mb:.0f} ({peak_mb - base_mb:+.0f})"
          f"\t{rows['entities']}\t{rows['clusters']}\t{rows['contradictions']}")


def main_stream(sizes: list[int], people_per_doc: int) -> None:
    print("docs\tmentions\tcpu s\twall s\tdocs/s (cpu)\tpeak MB (fusion's share)\tentities\tclusters\tcontradictions")
    for n in sizes:
        args = [sys.executable, __file__, "--one-stream", str(n), str(people_per_doc)]
        print(subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip(), flush=True)


def main(sizes: list[int], degenerate: bool = False) -> None:
    print("docs\tcpu s\twall s\tdocs/s (cpu)\tpeak MB (fuse's share)\tentities\tclusters\tcontradictions\ttime ratio vs previous (size ratio)")
    prev = None
    for n in sizes:
        args = [sys.executable, __file__, "--one", str(n)] + (["--degenerate"] if degenerate else [])
        line = subprocess.run(args, capture_output=True,
                              text=True, check=True).stdout.strip()
        secs = float(line.split("\t")[1])
        ratio = f"{secs / prev[1]:.2f}x ({n / prev[0]:.1f}x)" if prev else "-"
        print(f"{line}\t{ratio}", flush=True)
        prev = (n, secs)


if __name__ == "__main__":
    argv = sys.argv[1:]
    degenerate = "--degenerate" in argv
    argv = [a for a in argv if a != "--degenerate"]
    if len(argv) == 3 and argv[0] == "--one-stream":
        run_stream(int(argv[1]), int(argv[2]))
    elif argv and argv[0].startswith("--stream"):
        # --stream[=PEOPLE]: people per document (3 by default; 20 is news-article density)
        people = int(argv[0].split("=", 1)[1]) if "=" in argv[0] else 3
        main_stream([int(a) for a in argv[1:]] or [10_000, 30_000, 100_000], people)
    elif len(argv) == 2 and argv[0] == "--one":
        run_one(int(argv[1]), degenerate)
    else:
        main([int(a) for a in argv] or ([5_000, 20_000, 60_000] if degenerate else [10_000, 30_000, 100_000]),
             degenerate)

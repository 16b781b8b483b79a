"""Throughput and memory benchmark: dyad against the bare spaCy parse it cannot beat.

`dyad bench [CORPUS] --workers 2` runs, one after the other and each in its own
process tree:

1. the bare parse: the JSONL texts through `nlp.pipe(n_process=workers)` with the
   model and components dyad loads (`dyad.nlp.load_pipeline`), nothing else;
2. `dyad run CORPUS --workers N` into a fresh store: ingest, parse, extract,
   store, fuse;

and prints docs/s, words/s, the ratio of the two, and each phase's peak memory,
summed over the whole process tree (RSS, which counts pages shared between
forked workers twice, and PSS, which splits them), sampled from /proc.

Without a corpus it writes a synthetic one (`articles`, `write_corpus`): short
news articles from templates written for this project, so the benchmark needs
nothing but dyad. `--memory-only` runs a large corpus through ingest, coding
and the store with a blank tokenizer-only pipeline instead of the statistical
model: it shows memory stays flat with corpus size, in minutes, not hours.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator, Optional

import typer

# --- the synthetic corpus -----------------------------------------------------
COUNTRIES = [
    # (name, demonym, capital, leader title, leader name)
    ("Iran", "Iranian", "Tehran", "Foreign Minister", "Hossein Amir-Abdollahian"),
    ("Afghanistan", "Afghan", "Kabul", "acting Foreign Minister", "Amir Khan Muttaqi"),
    ("Pakistan", "Pakistani", "Islamabad", "Foreign Minister", "Bilawal Bhutto Zardari"),
    ("India", "Indian", "New Delhi", "External Affairs Minister", "Subrahmanyam Jaishankar"),
    ("China", "Chinese", "Beijing", "Foreign Minister", "Wang Yi"),
    ("Russia", "Russian", "Moscow", "Foreign Minister", "Sergei Lavrov"),
    ("Turkey", "Turkish", "Ankara", "Foreign Minister", "Mevlut Cavusoglu"),
    ("Qatar", "Qatari", "Doha", "Foreign Minister", "Mohammed bin Abdulrahman Al Thani"),
    ("Uzbekistan", "Uzbek", "Tashkent", "Foreign Minister", "Vladimir Norov"),
    ("Tajikistan", "Tajik", "Dushanbe", "Foreign Minister", "Sirojiddin Muhriddin"),
    ("Germany", "German", "Berlin", "Foreign Minister", "Annalena Baerbock"),
    ("France", "French", "Paris", "Foreign Minister", "Catherine Colonna"),
    ("Japan", "Japanese", "Tokyo", "Foreign Minister", "Yoshimasa Hayashi"),
    ("Egypt", "Egyptian", "Cairo", "Foreign Minister", "Sameh Shoukry"),
    ("Kenya", "Kenyan", "Nairobi", "Foreign Minister", "Alfred Mutua"),
    ("Brazil", "Brazilian", "Brasilia", "Foreign Minister", "Mauro Vieira"),
]

OUTLETS = ["Northern Ledger", "Harbour Times", "Plains Courier", "Evening Dispatch", "Coastal Wire",
           "Valley Gazette"]

# Each story type: a headline and a lead sentence for three different outlets' wordings.
# {a}/{b}: country names, {A}/{B}: demonyms, {pa}/{pb}: officials with titles, {cap}: a capital,
# {day}: a weekday, {date}: "January 8", {n}: a number.
STORIES = [
    ("{A} and {B} officials meet in {cap}",
     ["{pa} met {pb} in {cap} on {day} to discuss trade and border security.",
      "{a}'s top diplomat held talks with {pb} in {cap} on {date}.",
      "Officials from {a} and {b} sat down together in {cap} this week for talks on trade."]),
    ("{a} criticises {b} over detentions",
     ["{pa} criticized {b} on {day} over the detention of {n} aid workers.",
      "{a} sharply condemned the government of {b} for holding {n} aid workers.",
      "The {A} government accused {b} of detaining {n} aid workers without charge."]),
    ("{a} and {b} sign transit agreement",
     ["{a} and {b} signed an agreement on {date} to expand rail and road transit.",
      "{pa} and {pb} signed a transit deal in {cap} on {day}.",
      "A transit agreement between {a} and {b} was signed on {date}, officials said."]),
    ("{a} sends aid to {b}",
     ["{a} sent {n} tonnes of food and medicine to {b} on {day}.",
      "A convoy carrying {n} tonnes of {A} aid reached {b} on {date}.",
      "{pa} said {a} had delivered {n} tonnes of humanitarian supplies to {b}."]),
    ("Border clash between {A} and {B} forces",
     ["{A} and {B} border guards exchanged fire on {day}, killing {n} people.",
      "At least {n} people died when {A} troops clashed with {B} forces on {date}.",
      "A clash on the {A}-{B} border left {n} dead, local officials said."]),
    ("{a} threatens sanctions on {b}",
     ["{pa} warned on {day} that {a} would impose sanctions on {b}.",
      "{a} threatened {b} with new sanctions on {date} unless talks resume.",
      "The {A} government said it could sanction {b} within weeks."]),
    ("Protesters rally in {cap}",
     ["About {n} people protested outside the {B} embassy in {cap} on {day}.",
      "Thousands rallied in {cap} on {date} against the policies of {b}; police counted {n} marchers.",
      "Demonstrators gathered near the {B} embassy in {cap}, with organisers claiming {n} participants."]),
    ("{a} and {b} agree to cooperate on water",
     ["{a} agreed on {day} to share river data with {b}.",
      "{pa} promised {pb} that {a} would cooperate on water management.",
      "{a} and {b} pledged on {date} to work together on shared rivers."]),
]

FILLER = [
    "The talks followed months of tension over refugees and trade routes.",
    "Analysts said the move could reshape relations in the region.",
    "Neither side released a full statement after the meeting.",
    "Local traders welcomed the news, saying prices had risen sharply this year.",
    "A spokesman for the ministry said further meetings were planned.",
    "The United Nations called for restraint from all parties.",
    "Diplomats in {cap} described the atmosphere as constructive.",
    "Officials declined to say when the next round would take place.",
    "The announcement came a day after a regional security conference.",
    "Critics at home said the government had given up too much.",
    "Road traffic at the main crossing was suspended for several hours.",
    "Markets in {cap} reacted calmly to the news.",
    "The European Union said it was following developments closely.",
    "Humanitarian groups warned that winter would worsen shortages.",
    "{pb} told reporters the two countries shared many interests.",
    "Earlier this month, {a} hosted a delegation of business leaders.",
]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _fill(template: str, v: dict[str, str]) -> str:
    s = template.format(**v)
    return s[0].upper() + s[1:]


def articles(n: int, seed: int = 7, start: date = date(2022, 1, 1), min_sentences: int = 4,
             max_sentences: int = 10) -> Iterator[dict]:
    """Yield `n` synthetic articles as JSON-ready dicts (id, title, url, publisher, published, text)."""
    rng = random.Random(seed)
    story: Optional[dict] = None
    tellings = 0
    for i in range(n):
        if story is None or tellings >= story["reports"]:
            a, b = rng.sample(COUNTRIES, 2)
            day = start + timedelta(days=rng.randrange(0, 730))
            kind = rng.randrange(len(STORIES))
            story = {
                "kind": kind, "day": day, "reports": rng.choice([1, 1, 1, 2, 3]),
                "v": {"a": a[0], "A": a[1], "b": b[0], "B": b[1], "cap": rng.choice([a[2], b[2]]),
                      "pa": f"{a[3]} {a[4]}", "pb": f"{b[3]} {b[4]}", "n": str(rng.choice([3, 12, 40, 150, 600])),
                      "day": WEEKDAYS[day.weekday()], "date": f"{day:%B} {day.day}"},
            }
            tellings = 0
        v = dict(story["v"])
        if tellings:  # other outlets disagree on the number now and then
            v["n"] = str(int(v["n"]) + rng.choice([0, 0, 1, 5]))
        headline, leads = STORIES[story["kind"]]
        sents = [_fill(leads[tellings % len(leads)], v)]
        for t in rng.sample(FILLER, k=min(len(FILLER), rng.randint(min_sentences, max_sentences) - 1)):
            sents.append(_fill(t, v))
        published = story["day"] + timedelta(days=rng.choice([0, 1]))
        outlet = OUTLETS[(i + tellings) % len(OUTLETS)]
        paragraphs = [" ".join(sents[j:j + 2]) for j in range(0, len(sents), 2)]
        yield {
            "id": f"syn-{seed}-{i:07d}",
            "title": _fill(headline, v),
            "url": f"https://{outlet.lower().replace(' ', '')}.example/{published:%Y/%m}/{i}",
            "publisher": outlet,
            "published": published.isoformat(),
            "text": "\n\n".join(paragraphs),
        }
        tellings += 1


def write_corpus(path: Path | str, n: int, seed: int = 7, **kw) -> Path:
    """Write `n` synthetic articles to a JSONL file (streaming: constant memory)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for art in articles(n, seed, **kw):
            fh.write(json.dumps(art, ensure_ascii=False) + "\n")
    return path


# --- memory: the peak over a whole process tree ---------------------------------

def _children(pid: int) -> list[int]:
    try:
        out = []
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
        return out
    except OSError:
        return []


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(_children(p))
    return seen


def _kb(path: str, field: str) -> int:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class TreeMemory:
    """Samples the RSS and PSS of a process and all its descendants; keeps the peaks (bytes)."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0
        self.peak_rss_at = 0.0  # seconds from the start: when the peak came (parse or fusion?)
        self.peak_procs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        n = 0
        t0 = time.perf_counter()
        while not self._stop.is_set():
            pids = _tree(self.pid)
            rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids) * 1024
            # PSS is costlier to read (smaps_rollup walks the page tables): every 5th sample
            if n % 5 == 0:
                pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) * 1024
                self.peak_pss = max(self.peak_pss, pss)
            if rss > self.peak_rss:
                self.peak_rss, self.peak_rss_at = rss, time.perf_counter() - t0
            self.peak_procs = max(self.peak_procs, len(pids))
            n += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _timed(cmd: list[str], env: Optional[dict] = None) -> dict:
    """Run `cmd`, return wall seconds, peak tree memory, exit code and its last stdout line (JSON)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    with TreeMemory(proc.pid) as mem:
        out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time of the whole tree (children that were waited for): robust to other load on the machine
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode not in (0, 3):  # 3: some documents rejected, still a full run
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    last = next((ln for ln in reversed(out.splitlines()) if ln.startswith("{")), "{}")
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_rss": mem.peak_rss, "peak_pss": mem.peak_pss,
            "peak_rss_at": mem.peak_rss_at,
            "processes": mem.peak_procs, "rc": proc.returncode, "out": json.loads(last), "stderr": err}


# --- the two phases -----------------------------------------------------------------

def _texts(corpus: Path) -> Iterator[str]:
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            text = rec.get("text") if isinstance(rec, dict) else None
            if isinstance(text, str) and text.strip():
                yield text


def bare_parse(corpus: Path, model: str, workers: int) -> dict:
    """Phase 1 (run in its own process): the corpus texts through nlp.pipe, nothing else."""
    from dyad.nlp import load_pipeline

    t0 = time.perf_counter()
    nlp = load_pipeline(model)
    loaded = time.perf_counter()
    docs = words = 0
    for doc in nlp.pipe(_texts(corpus), n_process=workers, batch_size=64):
        docs += 1
        words += sum(1 for t in doc if not (t.is_punct or t.is_space))
    end = time.perf_counter()
    return {"docs": docs, "words": words, "load_seconds": loaded - t0, "parse_seconds": end - loaded,
            "pipes": nlp.pipe_names}


def bench(corpus: Optional[Path] = None, docs: int = 2000, workers: int = 2, model: Optional[str] = None,
          batch_size: Optional[int] = None, db: Optional[str] = None, memory_only: bool = False,
          workdir: Optional[Path] = None, skip_bare: bool = False) -> dict:
    """Run both phases and return the figures (see `format_report`)."""
    from dyad.nlp import DEFAULT_MODEL
    from dyad.pipeline import DEFAULT_BATCH

    model = model or DEFAULT_MODEL
    batch_size = batch_size or DEFAULT_BATCH
    tmp = Path(workdir or tempfile.mkdtemp(prefix="dyad-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        return _bench(tmp, corpus, docs, workers, model, batch_size, db, memory_only, skip_bare)
    finally:
        if workdir is None:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


def _bench(tmp: Path, corpus: Optional[Path], docs: int, workers: int, model: str, batch_size: int,
           db: Optional[str], memory_only: bool, skip_bare: bool) -> dict:
    if corpus is None:
        corpus = write_corpus(tmp / f"synthetic-{docs}.jsonl", docs)
    corpus = Path(corpus)
    report: dict = {"corpus": str(corpus), "corpus_bytes": corpus.stat().st_size, "workers": workers,
                    "model": model, "batch_size": batch_size, "memory_only": memory_only,
                    "machine": machine()}
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    run_model = "blank:en" if memory_only else model
    if not skip_bare and not memory_only:
        bare = _timed([sys.executable, "-m", "dyad.bench", "_bare", str(corpus), model, str(workers)], env)
        report["bare"] = {"seconds": bare["seconds"], "cpu_seconds": bare["cpu_seconds"], "peak_rss": bare["peak_rss"], "peak_pss": bare["peak_pss"],
                          **bare["out"]}
    store = db or str(tmp / "bench.duckdb")
    if not db:
        Path(store).unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "dyad.cli", "run", str(corpus), "--db", store, "--workers", str(workers),
           "--model", run_model, "--batch-size", str(batch_size), "--quiet"]
    res = _timed(cmd, env)
    summary = _parse_summary(res["stderr"])
    report["dyad"] = {"seconds": res["seconds"], "cpu_seconds": res["cpu_seconds"], "peak_rss": res["peak_rss"], "peak_pss": res["peak_pss"],
                      "peak_rss_at": res["peak_rss_at"], "processes": res["processes"], "exit_status": res["rc"],
                      **summary, "store": store}
    report["load_average_after"] = round(os.getloadavg()[0], 2)
    bare = report.get("bare")
    if bare:
        n, words = bare["docs"], bare["words"]
        for phase in ("bare", "dyad"):
            r = report[phase]
            r["docs_per_second"] = n / r["seconds"]
            r["words_per_second"] = words / r["seconds"]
        report["ratio"] = report["dyad"]["docs_per_second"] / bare["docs_per_second"]
        report["cpu_ratio"] = bare["cpu_seconds"] / report["dyad"]["cpu_seconds"]
    else:
        report["dyad"]["docs_per_second"] = report["dyad"].get("coded", 0) / res["seconds"]
    return report


def _parse_summary(stderr: str) -> dict:
    """The counts `dyad run` prints on stderr ("N documents coded, M already stored, E events, R rejected")."""
    import re

    m = re.search(r"(\d+)\D+documents coded, (\d+) already stored, (\d+)\D+events, (\d+)\D+rejected", stderr)
    if not m:
        return {}
    coded, skipped, events, rejected = map(int, m.groups())
    return {"coded": coded, "skipped": skipped, "events": events, "rejected": rejected}


def machine() -> dict:
    info = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    try:
        with open("/proc/cpuinfo") as fh:
            info["cpu"] = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), None)
        info["memory_gb"] = round(_kb("/proc/meminfo", "MemTotal:") / 1024 / 1024, 1)
        info["load_average"] = round(os.getloadavg()[0], 2)
    except OSError:
        pass
    try:
        import importlib.metadata as md

        info["spacy"] = md.version("spacy")
    except Exception:
        pass
    return info


def _mb(b: int) -> str:
    return f"{b / 1024 / 1024:,.0f} MB"


def format_report(r: dict) -> str:
    lines = [f"corpus: {r['corpus']} ({r['corpus_bytes'] / 1e6:.1f} MB)   workers: {r['workers']}   "
             f"model: {r['model']}   batch: {r['batch_size']}",
             "machine: " + ", ".join(f"{k}={v}" for k, v in r["machine"].items())
             + f", load_average_after={r.get('load_average_after')}"]
    bare, dy = r.get("bare"), r["dyad"]
    if bare:
        lines.append(f"documents: {bare['docs']:,}   words: {bare['words']:,}   "
                     f"components: {', '.join(bare['pipes'])}")
        lines.append(f"{'':14}{'seconds':>9}{'docs/s':>10}{'words/s':>11}{'CPU s':>9}{'peak RSS':>12}{'peak PSS':>12}")
        for name, p in (("bare spaCy", bare), ("dyad run", dy)):
            lines.append(f"{name:14}{p['seconds']:9.1f}{p['docs_per_second']:10.1f}{p['words_per_second']:11,.0f}"
                         f"{p['cpu_seconds']:9.1f}{_mb(p['peak_rss']):>12}{_mb(p['peak_pss']):>12}")
        lines.append(f"ratio dyad / bare parse: {r['ratio']:.2f} (wall clock), {r['cpu_ratio']:.2f} (CPU time)   "
                     f"(dyad: {dy.get('coded', '?')} coded, {dy.get('events', '?')} events, "
                     f"{dy.get('rejected', '?')} rejected)")
        lines.append(f"dyad's peak RSS came {dy.get('peak_rss_at', 0):.0f} s into its {dy['seconds']:.0f} s")
    else:
        lines.append(f"dyad run ({'blank tokenizer, memory only' if r['memory_only'] else r['model']}): "
                     f"{dy.get('coded', '?')} documents in {dy['seconds']:.1f}s "
                     f"({dy['docs_per_second']:.1f} docs/s, {dy['cpu_seconds']:.0f} CPU s), peak RSS {_mb(dy['peak_rss'])}, "
                     f"peak PSS {_mb(dy['peak_pss'])} over {dy['processes']} processes "
                     f"(the RSS peak came {dy.get('peak_rss_at', 0):.0f} s in)")
    return "\n".join(lines)


# --- the command ----------------------------------------------------------------

def bench_command(
    corpus: Optional[Path] = typer.Argument(
        None, help="A JSONL corpus (a text field per line). Default: a synthetic corpus of --docs articles."),
    docs: int = typer.Option(2000, "--docs", "-n", min=1, help="Synthetic articles to generate when no CORPUS is given."),
    workers: int = typer.Option(2, "--workers", "-w", min=1, help="Processes for both the bare parse (n_process) and dyad run."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline (default: dyad's)."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1, help="dyad run --batch-size (default: dyad's)."),
    db: Optional[str] = typer.Option(None, "--db", help="Store for dyad run: an empty DuckDB path or postgresql:// URL (default: a fresh temporary DuckDB file)."),
    memory_only: bool = typer.Option(False, "--memory-only", help="Skip the bare parse and run dyad with a blank, "
                                     "tokenizer-only pipeline: memory over a large corpus, quickly."),
    no_bare: bool = typer.Option(False, "--no-bare", help="Skip the bare parse: only `dyad run` with the real "
                                 "model (peak memory over a large corpus without doubling the time)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON to this file."),
) -> None:
    """Time the bare spaCy parse and `dyad run` on the same corpus: docs/s, words/s, their ratio, peak memory."""
    report = bench(corpus, docs=docs, workers=workers, model=model, batch_size=batch_size, db=db,
                   memory_only=memory_only, skip_bare=no_bare)
    typer.echo(format_report(report))
    if json_out:
        json_out.write_text(json.dumps(report, indent=2, default=str))


def main(argv: Optional[list[str]] = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "_bare":  # phase 1, in its own process
        corpus, model, workers = argv[1], argv[2], int(argv[3])
        print(json.dumps(bare_parse(Path(corpus), model, workers)))
        return
    import typer

    typer.run(bench_command)


if __name__ == "__main__":
    main()

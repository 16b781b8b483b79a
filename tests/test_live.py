"""The page keeps answering while `dyad run` writes the same DuckDB store: a real run in a
subprocess, a real server on loopback, one test."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from dyad.web.live import LIVE_HEADER, reader_file
from dyad.web.server import BackgroundServer

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo"


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            status, headers, body = r.status, r.headers, r.read()
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, exc.headers, exc.read()
    return status, {k.lower(): v for k, v in headers.items()}, body


def _corpus(path: Path, n: int) -> Path:
    """n articles: the demo's plain-text stories, each told again under its own id and date."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEMO.glob("*.txt"))]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"live-{i}", "published": f"2022-{1 + i % 12:02d}-{1 + i % 27:02d}",
                                 "title": f"Story {i}", "text": texts[i % len(texts)]}) + "\n")
    return path


def _dyad(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("dyad")), *args]


def test_page_answers_during_a_run(tmp_path, nlp):
    db = tmp_path / "store.duckdb"
    first = subprocess.run(_dyad("run", str(DEMO / "shamkhani-kabul-talks.txt"), "--db", str(db), "-q"),
                           capture_output=True, text=True, timeout=600, env=os.environ.copy())
    assert first.returncode == 0, first.stderr
    corpus = _corpus(tmp_path / "more.jsonl", 60)
    with BackgroundServer(str(db)) as url:
        status, _, body = _get(url + "/api/stats")
        assert status == 200
        before = json.loads(body)["counts"]["documents"]
        run = subprocess.Popen(_dyad("run", str(corpus), "--db", str(db), "-q", "--batch-size", "2"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
        seen: list[tuple[int, bool, int]] = []  # (status, served by the run, documents)
        pages: list[int] = []
        try:
            while run.poll() is None:
                status, headers, body = _get(url + "/api/stats")
                live = LIVE_HEADER.lower() in headers and run.poll() is None
                docs = json.loads(body)["counts"]["documents"] if status == 200 else -1
                seen.append((status, live, docs))
                if live:
                    pages.append(_get(url + "/dyad/IRN/AFG")[0])
                time.sleep(0.2)
            out, errs = run.communicate(timeout=60)
        finally:
            if run.poll() is None:
                run.kill()
        assert run.returncode == 0, errs
        assert [s for s, _, _ in seen if s != 200] == [], [(s, l, d) for s, l, d in seen if s != 200 or l]
        during = [d for s, live, d in seen if live]
        assert during, f"no answer came from the running writer: {seen}"
        assert during == sorted(during)  # each read sees the last committed state, never less
        assert any(before < d < before + 60 for d in during), during  # batches show up as they commit
        assert pages and set(pages) == {200}
        # the run is over: the file is free again and read directly
        assert not reader_file(str(db)).exists()
        status, headers, body = _get(url + "/api/stats")
        assert status == 200 and LIVE_HEADER.lower() not in headers
        assert json.loads(body)["counts"]["documents"] == before + 60

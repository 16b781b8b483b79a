"""An external group-by: (key, value) pairs in, values grouped by key out, in key order.

Fusion needs several "group by a blocking key" steps over every mention and event of
the corpus (the steps Spark runs as groupByKey). In memory, that holds the whole corpus;
`Spill` holds pairs up to a total weight of `limit` (a pair weighs 1, or what its adder
says: a group of mentions weighs its number of mentions), then sorts them and writes a
run file; the runs are merged (heapq) when the groups are read. Memory is then one
buffer per spill plus the group being read, however large the corpus.

Within a key, values come out in the order they were added. Keys of one spill must be
mutually comparable (tuples of strings and ints here). A spill can be read any number
of times once filled; its files live in `workdir` (removed by the caller, see
`dyad.fuse.engine`).
"""
from __future__ import annotations

import heapq
import pickle
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterator

LIMIT = 50_000  # weight (about: mentions or events) a spill holds in memory before writing a run
_CHUNK = 2_000  # pairs per pickle record in a run file (one load per chunk, not per pair)
_ORDER = itemgetter(0, 1)  # (key, arrival): values never need to be compared


class Spill:
    def __init__(self, workdir: Path, name: str, limit: int = LIMIT) -> None:
        self.workdir, self.name, self.limit = Path(workdir), name, max(1, limit)
        self._buf: list[tuple[Any, int, Any]] = []
        self._runs: list[Path] = []
        self._seq = 0
        self._weight = 0
        self._sorted = True

    def __len__(self) -> int:
        return self._seq

    def add(self, key: Any, value: Any, weight: int = 1) -> None:
        self._buf.append((key, self._seq, value))
        self._seq += 1
        self._weight += max(1, weight)
        self._sorted = False
        if self._weight >= self.limit:
            self._write_run()

    def _write_run(self) -> None:
        self._buf.sort(key=_ORDER)
        path = self.workdir / f"{self.name}-{len(self._runs):05d}.run"
        with path.open("wb") as fh:
            for i in range(0, len(self._buf), _CHUNK):
                pickle.dump(self._buf[i:i + _CHUNK], fh, protocol=pickle.HIGHEST_PROTOCOL)
        self._runs.append(path)
        self._buf = []
        self._weight = 0
        self._sorted = True

    @staticmethod
    def _read_run(path: Path) -> Iterator[tuple[Any, int, Any]]:
        with path.open("rb") as fh:
            while True:
                try:
                    chunk = pickle.load(fh)
                except EOFError:
                    return
                yield from chunk

    def _records(self) -> Iterator[tuple[Any, int, Any]]:
        if not self._sorted:
            self._buf.sort(key=_ORDER)
            self._sorted = True
        if not self._runs:
            return iter(self._buf)
        # records compare as (key, arrival, value) tuples; arrivals are unique, so the
        # values are never compared and no key function is needed
        return heapq.merge(*(self._read_run(p) for p in self._runs), iter(self._buf))

    def items(self) -> Iterator[tuple[Any, Any]]:
        """Every (key, value), by key, then in the order added."""
        return ((k, v) for k, _, v in self._records())

    def groups(self) -> Iterator[tuple[Any, list[Any]]]:
        """(key, values) per distinct key, in key order."""
        values: list[Any] = []
        current: Any = None
        for k, _, v in self._records():
            if values and k == current:
                values.append(v)
                continue
            if values:
                yield current, values
            current, values = k, [v]
        if values:
            yield current, values

    @property
    def runs(self) -> int:
        """Run files written so far (0: everything stayed in memory)."""
        return len(self._runs)

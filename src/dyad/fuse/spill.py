"""An external group-by: (key, value) pairs in, values grouped by key out, in key order.

Fusion needs several "group by a blocking key" steps over every mention and event of
the corpus (the steps Spark runs as groupByKey). In memory, that holds the whole corpus;
`Spill` holds pairs up to a total weight of `limit` (a pair weighs 1, or what its adder
says: a group of mentions weighs its number of mentions), then sorts them and writes a
run file; the runs are merged (heapq) when the groups are read. Memory is then one
buffer per spill, one small chunk per run file and the group being read, however large
the corpus: run files are written in chunks of bounded weight, and past `FAN_IN` runs
they are merged into one, so a merge never reads more than `FAN_IN` chunks at a time.

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
from typing import Any, Iterable, Iterator

LIMIT = 50_000  # weight (about: mentions or events) a spill holds in memory before writing a run
CHUNK = 500  # weight per pickle record in a run file: what a merge holds per run
FAN_IN = 64  # runs merged at once; past this many, they are merged into one run first
_ORDER = itemgetter(0, 1)  # (key, arrival): values never need to be compared

Record = tuple[Any, int, int, Any]  # (key, arrival, weight, value)


class Spill:
    def __init__(self, workdir: Path, name: str, limit: int = LIMIT) -> None:
        self.workdir, self.name, self.limit = Path(workdir), name, max(1, limit)
        self._buf: list[Record] = []
        self._runs: list[Path] = []
        self._files = 0
        self._seq = 0
        self._weight = 0
        self._sorted = True

    def __len__(self) -> int:
        return self._seq

    def add(self, key: Any, value: Any, weight: int = 1) -> None:
        weight = max(1, weight)
        self._buf.append((key, self._seq, weight, value))
        self._seq += 1
        self._weight += weight
        self._sorted = False
        if self._weight >= self.limit:
            self._buf.sort(key=_ORDER)
            self._runs.append(self._write(self._buf))
            self._buf, self._weight, self._sorted = [], 0, True
            if len(self._runs) >= FAN_IN:
                self._runs = [self._write(self._merge(self._runs))]

    def _write(self, records: Iterable[Record]) -> Path:
        """Sorted records to a new run file, in pickled chunks of about CHUNK weight."""
        path = self.workdir / f"{self.name}-{self._files:05d}.run"
        self._files += 1
        chunk: list[Record] = []
        weight = 0
        with path.open("wb") as fh:
            for r in records:
                chunk.append(r)
                weight += r[2]
                if weight >= CHUNK:
                    pickle.dump(chunk, fh, protocol=pickle.HIGHEST_PROTOCOL)
                    chunk, weight = [], 0
            if chunk:
                pickle.dump(chunk, fh, protocol=pickle.HIGHEST_PROTOCOL)
        return path

    def _merge(self, runs: list[Path]) -> Iterator[Record]:
        """The runs' records in order; the files are removed once read to the end."""
        merged = heapq.merge(*(self._read(p) for p in runs))
        yield from merged
        for p in runs:
            p.unlink(missing_ok=True)

    @staticmethod
    def _read(path: Path) -> Iterator[Record]:
        with path.open("rb") as fh:
            while True:
                try:
                    chunk = pickle.load(fh)
                except EOFError:
                    return
                yield from chunk

    def _records(self) -> Iterator[Record]:
        if not self._sorted:
            self._buf.sort(key=_ORDER)
            self._sorted = True
        if not self._runs:
            return iter(self._buf)
        # records compare as (key, arrival, ...) tuples; arrivals are unique, so the
        # values are never compared and no key function is needed
        return heapq.merge(*(self._read(p) for p in self._runs), iter(self._buf))

    def items(self) -> Iterator[tuple[Any, Any]]:
        """Every (key, value), by key, then in the order added."""
        return ((r[0], r[3]) for r in self._records())

    def groups(self) -> Iterator[tuple[Any, list[Any]]]:
        """(key, values) per distinct key, in key order."""
        values: list[Any] = []
        current: Any = None
        for k, _, _, v in self._records():
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
        """Run files on disk now (0: everything stayed in memory)."""
        return len(self._runs)

    @property
    def written(self) -> int:
        """Run files written so far, merged ones included."""
        return self._files

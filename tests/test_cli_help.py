"""`--help` says what dyad reads and names values in plain words; the packaging metadata is current."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyad.cli import app
from dyad.ingest import READERS

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner(env={"COLUMNS": "200"})
COMMANDS = ["run", "export", "info", "eval", "validate", "serve", "bench", "train"]
# what Typer would print for an annotation: <bool>, <str>, <list[Path]>, <int range>, <path> ...
TYPE_NAME = re.compile(r"<(?:bool|str|int|float|path|dir|file|list\[[^\]]*\]|int range|float range)>|list\[", re.I)


def test_run_help_lists_every_format_dyad_reads():
    out = runner.invoke(app, ["run", "--help"]).output
    text = " ".join(out.replace("│", " ").split())
    for ext in READERS:
        assert re.search(rf"(?<![\w.]){re.escape(ext)}(?![\w.])", text), ext


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_shows_no_python_type_names(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert not TYPE_NAME.search(result.output), TYPE_NAME.search(result.output).group(0)


def test_options_that_take_values_still_say_what_value():
    out = runner.invoke(app, ["run", "--help"]).output
    assert re.search(r"--db\s+PATH\|URL", out)
    assert re.search(r"--workers\s+-w\s+N\b", out)
    assert re.search(r"--out\s+-o\s+PATH", out)


def test_license_metadata_is_an_spdx_expression():
    """setuptools deprecates the `license = {text = ...}` table (and warns on every install)."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert isinstance(meta["project"]["license"], str)
    assert not any(c.startswith("License ::") for c in meta["project"].get("classifiers", []))
    (setuptools,) = [r for r in meta["build-system"]["requires"] if r.startswith("setuptools")]
    assert setuptools.replace(" ", "") == "setuptools>=77"  # the first release that reads SPDX strings

"""Every complete Python block in README.md and docs/*.md runs as written.

A block is run as its own script (in a fresh interpreter, in an empty folder). A block that is
deliberately partial is marked by the line ``<!-- fragment -->`` right above its fence and is
only compiled.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"(?P<before>[^\n]*)\n```python\n(?P<code>.*?)\n```", re.S)


def python_blocks() -> list[tuple[str, str, bool]]:
    """``(id, code, is_fragment)`` for every ```python block of the docs."""
    found = []
    for path in DOCS:
        text = path.read_text()
        for match in BLOCK.finditer(text):
            line = text[: match.start("code")].count("\n")
            fragment = match.group("before").strip() == "<!-- fragment -->"
            found.append((f"{path.name}:{line}", match.group("code"), fragment))
    return found


BLOCKS = python_blocks()


def test_the_docs_have_python_blocks():
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize(("where", "code", "fragment"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_block_runs_as_written(where: str, code: str, fragment: bool, tmp_path: Path):
    compile(code, where, "exec")  # every block, fragment or not, is valid Python
    if fragment:
        return
    script = tmp_path / "block.py"
    script.write_text(code)
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{where} failed:\n{done.stderr[-3000:]}"

"""Read an entry's values back from its run: a compare run's ``results.json`` (mean / std over
seeds per row, as the comparison table computes them), a Markdown table the command printed, or
a regular expression on its output. A value that cannot be found reads as ``None``."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from forgetless.app.reproduce.entry import Entry

STD = "_std"
NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)(?:\s*±\s*(\d+(?:\.\d+)?))?")


def read_values(entry: Entry, stdout: str, run_folder: Path) -> dict[str, float | None]:
    """``key -> measured value`` (None where not found) for every value of ``entry``."""
    if entry.reader == "results":
        return _from_results(entry, run_folder / "results.json")
    if entry.reader == "table":
        rows = markdown_rows(stdout)
        return {v.key: _from_table(rows, v.key) for v in entry.values}
    return {v.key: _from_pattern(stdout, v.pattern) for v in entry.values}


def _from_results(entry: Entry, path: Path) -> dict[str, float | None]:
    from forgetless.report.labels import NO_HEAD
    from forgetless.report.table import aggregate

    if not path.is_file():
        return {v.key: None for v in entry.values}
    rows = aggregate(json.loads(path.read_text())["cells"])
    found: dict[str, float | None] = {}
    for value in entry.values:
        *labels, metric = value.key.split("/")
        index = 1 if metric.endswith(STD) else 0
        metric = metric.removesuffix(STD)
        matches = [row for row in rows if labels in _row_labels(row) and metric in row]
        if len(matches) > 1:  # "relu/naive": the row of the network's own output layer
            matches = [row for row in matches if row["head"] == NO_HEAD]
        number = matches[0][metric][index] if len(matches) == 1 else None
        found[value.key] = number if number is not None and math.isfinite(number) else None
    return found


def _row_labels(row: dict) -> list[list[str]]:
    """The label lists a value's key may give a results row: a suffix of ``rule/activation/
    strategy``, that with ``/head`` appended (``relu/naive/slda``), or ``reference/<head>`` for a
    reference head's row."""
    from forgetless.report.labels import NO_HEAD, REFERENCE

    if row["strategy"] == REFERENCE:
        return [[REFERENCE, row["head"]]]
    names = [row["rule"], row["activation"], row["strategy"]]
    found = [names[-n:] for n in range(1, 4)]
    if row["head"] != NO_HEAD:
        found += [[*names[-n:], row["head"]] for n in range(1, 4)]
    return found


def markdown_rows(text: str) -> list[dict[str, str]]:
    """Every row of every Markdown table in ``text``, as ``header -> cell`` (plus ``"#labels"``:
    the cells joined by ``/``, to match a value's leading labels)."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")):
            header = None
            continue
        cells = [c.strip() for c in line[1:-1].split("|")]
        if header is None:
            header = cells
        elif not all(set(c) <= set("-: ") for c in cells):
            row = dict(zip(header, cells, strict=False))
            row["#labels"] = "/".join(cells)
            rows.append(row)
    return rows


def cell_numbers(cell: str) -> tuple[float, ...]:
    """The number a table cell starts with, and its ``± std`` if any (``()`` for a label)."""
    match = NUMBER.match(cell.replace("*", ""))  # a bold cell is still its number
    if match is None:
        return ()
    return tuple(float(g) for g in match.groups() if g is not None)


def _from_table(rows: list[dict[str, str]], key: str) -> float | None:
    """The ``column`` cell of the first row whose leading labels are the key's (an activation's
    paper mark, ``hard_ash†``, is not part of its label)."""
    from forgetless.report.table import PAPER_MARK

    *labels, column = key.split("/")
    index = 1 if column.endswith(STD) else 0
    column = column.removesuffix(STD)
    prefix = "/".join(labels) + "/"
    for row in rows:
        if row["#labels"].replace(PAPER_MARK, "").startswith(prefix) and column in row:
            numbers = cell_numbers(row[column])
            return numbers[index] if len(numbers) > index else None
    return None


def _from_pattern(text: str, pattern: str) -> float | None:
    match = re.search(pattern, text)
    if match is None:
        return None
    word = match.group(1)
    if word in ("True", "False"):
        return float(word == "True")
    try:
        return float(word)
    except ValueError:
        return None

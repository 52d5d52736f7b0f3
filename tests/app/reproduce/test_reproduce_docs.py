"""The docs' numbers come from the entries (docs/reproduce.md).

A result table in README.md or docs/*.md is marked with ``<!-- reproduce: NAME ... -->`` on the
line before it (names may be ``fnmatch`` patterns; ``columns=A;B`` restricts the check to those
columns). The numbers of a marked table and the recorded values of the entries it names must be
the same multiset, so a number cannot be edited in one place only (``subset``: the table repeats
some of the entries' values, and each of its numbers must be one of them). An entry no table
names states its numbers in prose: each recorded value must appear in its source doc.

Every other table with a decimal number carries ``<!-- not reproduced: REASON -->`` on the line
before it (a paper's number, history, a one-off timing, settings rather than measurements), so
a new table of measurements cannot go unchecked without saying why.
"""

from __future__ import annotations

import re
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

import pytest

from forgetless.app.reproduce.entries import ENTRIES
from forgetless.app.reproduce.readers import cell_numbers, markdown_rows

ROOT = Path(__file__).resolve().parents[3]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MARKER = re.compile(
    r"<!-- reproduce: (?P<names>[^=>]+?)(?: columns=(?P<columns>[^>]+?))?(?P<subset> subset)? -->"
)
NOT_REPRODUCED = re.compile(r"<!-- not reproduced: (?P<reason>\w[^>]*?) -->")
DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+")


def marked_tables() -> list[tuple[str, list[str], list[str] | None, bool, list[dict[str, str]]]]:
    """``(doc:line, names, columns or None, subset, rows)`` of every marked table."""
    found = []
    for doc in DOCS:
        lines = doc.read_text().splitlines()
        for i, line in enumerate(lines):
            match = MARKER.search(line)
            if match is None:
                continue
            table = []
            for following in lines[i + 1 :]:
                if not following.startswith("|"):
                    break
                table.append(following)
            columns = match["columns"].split(";") if match["columns"] else None
            where = f"{doc.relative_to(ROOT)}:{i + 1}"
            rows = markdown_rows("\n".join(table))
            found.append((where, match["names"].split(), columns, bool(match["subset"]), rows))
    return found


TABLES = marked_tables()


def tables_with_decimals() -> list[tuple[str, str]]:
    """``(doc:line, the line before)`` of every table whose rows hold a decimal number."""
    found = []
    for doc in DOCS:
        name = str(doc.relative_to(ROOT))
        lines = doc.read_text().splitlines()
        for i, line in enumerate(lines):
            starts = line.startswith("|") and not (i and lines[i - 1].startswith("|"))
            if not starts:
                continue
            end = next((j for j in range(i, len(lines)) if not lines[j].startswith("|")), None)
            body = "\n".join(lines[i + 2 : end])
            if DECIMAL.search(body):
                found.append((f"{name}:{i + 1}", lines[i - 1] if i else ""))
    return found


def cell_parts(cell: str) -> list[str]:
    """A cell's numbers one by one: ``0.981 / 0.956`` and ``goodness 0.8786, linear 0.8776``
    hold two (each part's leading word dropped; the typographic minus read as ``-``)."""
    parts = re.split(r" / |, (?=[a-z]+ \d+\.\d)", cell.replace("−", "-"))
    return [re.sub(r"^[a-z]+ (?=\d+\.\d)", "", part) for part in parts]


def table_numbers(rows: list[dict[str, str]], columns: list[str] | None) -> Counter:
    numbers: Counter = Counter()
    for row in rows:
        for header, cell in row.items():
            if header == "#labels" or (columns is not None and header not in columns):
                continue
            for part in cell_parts(cell):
                numbers.update(round(n, 6) for n in cell_numbers(part))
    return numbers


def named(patterns: list[str]) -> list:
    return [e for e in ENTRIES if any(fnmatch(e.name, p) for p in patterns)]


def test_the_docs_mark_their_result_tables():
    assert len(TABLES) >= 6
    for where, names, _, _, rows in TABLES:
        assert rows, f"{where}: the marker is not followed by a table"
        for pattern in names:
            assert named([pattern]), f"{where}: no entry is named {pattern!r}"


@pytest.mark.parametrize("where,names,columns,subset,rows", TABLES, ids=[t[0] for t in TABLES])
def test_a_marked_table_holds_exactly_the_recorded_values(where, names, columns, subset, rows):
    recorded = Counter(round(v.recorded, 6) for e in named(names) for v in e.values)
    in_doc = table_numbers(rows, columns)
    assert in_doc, f"{where}: no number in the checked columns {columns}"
    assert in_doc - recorded == Counter(), f"{where}: numbers in the doc that no entry records"
    if not subset:
        assert recorded - in_doc == Counter(), f"{where}: recorded values missing from the doc"


def test_every_table_of_numbers_is_reproduced_or_says_why_not():
    tables = tables_with_decimals()
    assert len(tables) > len(TABLES)
    unmarked = [
        where
        for where, before in tables
        if not (MARKER.search(before) or NOT_REPRODUCED.search(before))
    ]
    assert unmarked == [], (
        "tables with numbers but neither <!-- reproduce: NAME --> nor "
        f"<!-- not reproduced: REASON --> on the line before: {unmarked}"
    )


def test_cell_parts_split_two_numbers_in_one_cell():
    assert cell_parts("0.981 / 0.956") == ["0.981", "0.956"]
    assert cell_parts("goodness 0.8786, linear 0.8776") == ["0.8786", "0.8776"]
    assert cell_parts("0.9743 ± 0.0021 (0.972, 0.975)") == ["0.9743 ± 0.0021 (0.972, 0.975)"]
    assert cell_parts("−0.038") == ["-0.038"]


def test_an_entry_no_table_names_states_its_values_in_its_source_doc():
    in_tables = {e.name for _, names, _, _, _ in TABLES for e in named(names)}
    prose = [e for e in ENTRIES if e.name not in in_tables]
    assert prose
    for entry in prose:
        text = (ROOT / entry.source.partition("#")[0]).read_text()
        for value in entry.values:
            if (
                entry.reader == "pattern"
                and value.recorded == 1.0
                and "(True|False)" in value.pattern
            ):
                continue  # a yes / no check, stated in words
            assert f"{value.recorded:g}" in text, f"{entry.name}: {value.key} not in {entry.source}"


def test_every_entry_names_an_existing_doc_and_repository_files():
    for entry in ENTRIES:
        assert (ROOT / entry.source.partition("#")[0]).is_file(), entry.name
        for word in entry.command[1:]:
            if word.endswith((".py", ".sh")):
                assert (ROOT / word).is_file(), f"{entry.name}: {word}"

"""The docs' numbers come from the entries (docs/reproduce.md).

A result table in README.md or docs/*.md is marked with ``<!-- reproduce: NAME ... -->`` on the
line before it (names may be ``fnmatch`` patterns; ``columns=A;B`` restricts the check to those
columns). The numbers of a marked table and the recorded values of the entries it names must be
the same multiset, so a number cannot be edited in one place only. An entry no table names
states its numbers in prose: each recorded value must appear in its source doc.
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
MARKER = re.compile(r"<!-- reproduce: (?P<names>[^=>]+?)(?: columns=(?P<columns>[^>]+?))? -->")


def marked_tables() -> list[tuple[str, list[str], list[str] | None, list[dict[str, str]]]]:
    """``(doc:line, names, columns or None, rows)`` of every marked table."""
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
            found.append((where, match["names"].split(), columns, markdown_rows("\n".join(table))))
    return found


TABLES = marked_tables()


def table_numbers(rows: list[dict[str, str]], columns: list[str] | None) -> Counter:
    numbers: Counter = Counter()
    for row in rows:
        for header, cell in row.items():
            if header == "#labels" or (columns is not None and header not in columns):
                continue
            numbers.update(round(n, 6) for n in cell_numbers(cell))
    return numbers


def named(patterns: list[str]) -> list:
    return [e for e in ENTRIES if any(fnmatch(e.name, p) for p in patterns)]


def test_the_docs_mark_their_result_tables():
    assert len(TABLES) >= 6
    for where, names, _, rows in TABLES:
        assert rows, f"{where}: the marker is not followed by a table"
        for pattern in names:
            assert named([pattern]), f"{where}: no entry is named {pattern!r}"


@pytest.mark.parametrize("where,names,columns,rows", TABLES, ids=[t[0] for t in TABLES])
def test_a_marked_table_holds_exactly_the_recorded_values(where, names, columns, rows):
    recorded = Counter(round(v.recorded, 6) for e in named(names) for v in e.values)
    in_doc = table_numbers(rows, columns)
    assert in_doc - recorded == Counter(), f"{where}: numbers in the doc that no entry records"
    assert recorded - in_doc == Counter(), f"{where}: recorded values missing from the doc"


def test_an_entry_no_table_names_states_its_values_in_its_source_doc():
    in_tables = {e.name for _, names, _, _ in TABLES for e in named(names)}
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

"""What one documented result is: :class:`Entry` (a command and its recorded values) and
:class:`Value`; :func:`row_values` writes a table's rows as values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: How an entry's values are read from its run (:mod:`forgetless.app.reproduce.readers`).
READERS = ("results", "table", "pattern")


@dataclass(frozen=True)
class Value:
    """One recorded number.

    Attributes:
        key: what is measured. ``results`` reader: ``[rule/]activation/strategy[/head]/metric``
            (a key of a cell record: ``acc``, ``la``, ``bwt`` ...; ``_std`` appended for the std
            over seeds; without ``/head`` the row of the network's own output layer where
            several match), or ``reference/<head>/metric`` for a reference head's row. ``table`` reader: ``label/.../column`` (the leading cells of a row of a
            Markdown table the command prints, then a header; ``_std`` for the ``± std`` part).
            ``pattern`` reader: a name.
        recorded: the value as the docs state it (their rounding).
        pattern: ``pattern`` reader only: a regular expression whose first group, searched in
            the command's output, is the value (a number, or ``True`` / ``False`` read as 1 / 0).
    """

    key: str
    recorded: float
    pattern: str = ""


@dataclass(frozen=True)
class Entry:
    """One documented result and how to measure it again.

    Attributes:
        name: what ``forgetless reproduce NAME`` takes.
        checks: one line: what the numbers are.
        source: the doc that states them (``path#section``).
        command: the command line; ``forgetless`` and ``python`` run with this interpreter,
            paths are relative to the repository. A ``forgetless compare`` command gets
            ``output_dir=<temp> run_name=<name> progress=false`` appended.
        values: the recorded numbers.
        reader: how the values are read back (one of :data:`READERS`).
        tolerance: the largest accepted ``|measured - recorded|``.
        seconds: expected wall time on 2 shared CPU cores (one torch thread).
        quick: it takes minutes on the embedded data (``forgetless reproduce --quick``, a
            regression test: never a timing entry).
        timing: the values are time ratios (their check prints the load average); run by name.
        needs: what the command needs beyond a checkout, e.g. a data set (``""``: nothing).
    """

    name: str
    checks: str
    source: str
    command: tuple[str, ...]
    values: tuple[Value, ...]
    reader: str
    tolerance: float
    seconds: float
    quick: bool
    timing: bool = False
    needs: str = ""

    def __post_init__(self) -> None:
        if self.reader not in READERS:
            raise ValueError(
                f"entry {self.name}: reader must be one of {READERS}, not {self.reader!r}"
            )
        if not self.values:
            raise ValueError(f"entry {self.name}: values must not be empty")
        if self.timing and self.quick:
            raise ValueError(
                f"entry {self.name}: a timing entry cannot be quick (time ratios need a quiet "
                "machine; --quick is a regression test)"
            )

    @property
    def is_compare(self) -> bool:
        return self.command[:2] == ("forgetless", "compare")


def row_values(
    columns: tuple[str, ...], rows: Iterable[tuple[str | float, ...]], labels: int = 2
) -> tuple[Value, ...]:
    """Values of a table: each row is ``labels`` label cells, then one number per column.

    Example: ``row_values(("acc", "la"), [("relu", "naive", 0.197, 0.981)])`` gives the values
    ``relu/naive/acc`` = 0.197 and ``relu/naive/la`` = 0.981.
    """
    values = []
    for row in rows:
        if len(row) != labels + len(columns):
            raise ValueError(f"row {row!r}: expected {labels} labels and {len(columns)} numbers")
        prefix = "/".join(str(label) for label in row[:labels])
        values += [
            Value(f"{prefix}/{column}", float(number))
            for column, number in zip(columns, row[labels:], strict=True)
        ]
    return tuple(values)

"""What every entry file shares: the table columns, tolerances and the shell splitter."""

from __future__ import annotations

import shlex

#: The comparison table's metrics, in its column order (keys of a cell record).
TABLE = ("acc", "la", "bwt", "fwt", "forgetting", "avalanche_forgetting")
#: The Lightning example's table: the same columns under their printed names.
PRINTED = ("ACC", "LA", "BWT", "FWT", "Forgetting", "Av. forgetting")
#: A mean ± std row of three seeds: ACC, LA and forgetting with their stds (keys of a results row).
MEAN_STD = ("acc", "acc_std", "la", "la_std", "forgetting", "forgetting_std")
#: Tolerance of a deterministic accuracy printed with 3 / 4 decimals.
DIGITS_3 = 1e-3
DIGITS_4 = 1e-4
#: Tolerance of a time ratio measured next to other jobs.
RATIO = 0.25


def sh(line: str) -> tuple[str, ...]:
    """A command line as the docs write it, split as a shell would."""
    return tuple(shlex.split(line))


FASHION = "Fashion-MNIST (Debian package dataset-fashion-mnist, or --root / scenario.root)"

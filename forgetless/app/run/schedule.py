"""The order in which a parallel launcher hands out cells: the longest expected first.

With N workers and cells handed out in grid order, the last cell to start can be a long one
while the other workers sit idle. Handing out the longest cells first and the shortest last
("longest processing time first", R. L. Graham, "Bounds on multiprocessing timing anomalies",
SIAM J. Appl. Math. 1969) keeps the tail short. A cell's time is not known before it runs, so
its strategy stands for it: its entry's ``relative_time`` in
:data:`forgetless.strategy_specs.STRATEGIES` (the measurements: docs/strategies.md). Unknown
strategies count as 1.0. The sort is stable, so cells of equal weight keep their grid order.

Only the order of execution changes: every cell seeds itself, the records are put back in grid
order, so results do not depend on it (bit-identical on CPU, see
:mod:`forgetless.app.run.worker`).
"""

from __future__ import annotations

from forgetless.app.run.cell import Cell
from forgetless.strategy_specs import STRATEGIES


def _weight(strategy: str) -> float:
    """Training time of a cell relative to naive fine-tuning, by strategy (see the module doc)."""
    spec = STRATEGIES.get(strategy)
    return 1.0 if spec is None else spec.relative_time


def longest_first(cells: list[Cell]) -> list[Cell]:
    """``cells`` in the order a parallel launcher should start them (heaviest strategy first).

    Args:
        cells: the grid's cells, in grid order (not modified).

    Returns:
        A new list, sorted by decreasing ``relative_time`` of the cells' strategies (stable).
    """
    return sorted(cells, key=lambda cell: -_weight(cell.strategy))

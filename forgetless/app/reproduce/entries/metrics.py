"""docs/metrics.md: class- vs task-incremental evaluation of one run (issue 26's defect)."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import DIGITS_3, sh
from forgetless.app.reproduce.entry import Entry, row_values

COLUMNS = ("acc", "acc_task", "avg_incremental_acc", "la")


def _task_incremental(flag: str, numbers: tuple[float, ...]) -> Entry:
    """One row of docs/metrics.md's table: ``scenario.task_incremental=<flag>``."""
    return Entry(
        name=f"task_incremental_{flag}",
        checks=f"scenario.task_incremental={flag}: ACC, task-IL ACC, average incremental ACC, "
        "LA; embedded Split-MNIST, MLP 784-16-10, naive, seed 0",
        source="docs/metrics.md#scenariotask_incrementaltrue",
        command=sh(
            "forgetless compare scenario.n_experiences=5 model.hidden=[16] train.batch_size=64"
            f" strategies=[naive] activations=[relu] seeds=[0] scenario.task_incremental={flag}"
            " references.joint=false references.heads=[]"
        ),
        values=row_values(COLUMNS, [("relu", "naive", *numbers)]),
        reader="results",
        tolerance=DIGITS_3,
        seconds=30,
        quick=True,
    )


TASK_INCREMENTAL = [
    _task_incremental("false", (0.195, 0.841, 0.448, 0.976)),
    _task_incremental("true", (0.950, 0.950, 0.969, 0.975)),
]

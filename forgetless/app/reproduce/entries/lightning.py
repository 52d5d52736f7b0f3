"""The Lightning door: docs/lightning.md's example and the LitMNIST defaults (docs/recipes.md)."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import DIGITS_3, PRINTED, sh
from forgetless.app.reproduce.entry import Entry, Value, row_values

LIGHTNING_EXAMPLE = Entry(
    name="lightning_example",
    checks="examples/lightning_split_mnist.py --baseline: Hard ASH swapped in vs ReLU, seed 0",
    source="docs/lightning.md#a-continual-run",
    command=("python", "examples/lightning_split_mnist.py", "--baseline"),
    values=row_values(
        PRINTED,
        [
            ("hard_ash", "lightning", 0.193, 0.974, -0.976, -0.036, 0.976, 0.976),
            ("relu", "lightning", 0.191, 0.970, -0.974, -0.025, 0.974, 0.974),
        ],
    ),
    reader="table",
    tolerance=DIGITS_3,
    seconds=40,
    quick=True,
)


def _lightning_defaults(optimizer: str, rows: list[tuple[str, float, float]]) -> list[Entry]:
    """One entry per activation: its LA swapped into the example's LitMNIST, seeds 0-2."""
    return [
        Entry(
            name=f"lightning_defaults_{optimizer}_{activation}",
            checks=f"LA of {activation} at its registry defaults in LitMNIST, {optimizer}, 3 seeds",
            source="docs/recipes.md#activations-learn-where-users-put-them",
            command=sh(
                f"python examples/lightning_split_mnist.py --activation {activation}"
                f" --optimizer {optimizer} --seeds 0 1 2"
            ),
            values=(
                Value(f"{activation}/lightning/LA", la),
                Value(f"{activation}/lightning/LA_std", std),
            ),
            reader="table",
            tolerance=DIGITS_3,
            seconds=60,
            quick=True,
        )
        for activation, la, std in rows
    ]


LIGHTNING_DEFAULTS = _lightning_defaults(
    "sgd",
    [
        ("relu", 0.942, 0.028),
        ("elephant", 0.972, 0.006),
        ("learnable_elephant", 0.973, 0.005),
        ("apa", 0.965, 0.003),
        ("aglu", 0.925, 0.035),
        ("ash", 0.977, 0.004),
        ("hard_ash", 0.977, 0.004),
        ("tempered_sigmoid", 0.971, 0.002),
    ],
) + _lightning_defaults(
    "adam",
    [
        ("relu", 0.574, 0.073),
        ("elephant", 0.885, 0.037),
        ("learnable_elephant", 0.900, 0.044),
        ("apa", 0.859, 0.005),
        ("aglu", 0.896, 0.025),
        ("ash", 0.803, 0.059),
        ("hard_ash", 0.656, 0.034),
        ("tempered_sigmoid", 0.872, 0.037),
    ],
)

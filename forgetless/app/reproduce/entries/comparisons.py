"""The README's comparison tables: the default grid, the rules preset, the Hard ASH recipe."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import DIGITS_3, FASHION, TABLE, sh
from forgetless.app.reproduce.entry import Entry, row_values

DEFAULT_TABLE = Entry(
    name="default_table",
    checks="the default comparison: 5 activations x naive / replay, embedded Split-MNIST, seed 0",
    source="README.md#measured-results",
    command=("forgetless", "compare"),
    values=row_values(
        TABLE,
        [
            ("hard_ash", "replay", 0.833, 0.971, -0.172, -0.111, 0.172, 0.172),
            ("relu", "replay", 0.829, 0.956, -0.159, -0.117, 0.159, 0.159),
            ("aglu", "replay", 0.828, 0.954, -0.158, -0.111, 0.158, 0.158),
            ("tempered_sigmoid", "replay", 0.816, 0.954, -0.173, -0.061, 0.173, 0.173),
            ("elephant", "replay", 0.791, 0.978, -0.234, -0.094, 0.234, 0.234),
            ("tempered_sigmoid", "naive", 0.211, 0.981, -0.963, -0.061, 0.963, 0.963),
            ("hard_ash", "naive", 0.210, 0.986, -0.970, -0.111, 0.970, 0.970),
            ("aglu", "naive", 0.199, 0.980, -0.976, -0.111, 0.976, 0.976),
            ("relu", "naive", 0.197, 0.981, -0.980, -0.117, 0.980, 0.980),
            ("elephant", "naive", 0.197, 0.984, -0.984, -0.094, 0.984, 0.984),
        ],
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=25,
    quick=True,
)

RULES_PRESET = Entry(
    name="rules_preset",
    checks="LA of each rule at its recipe, preset rules_split_mnist (embedded Split-MNIST, seed 0)",
    source="docs/recipes.md#rules-train-at-their-recipe",
    command=("forgetless", "compare", "preset=rules_split_mnist"),
    values=row_values(
        ("la",),
        [
            ("backprop", "relu", "naive", 0.986),
            ("forward_forward", "relu", "naive", 0.945),
            ("collaborative_ff", "relu", "naive", 0.984),
            ("mono_forward", "relu", "naive", 0.976),
            ("noprop", "relu", "naive", 0.983),
        ],
        labels=3,
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=57,
    quick=True,
)

HARD_ASH_RECIPE = Entry(
    name="hard_ash_recipe",
    checks="the Hard ASH paper's recipe with 6 activations, full Split-FashionMNIST, seed 0",
    source="README.md#measured-results",
    command=sh(
        "forgetless compare preset=hard_ash_recipe scenario.name=split_fashion_mnist"
        " activations=[hard_ash,relu,elephant,ash,tempered_sigmoid,aglu]"
    ),
    values=row_values(
        ("acc", "la", "bwt", "forgetting"),
        [
            ("ash", "naive", 0.672, 0.823, -0.189, 0.189),
            ("hard_ash", "naive", 0.642, 0.684, -0.053, 0.073),
            ("aglu", "naive", 0.497, 0.977, -0.600, 0.600),
            ("relu", "naive", 0.494, 0.979, -0.606, 0.606),
            ("tempered_sigmoid", "naive", 0.475, 0.978, -0.630, 0.630),
            ("elephant", "naive", 0.451, 0.973, -0.653, 0.653),
        ],
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=212,
    quick=False,
    needs=FASHION,
)

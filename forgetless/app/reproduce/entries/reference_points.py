"""Reference points: the baselines preset and the closed-form heads' anchors (docs/heads.md)."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import DIGITS_3, DIGITS_4, FASHION
from forgetless.app.reproduce.entry import Entry, Value, row_values

BASELINES = Entry(
    name="baselines",
    checks="preset=baselines: ReLU with every strategy that runs here and the joint bound "
    "(cumulative training's steps), "
    "embedded Split-MNIST, seed 0",
    source="README.md#reference-points-preset-baselines",
    command=("forgetless", "compare", "preset=baselines"),
    values=(
        *row_values(
            ("acc", "la", "forgetting"),
            [
                ("relu", "cumulative", 0.927, 0.947, 0.025),
                ("relu", "gem", 0.918, 0.952, 0.042),
                ("relu", "der", 0.888, 0.965, 0.096),
                ("relu", "er_ace", 0.854, 0.919, 0.081),
                ("relu", "replay", 0.829, 0.956, 0.159),
                ("relu", "mer", 0.804, 0.959, 0.194),
                ("relu", "gdumb", 0.768, 0.902, 0.168),
                ("relu", "mir", 0.705, 0.972, 0.334),
                ("relu", "gss_greedy", 0.683, 0.971, 0.360),
                ("relu", "cwr_star", 0.676, 0.816, 0.175),
                ("relu", "agem", 0.417, 0.981, 0.705),
                ("relu", "lfl", 0.296, 0.975, 0.849),
                ("relu", "mas", 0.283, 0.982, 0.874),
                ("relu", "lwf", 0.210, 0.981, 0.964),
                ("relu", "ewc", 0.200, 0.983, 0.979),
                ("relu", "naive", 0.197, 0.981, 0.980),
                ("relu", "from_scratch", 0.197, 0.985, 0.985),
                ("relu", "si", 0.197, 0.981, 0.980),
                ("relu", "continual_backprop", 0.197, 0.981, 0.980),
                ("relu", "redo", 0.197, 0.981, 0.980),
                ("relu", "shrink_perturb", 0.197, 0.981, 0.980),
            ],
        ),
        Value("relu/joint/acc", 0.932),
        Value("relu/joint/la", 0.932),
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=93,
    quick=False,
)

HEADS_LABELS = 4  # scenario, head, features, shrinkage

HEADS_ANCHORS_MNIST = Entry(
    name="heads_anchors_split_mnist",
    checks="streaming LDA / NCM anchors on embedded Split-MNIST (issue 23's targets)",
    source="docs/heads.md#anchors-issue-23s-item-2-target",
    command=("python", "benchmarks/heads_anchors.py", "--scenarios", "split_mnist"),
    values=row_values(
        ("ACC",),
        [
            ("split_mnist", "slda", "pixels", "0.0001", 0.8470),
            ("split_mnist", "slda", "pixels", "0.01", 0.8660),
            ("split_mnist", "slda", "pixels", "0.1", 0.8770),
            ("split_mnist", "slda", "pixels", "0.3", 0.8850),
            ("split_mnist", "ncm", "pixels", "—", 0.8020),
            ("split_mnist", "slda", "random_relu_2000", "0.01", 0.9410),
        ],
        labels=HEADS_LABELS,
    ),
    reader="table",
    tolerance=DIGITS_4,
    seconds=25,
    quick=True,
)

HEADS_ANCHORS_FASHION = Entry(
    name="heads_anchors_split_fashion_mnist",
    checks="streaming LDA / NCM anchors on full Split-FashionMNIST (issue 23's targets)",
    source="docs/heads.md#anchors-issue-23s-item-2-target",
    command=("python", "benchmarks/heads_anchors.py", "--scenarios", "split_fashion_mnist"),
    values=row_values(
        ("ACC",),
        [
            ("split_fashion_mnist", "slda", "pixels", "0.0001", 0.8149),
            ("split_fashion_mnist", "slda", "pixels", "0.01", 0.8157),
            ("split_fashion_mnist", "slda", "pixels", "0.1", 0.8141),
            ("split_fashion_mnist", "slda", "pixels", "0.3", 0.8083),
            ("split_fashion_mnist", "ncm", "pixels", "—", 0.6768),
            ("split_fashion_mnist", "slda", "random_relu_2000", "0.01", 0.8559),
        ],
        labels=HEADS_LABELS,
    ),
    reader="table",
    tolerance=DIGITS_4,
    seconds=120,
    quick=False,
    needs=FASHION,
)

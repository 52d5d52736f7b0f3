"""``preset=one_pass_best`` on Fashion-MNIST, streaming, and on the embedded sample (README)."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import DIGITS_3, FASHION, sh
from forgetless.app.reproduce.entry import Entry, row_values

MEAN_STD = ("acc", "acc_std", "la", "la_std", "forgetting", "forgetting_std")

ONE_PASS_BEST = Entry(
    name="one_pass_best",
    checks="preset one_pass_best (ASH, width 4000, Adagrad 1.25e-4), Split-FashionMNIST, seeds 0-2",
    source="README.md#measured-results",
    command=sh("forgetless compare preset=one_pass_best seeds=[0,1,2] launcher.jobs=2"),
    values=row_values(MEAN_STD, [("ash", "naive", 0.701, 0.002, 0.855, 0.006, 0.193, 0.008)]),
    reader="results",
    tolerance=DIGITS_3,
    seconds=261,
    quick=False,
    needs=FASHION,
)

ONE_PASS_BEST_STREAMING = Entry(
    name="one_pass_best_streaming",
    checks="one_pass_best streaming (batch 10, lr 5e-5), Split-FashionMNIST, seeds 0-2",
    source="README.md#measured-results",
    command=sh(
        "forgetless compare preset=one_pass_best seeds=[0,1,2] scenario.streaming=true"
        " train.batch_size=10 optimizer.lr=5e-5 launcher.jobs=2"
    ),
    values=row_values(MEAN_STD, [("ash", "naive", 0.684, 0.005, 0.812, 0.005, 0.161, 0.003)]),
    reader="results",
    tolerance=DIGITS_3,
    seconds=758,
    quick=False,
    needs=FASHION,
)

ONE_PASS_BEST_EMBEDDED = Entry(
    name="one_pass_best_embedded",
    checks="one_pass_best on the embedded Split-MNIST sample (it does not learn there), seeds 0-2",
    source="README.md#measured-results",
    command=sh(
        "forgetless compare preset=one_pass_best seeds=[0,1,2] scenario.name=split_mnist"
        " scenario.source=embedded"
    ),
    values=row_values(
        ("acc", "acc_std", "la", "forgetting", "forgetting_std"),
        [("ash", "naive", 0.428, 0.031, 0.422, 0.000, 0.002)],
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=60,
    quick=True,
)

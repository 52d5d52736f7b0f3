"""``preset=one_pass_best`` (issue 24: random conv features + streaming LDA) on Fashion-MNIST,
streaming, and on the embedded sample (README)."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import DIGITS_3, FASHION, MEAN_STD, sh
from forgetless.app.reproduce.entry import Entry, row_values

NO_REFERENCES = "references.joint=false references.heads=[]"  # as measured: the head cells only

ONE_PASS_BEST = Entry(
    name="one_pass_best",
    checks="preset one_pass_best (random conv 64 x 5 x 5 + streaming LDA, s 0.01), "
    "Split-FashionMNIST, seeds 0-2",
    source="README.md#measured-results",
    command=sh(
        f"forgetless compare preset=one_pass_best seeds=[0,1,2] {NO_REFERENCES} launcher.jobs=3"
    ),
    values=row_values(MEAN_STD, [("relu", "naive", 0.893, 0.001, 0.941, 0.001, 0.060, 0.001)]),
    reader="results",
    tolerance=DIGITS_3,
    seconds=948,
    quick=False,
    needs=FASHION,
)

ONE_PASS_BEST_STREAMING = Entry(
    name="one_pass_best_streaming",
    checks="one_pass_best streaming (batch 10, the head reading 10 samples at a time), "
    "Split-FashionMNIST, seed 0",
    source="README.md#measured-results",
    command=sh(
        "forgetless compare preset=one_pass_best seeds=[0] scenario.streaming=true"
        f" train.batch_size=10 train.eval_batch_size=10 {NO_REFERENCES}"
    ),
    values=row_values(("acc", "la", "forgetting"), [("relu", "naive", 0.893, 0.942, 0.060)]),
    reader="results",
    tolerance=DIGITS_3,
    seconds=970,
    quick=False,
    needs=FASHION,
)

ONE_PASS_BEST_EMBEDDED = Entry(
    name="one_pass_best_embedded",
    checks="one_pass_best (random conv + streaming LDA, s 0.1) and its joint bound on the "
    "embedded Split-MNIST sample, seeds 0-2",
    source="README.md#measured-results",
    command=sh(
        "forgetless compare preset=one_pass_best seeds=[0,1,2] scenario.name=split_mnist"
        " scenario.source=embedded head.shrinkage=0.1 references.joint_steps=stream"
    ),
    values=(
        *row_values(MEAN_STD, [("relu", "naive", 0.974, 0.002, 0.982, 0.001, 0.010, 0.003)]),
        *row_values(("acc", "acc_std"), [("relu", "joint", 0.900, 0.008)]),
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=345,
    quick=True,
)

ONE_PASS_BEST_REFERENCES = Entry(
    name="one_pass_best_references",
    checks="one_pass_best's reference rows on Split-FashionMNIST, seed 0: the joint bound and "
    "the naive read-out of the same network, slda_random, slda_pixels",
    source="docs/findings.md#result-validation-selected-three-seeds",
    command=sh(
        "forgetless compare preset=one_pass_best seeds=[0] heads=[none]"
        " references.joint_steps=stream launcher.jobs=3"
    ),
    values=(
        *row_values(("acc",), [("relu", "joint", 0.866)]),
        *row_values(("acc", "la", "forgetting"), [("relu", "naive", 0.199, 0.990, 0.988)]),
        *row_values(
            ("acc",), [("reference", "slda_random", 0.856), ("reference", "slda_pixels", 0.816)]
        ),
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=374,
    quick=False,
    needs=FASHION,
)

ONE_PASS_BEST_EMBEDDED_REFERENCES = Entry(
    name="one_pass_best_embedded_references",
    checks="the reference heads of one_pass_best_embedded's run (slda_random, slda_pixels at "
    "shrinkage 0.01), embedded Split-MNIST, seeds 0-2",
    source="README.md#measured-results",
    command=ONE_PASS_BEST_EMBEDDED.command,
    values=row_values(
        ("acc", "acc_std"),
        [("reference", "slda_random", 0.944, 0.003), ("reference", "slda_pixels", 0.866, 0.000)],
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=345,
    quick=False,
)

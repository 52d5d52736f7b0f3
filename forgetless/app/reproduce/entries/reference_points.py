"""Reference points: the baselines preset and the closed-form heads' anchors (docs/heads.md)."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import DIGITS_3, DIGITS_4, FASHION, sh
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

HEADS_REFERENCE_ROWS = Entry(
    name="heads_reference_rows",
    checks="the reference rows and the heads axis on embedded Split-MNIST in 2 experiences, "
    "MLP 784-16-10, seed 0",
    source="docs/heads.md#in-compare-reference-rows-and-the-heads-axis",
    command=sh(
        "forgetless compare activations=[relu] strategies=[naive] heads=[none,slda]"
        " references.heads=[slda_pixels,ncm_pixels] scenario.n_experiences=2 model.hidden=[16]"
        " train.batch_size=64"
    ),
    values=(
        *row_values(("acc", "la"), [("relu", "joint", 0.892, 0.892)]),
        *row_values(
            ("acc", "la"),
            [("reference", "slda_pixels", 0.866, 0.885), ("reference", "ncm_pixels", 0.802, 0.844)],
        ),
        *row_values(
            ("acc", "la", "acc_vs_joint", "intransigence"),
            [("relu", "naive", "slda", 0.744, 0.795, 0.834, 0.097)],
            labels=3,
        ),
        *row_values(
            ("acc", "la", "acc_vs_joint", "intransigence"),
            [("relu", "naive", 0.459, 0.930, 0.515, -0.038)],
        ),
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=40,
    quick=True,
)

BASELINES_REFERENCE_HEADS = Entry(
    name="baselines_reference_heads",
    checks="the four reference heads of preset=baselines (one pass, no training), embedded "
    "Split-MNIST, seed 0",
    source="docs/heads.md#in-compare-reference-rows-and-the-heads-axis",
    command=sh(
        "forgetless compare preset=baselines strategies=[naive] references.joint=false"
        " launcher.jobs=1"
    ),
    values=row_values(
        ("acc", "la"),
        [
            ("reference", "slda_random", 0.941, 0.955),
            ("reference", "slda_pixels", 0.866, 0.908),
            ("reference", "ncm_random", 0.807, 0.862),
            ("reference", "ncm_pixels", 0.802, 0.864),
        ],
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=40,
    quick=True,
)

REFERENCE_SLDA_CONV = Entry(
    name="reference_slda_conv",
    checks="streaming LDA on issue 24's fixed random conv features (shrinkage 0.1) as a "
    "reference row, embedded Split-MNIST, seed 0",
    source="README.md#reference-points-preset-baselines",
    command=sh(
        "forgetless compare activations=[relu] strategies=[naive] references.joint=false"
        " references.heads=[slda_conv] references.shrinkage=0.1"
    ),
    values=(Value("reference/slda_conv/acc", 0.972),),
    reader="results",
    tolerance=DIGITS_3,
    seconds=60,
    quick=True,
)

BASELINES_JOINT_STREAM = Entry(
    name="baselines_joint_stream",
    checks="the joint bound of preset=baselines held to a sequential run's steps "
    "(references.joint_steps=stream, 250), embedded Split-MNIST, seed 0",
    source="README.md#reference-points-preset-baselines",
    command=sh(
        "forgetless compare preset=baselines strategies=[naive] references.heads=[]"
        " references.joint_steps=stream launcher.jobs=1"
    ),
    values=(Value("relu/joint/acc", 0.911),),
    reader="results",
    tolerance=DIGITS_3,
    seconds=40,
    quick=True,
)


def _baselines_seed(seed: int, joint: float, cumulative: float, gem: float) -> Entry:
    """docs/heads.md: the joint bound above cumulative and GEM on another seed."""
    return Entry(
        name=f"baselines_order_seed{seed}",
        checks=f"joint bound vs cumulative vs gem of preset=baselines, seed {seed}",
        source="docs/heads.md#in-compare-reference-rows-and-the-heads-axis",
        command=sh(
            f"forgetless compare preset=baselines seeds=[{seed}] strategies=[cumulative,gem]"
            " references.heads=[]"
        ),
        values=(
            Value("relu/joint/acc", joint),
            Value("relu/cumulative/acc", cumulative),
            Value("relu/gem/acc", gem),
        ),
        reader="results",
        tolerance=DIGITS_3,
        seconds=90,
        quick=False,
    )


BASELINES_ORDER = [_baselines_seed(1, 0.938, 0.927, 0.910), _baselines_seed(2, 0.935, 0.931, 0.917)]

"""Every documented result as an :class:`~forgetless.app.reproduce.entry.Entry`: the one place
the docs' numbers come from (docs/reproduce.md: how they are recorded, checked and added).

Accuracies on fixed seeds are deterministic on CPU, so their tolerance is one unit of the last
digit the docs print; time ratios get a wide one. ``seconds`` is the wall time measured on 2
shared CPU cores with one torch thread, or, for entries not run here, the documented time (an
estimate where none is documented: docs/reproduce.md says which).
"""

from __future__ import annotations

import shlex

from forgetless.app.reproduce.entry import Entry, Value, row_values

#: The comparison table's metrics, in its column order (keys of a cell record).
TABLE = ("acc", "la", "bwt", "fwt", "forgetting", "avalanche_forgetting")
#: The Lightning example's table: the same columns under their printed names.
PRINTED = ("ACC", "LA", "BWT", "FWT", "Forgetting", "Av. forgetting")
#: Tolerance of a deterministic accuracy printed with 3 / 4 decimals.
DIGITS_3 = 1e-3
DIGITS_4 = 1e-4
#: Tolerance of a time ratio measured next to other jobs.
RATIO = 0.25


def sh(line: str) -> tuple[str, ...]:
    """A command line as the docs write it, split as a shell would."""
    return tuple(shlex.split(line))


FASHION = "Fashion-MNIST (Debian package dataset-fashion-mnist, or --root / scenario.root)"

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

BASELINES = Entry(
    name="baselines",
    checks="preset=baselines: ReLU with every strategy that runs here and the joint bound, "
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
        Value("relu/joint/acc", 0.911),
        Value("relu/joint/la", 0.911),
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=93,
    quick=False,
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

OVERHEAD = Entry(
    name="overhead",
    checks="one cell through forgetless vs written directly on Avalanche: time ratio, same R",
    source="README.md#measured-results",
    command=("python", "benchmarks/overhead.py", "--repeats", "5"),
    values=(
        Value("forgetless / avalanche", 0.93, r"ratio forgetless / avalanche = ([0-9.]+)"),
        Value("identical accuracy matrices", 1.0, r"identical accuracy matrices: (True|False)"),
    ),
    reader="pattern",
    tolerance=RATIO,
    seconds=30,
    quick=True,
    timing=True,
)

LAUNCHERS = Entry(
    name="launchers",
    checks="grid time of jobs=2 / jobs=1 and Ray jobs=2 / local jobs=2, medians of 5 rounds",
    source="docs/scaling.md#measured",
    command=("env", "ROUNDS=1 2 3 4 5", "bash", "benchmarks/launchers.sh"),
    values=(
        Value("jobs=2 / jobs=1 (grid)", 0.635, r"median \| ([0-9.]+) \|"),
        Value("ray / jobs=2 (grid)", 1.137, r"median \| [0-9.]+ \| [0-9.]+ \| ([0-9.]+) \|"),
    ),
    reader="pattern",
    tolerance=RATIO,
    seconds=300,
    quick=False,
    timing=True,
    needs="a quiet machine with 2 free cores, the [ray] extra, .venv/bin/forgetless (make)",
)


def _privacy(seed: int, tanh: float, relu: float) -> Entry:
    """The DP-SGD comparison at one seed (README: tanh vs ReLU test accuracy)."""
    return Entry(
        name=f"privacy_dp_sgd_seed{seed}",
        checks=f"DP-SGD at epsilon 3 on full Fashion-MNIST, tanh vs ReLU CNN, seed {seed}",
        source="README.md#measured-results",
        command=sh(
            "python benchmarks/privacy.py offline --epochs 40 --batch-size 2048 --epsilon 3"
            f" --threads 2 --seed {seed}"
        ),
        values=(
            Value("tempered_sigmoid/test acc", tanh),
            Value("relu/test acc", relu),
        ),
        reader="table",
        tolerance=DIGITS_4,
        seconds=4 * 3600,
        quick=False,
        needs=FASHION + ", the [privacy] extra",
    )


PRIVACY = [_privacy(0, 0.8588, 0.8356), _privacy(1, 0.8615, 0.8309)]

RULES_CONTINUAL = Entry(
    name="rules_continual_fashion",
    checks="each rule on class-incremental Split-FashionMNIST, 1 epoch per experience",
    source="docs/rules.md#measured",
    command=sh(
        "python benchmarks/rules.py continual --rules backprop forward_forward collaborative_ff"
        " mono_forward noprop noprop_ct --epochs 1 --hidden 500 500 --ff-recipe loewex"
        " --ff-negatives hard --ff-optimizer adam"
    ),
    values=row_values(
        ("acc", "bwt", "forgetting"),
        [
            ("backprop", 0.1994, -0.9881, 0.9881),
            ("forward_forward", 0.1992, -0.9784, 0.9784),
            ("collaborative_ff", 0.1992, -0.9786, 0.9786),
            ("mono_forward", 0.1994, -0.9874, 0.9874),
            ("noprop", 0.1995, -0.9861, 0.9861),
            ("noprop_ct", 0.1992, -0.8958, 0.8958),
        ],
        labels=1,
    ),
    reader="table",
    tolerance=DIGITS_4,
    seconds=900,
    quick=False,
    needs=FASHION,
)


def _rules_iid(name: str, line: str, values: tuple[Value, ...], seconds: float) -> Entry:
    """An i.i.d. Fashion-MNIST row of docs/rules.md (README: "Training rules, i.i.d.")."""
    return Entry(
        name=name,
        checks="test accuracy of the rules trained i.i.d. on full Fashion-MNIST, seed 0",
        source="docs/rules.md#measured",
        command=sh(line),
        values=values,
        reader="table",
        tolerance=DIGITS_4,
        seconds=seconds,
        quick=False,
        needs=FASHION,
    )


RULES_IID = [
    _rules_iid(
        "rules_iid_mlp",
        "python benchmarks/rules.py accuracy --rules backprop mono_forward --epochs 12"
        " --hidden 500 500 500 --lr-schedule cosine",
        (Value("backprop/acc", 0.9032), Value("mono_forward/acc", 0.9012)),
        seconds=12 * (12.6 + 14.1),
    ),
    _rules_iid(
        "rules_iid_forward_forward",
        "python benchmarks/rules.py accuracy --rules forward_forward --epochs 12"
        " --hidden 500 500 500 --ff-recipe loewex --ff-optimizer adam --ff-lr 1e-3"
        " --lr-schedule cosine --ff-negatives hard",
        (
            Value("forward_forward/acc_goodness", 0.8786),
            Value("forward_forward/acc_linear", 0.8776),
        ),
        seconds=12 * 62.0,
    ),
    _rules_iid(
        "rules_iid_cnn",
        "python benchmarks/rules.py accuracy --rules backprop noprop --noprop-backbone cnn"
        " --backprop-backbone cnn --cnn-channels 16 32 --noprop-hidden 256 --optimizer adamw"
        " --lr 1e-3 --weight-decay 1e-3 --batch-size 128 --epochs 8",
        (
            Value("backprop/acc", 0.9118),
            Value("noprop/acc_deterministic", 0.9138),
            Value("noprop/acc_stochastic", 0.8792),
        ),
        seconds=8 * (42 + 331),
    ),
]

ENTRIES: tuple[Entry, ...] = (
    DEFAULT_TABLE,
    BASELINES,
    RULES_PRESET,
    ONE_PASS_BEST_EMBEDDED,
    LIGHTNING_EXAMPLE,
    *LIGHTNING_DEFAULTS,
    HEADS_ANCHORS_MNIST,
    OVERHEAD,
    HARD_ASH_RECIPE,
    ONE_PASS_BEST,
    ONE_PASS_BEST_STREAMING,
    HEADS_ANCHORS_FASHION,
    RULES_CONTINUAL,
    *RULES_IID,
    *PRIVACY,
    LAUNCHERS,
)

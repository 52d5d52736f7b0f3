"""docs/findings.md: issue 18's one-pass network (``preset=one_pass_ash``) and the validation
sweeps that chose it."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import DIGITS_3, FASHION, MEAN_STD, sh
from forgetless.app.reproduce.entry import Entry, Value, row_values

SWEPT = ("Val ACC", "Val ACC_std", "Val LA", "Val forgetting")


def _ranked(rows: list[tuple[str, float, float, float, float]]) -> tuple[Value, ...]:
    """The printed sweep table's rows, best first: ``(overrides, acc, std, la, forgetting)``."""
    ranked = [
        (rank, overrides, "ash", "naive", *numbers)
        for rank, (overrides, *numbers) in enumerate(rows, 1)
    ]
    return row_values(SWEPT, ranked, labels=4)


def _hl(hidden: int, lr: str) -> str:
    return f"model.hidden=[{hidden}] optimizer.lr={lr}"


def _hzl(hidden: int, z_k: str, lr: str) -> str:
    return f"model.hidden=[{hidden}] activation_params.ash.z_k={z_k} optimizer.lr={lr}"


WIDTH_RATE_SWEEP = Entry(
    name="findings_width_rate_sweep",
    checks="issue 18's first sweep: ASH width x learning rate, Split-FashionMNIST validation",
    source="docs/findings.md#result",
    command=sh(
        "forgetless sweep preset=hard_ash_recipe scenario.name=split_fashion_mnist"
        " activations=[ash] activation_params.ash.z_k=2.0"
        " --grid model.hidden=[[1000],[2000],[4000]] --grid optimizer.lr=[1e-4,1.25e-4,1.5e-4]"
        " --select-seeds 0 1 --seeds 0 1 2 launcher.jobs=2"
    ),
    values=_ranked(
        [
            (_hl(2000, "0.000125"), 0.719, 0.008, 0.836, 0.147),
            (_hl(4000, "0.0001"), 0.714, 0.003, 0.863, 0.186),
            (_hl(2000, "0.00015"), 0.714, 0.005, 0.874, 0.200),
            (_hl(1000, "0.00015"), 0.710, 0.004, 0.807, 0.122),
            (_hl(2000, "0.0001"), 0.708, 0.006, 0.783, 0.093),
            (_hl(4000, "0.000125"), 0.699, 0.002, 0.920, 0.276),
            (_hl(1000, "0.000125"), 0.693, 0.018, 0.761, 0.085),
            (_hl(1000, "0.0001"), 0.654, 0.046, 0.690, 0.048),
            (_hl(4000, "0.00015"), 0.635, 0.009, 0.953, 0.398),
        ]
    ),
    reader="table",
    tolerance=DIGITS_3,
    seconds=14 * 60,
    quick=False,
    needs=FASHION,
)

THRESHOLD_SWEEP = Entry(
    name="findings_threshold_sweep",
    checks="issue 18's second sweep: width x z_k x learning rate, Split-FashionMNIST validation",
    source="docs/findings.md#result",
    command=sh(
        "forgetless sweep preset=one_pass_ash --grid model.hidden=[[2000],[4000]]"
        " --grid activation_params.ash.z_k=[2.0,2.3] --grid optimizer.lr=[1e-4,1.25e-4]"
        " --select-seeds 0 1 2 --seeds 0 1 2 launcher.jobs=2"
    ),
    values=_ranked(
        [
            (_hzl(4000, "2.3", "0.000125"), 0.712, 0.014, 0.848, 0.170),
            (_hzl(4000, "2.0", "0.0001"), 0.708, 0.011, 0.862, 0.194),
            (_hzl(2000, "2.0", "0.000125"), 0.706, 0.023, 0.828, 0.153),
            (_hzl(4000, "2.3", "0.0001"), 0.702, 0.014, 0.798, 0.120),
            (_hzl(4000, "2.0", "0.000125"), 0.690, 0.016, 0.921, 0.288),
            (_hzl(2000, "2.3", "0.000125"), 0.690, 0.028, 0.761, 0.091),
            (_hzl(2000, "2.0", "0.0001"), 0.689, 0.033, 0.775, 0.107),
            (_hzl(2000, "2.3", "0.0001"), 0.641, 0.024, 0.677, 0.050),
        ]
    ),
    reader="table",
    tolerance=DIGITS_3,
    seconds=860,
    quick=False,
    needs=FASHION,
)

ONE_PASS_ASH = Entry(
    name="one_pass_ash",
    checks="preset one_pass_ash (issue 18: ASH, width 4000, Adagrad 1.25e-4), Split-FashionMNIST",
    source="docs/findings.md#result",
    command=sh("forgetless compare preset=one_pass_ash seeds=[0,1,2] launcher.jobs=2"),
    values=row_values(MEAN_STD, [("ash", "naive", 0.701, 0.002, 0.855, 0.006, 0.193, 0.008)]),
    reader="results",
    tolerance=DIGITS_3,
    seconds=261,
    quick=False,
    needs=FASHION,
)

ONE_PASS_ASH_STREAMING = Entry(
    name="one_pass_ash_streaming",
    checks="one_pass_ash streaming (batch 10, lr 5e-5), Split-FashionMNIST, seeds 0-2",
    source="docs/findings.md#result",
    command=sh(
        "forgetless compare preset=one_pass_ash seeds=[0,1,2] scenario.streaming=true"
        " train.batch_size=10 optimizer.lr=5e-5 launcher.jobs=2"
    ),
    values=row_values(
        ("acc", "acc_std", "la", "forgetting"), [("ash", "naive", 0.684, 0.005, 0.812, 0.161)]
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=758,
    quick=False,
    needs=FASHION,
)

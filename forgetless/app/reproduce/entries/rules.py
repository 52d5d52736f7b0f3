"""The local rules on Fashion-MNIST (docs/rules.md, README)."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import DIGITS_4, FASHION, sh
from forgetless.app.reproduce.entry import Entry, Value, row_values

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


#: (b)'s settings (docs/rules.md): 12 epochs, MLP 784-500-500-500, loeweX aids, hard negatives.
FF_12 = (
    "--epochs 12 --hidden 500 500 500 --ff-recipe loewex --ff-optimizer adam --ff-lr 1e-3"
    " --lr-schedule cosine --ff-negatives hard"
)
GOODNESS_LINEAR = ("acc_goodness", "acc_linear")  # the FF rules' two prediction modes
CHAINS = ("acc_deterministic", "acc_stochastic")  # NoProp's two inference chains


def _modes(rule: str, columns: tuple[str, ...], numbers: tuple[float, ...]) -> tuple[Value, ...]:
    return row_values(columns, [(rule, *numbers)], labels=1)


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
    _rules_iid(
        "rules_iid_collaborative_ff",
        f"python benchmarks/rules.py accuracy --rules collaborative_ff {FF_12}",
        _modes("collaborative_ff", GOODNESS_LINEAR, (0.8572, 0.8506)),
        seconds=12 * 67.2,
    ),
    _rules_iid(
        "rules_iid_collaborative_ff_w05",
        f"python benchmarks/rules.py accuracy --rules collaborative_ff {FF_12} --collaboration 0.5",
        _modes("collaborative_ff", GOODNESS_LINEAR, (0.8792, 0.8754)),
        seconds=12 * 67.2,
    ),
    _rules_iid(
        "rules_iid_forward_forward_seed1",
        f"python benchmarks/rules.py accuracy --rules forward_forward {FF_12} --seed 1",
        _modes("forward_forward", GOODNESS_LINEAR, (0.8737, 0.8737)),
        seconds=12 * 62.0,
    ),
    _rules_iid(
        "rules_iid_collaborative_ff_w05_seed1",
        f"python benchmarks/rules.py accuracy --rules collaborative_ff {FF_12}"
        " --collaboration 0.5 --seed 1",
        _modes("collaborative_ff", GOODNESS_LINEAR, (0.8746, 0.8695)),
        seconds=12 * 67.2,
    ),
    _rules_iid(
        "rules_iid_noprop_ct",
        "python benchmarks/rules.py accuracy --rules noprop_ct --epochs 5 --noprop-hidden 256"
        " --T 20",
        _modes("noprop_ct", CHAINS, (0.6254, 0.4915)),
        seconds=600,
    ),
    _rules_iid(
        "rules_iid_noprop_ct_uniform",
        "python benchmarks/rules.py accuracy --rules noprop_ct --epochs 5 --noprop-hidden 256"
        " --T 20 --ct-weighting uniform",
        _modes("noprop_ct", CHAINS, (0.8463, 0.8296)),
        seconds=600,
    ),
    _rules_iid(
        "rules_iid_noprop_fm",
        "python benchmarks/rules.py accuracy --rules noprop_fm --epochs 3 --noprop-hidden 256"
        " --T 20",
        _modes("noprop_fm", CHAINS, (0.8567, 0.7987)),
        seconds=400,
    ),
    _rules_iid(
        "rules_iid_mlp_two_layers",
        "python benchmarks/rules.py accuracy --rules backprop mono_forward --epochs 20"
        " --hidden 500 500",
        (Value("backprop/acc", 0.8907), Value("mono_forward/acc", 0.8906)),
        seconds=20 * (12.6 + 14.1),
    ),
]

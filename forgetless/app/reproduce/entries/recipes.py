"""docs/recipes.md: each rule with each activation on the default preset, and FF / collaborative
FF with the bounded activations on ``preset=rules_split_mnist`` (the recipes' "after" runs)."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import DIGITS_3, sh
from forgetless.app.reproduce.entry import Entry, Value

NO_REFERENCES = "references.joint=false references.heads=[]"  # as measured: before they existed
ACTIVATIONS = ("relu", "elephant", "hard_ash", "tempered_sigmoid", "aglu")


def _naive_replay(rows: dict[str, tuple[tuple[float, float], ...]]) -> tuple[Value, ...]:
    """``rule -> ((naive LA, replay LA) per activation in ACTIVATIONS order)``."""
    return tuple(
        Value(f"{rule}/{activation}/{strategy}/la", la)
        for rule, pairs in rows.items()
        for activation, pair in zip(ACTIVATIONS, pairs, strict=True)
        for strategy, la in zip(("naive", "replay"), pair, strict=True)
    )


RULES_ACTIVATIONS = Entry(
    name="rules_activations",
    checks="LA of 4 rules x 5 activations x naive / replay, default preset (embedded "
    "Split-MNIST, seed 0)",
    source="docs/recipes.md#forward-forward-with-every-activation",
    command=sh(
        f"forgetless compare rules=[backprop,forward_forward,mono_forward,noprop] {NO_REFERENCES}"
    ),
    values=_naive_replay(
        {
            "backprop": (
                (0.981, 0.956),
                (0.984, 0.978),
                (0.986, 0.971),
                (0.981, 0.954),
                (0.980, 0.954),
            ),
            "forward_forward": (
                (0.978, 0.944),
                (0.966, 0.960),
                (0.973, 0.953),
                (0.984, 0.956),
                (0.979, 0.954),
            ),
            "mono_forward": (
                (0.980, 0.968),
                (0.974, 0.967),
                (0.973, 0.960),
                (0.983, 0.966),
                (0.982, 0.963),
            ),
            "noprop": (
                (0.982, 0.967),
                (0.993, 0.980),
                (0.978, 0.974),
                (0.974, 0.966),
                (0.984, 0.965),
            ),
        }
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=733.5,
    quick=False,
)

RULES_FF_ACTIVATIONS = Entry(
    name="rules_ff_activations",
    checks="LA of FF and collaborative FF with 4 activations at the rules preset's recipe "
    "(two hidden layers), embedded Split-MNIST, seed 0",
    source="docs/recipes.md#forward-forward-with-every-activation",
    command=sh(
        "forgetless compare preset=rules_split_mnist rules=[forward_forward,collaborative_ff]"
        f" activations=[elephant,hard_ash,tempered_sigmoid,aglu] {NO_REFERENCES}"
    ),
    values=tuple(
        Value(f"{rule}/{activation}/naive/la", la)
        for rule, numbers in {
            "forward_forward": (0.938, 0.962, 0.950, 0.970),
            "collaborative_ff": (0.976, 0.973, 0.978, 0.932),
        }.items()
        for activation, la in zip(ACTIVATIONS[1:], numbers, strict=True)
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=245,
    quick=False,
)

RULES_FF_DEFAULT_PRESET = Entry(
    name="rules_ff_default_preset",
    checks="FF and collaborative FF (one hidden layer: the same rule) with 4 activations, "
    "naive, default preset (embedded Split-MNIST, seed 0)",
    source="docs/recipes.md#forward-forward-with-every-activation",
    command=sh(
        "forgetless compare rules=[forward_forward,collaborative_ff]"
        f" activations=[elephant,hard_ash,tempered_sigmoid,aglu] strategies=[naive] {NO_REFERENCES}"
    ),
    values=tuple(
        Value(f"{rule}/{activation}/naive/la", la)
        for rule in ("forward_forward", "collaborative_ff")
        for activation, la in zip(ACTIVATIONS[1:], (0.966, 0.973, 0.984, 0.979), strict=True)
    ),
    reader="results",
    tolerance=DIGITS_3,
    seconds=192,
    quick=False,
)

"""DP-SGD on Split-FashionMNIST (README, docs/privacy.md)."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import DIGITS_4, FASHION, sh
from forgetless.app.reproduce.entry import Entry, Value


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

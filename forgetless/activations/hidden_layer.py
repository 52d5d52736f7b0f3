"""What an activation needs around it to work as the hidden activation of a plain network.

Some methods are more than their function. The elephant's public code (qlan3/Elephant,
``networks/MLP.py``; "Elephant Neural Networks: Born to Be a Continual Learner", Lan & Mahmood,
2023, and its 2025 follow-up) puts a LayerNorm before every elephant: the bump
``1 / (1 + |x/a|^d)`` only separates inputs whose pre-activations spread over about ``±a``. APA
("Adaptive Parametric Activation", Alexandridis et al., ECCV 2024) is a gate with values in
(0, 1): the paper uses it inside AGLU (``z · APA(z)``) or as a gate, and a gate used as the hidden
activation gives every unit a positive mean, the slow case of LeCun et al.'s "Efficient
BackProp" (1998), which recommends outputs centred on 0 (tanh rather than the logistic sigmoid).

Two module options, off in the classes (which keep the papers' definitions) and set by the
registry's defaults (:mod:`forgetless.activations.registry`):

- ``input_norm`` (Elephant, LearnableElephant, ASH, HardASH): the activation is applied to
  :func:`normalize_input` ``(x) = (x − mean(x)) / sqrt(var(x) + 1e-5)`` over each sample's units
  (every dim but the batch dim: a LayerNorm without affine parameters, so nothing to train);
- ``centered`` (APA): the output is ``2 · APA(x) − 1``, in (−1, 1) (``tanh(x / 2)`` at κ = λ = 1).

Measured (embedded Split-MNIST, the MLP 784-256-256-10 of ``examples/lightning_split_mnist.py``,
one epoch per experience, learning accuracy LA = mean_j R[j, j], mean of seeds 0 to 4): the
elephant at a = 1 learns nothing with SGD 0.05 (LA 0.54: most pre-activations sit inside the
bump and every unit outputs about 1); at a = 0.5 it learns with SGD with or without
``input_norm`` (0.96, 0.97), and with Adam 1e-3 kept across experiences ``input_norm`` lifts it
from 0.68 to 0.88 (ReLU 0.64). APA: 0.50 without ``centered``, 0.96 with it, seed 0 (ReLU 0.96).
docs/recipes.md has the commands and the other settings.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def normalize_input(x: torch.Tensor) -> torch.Tensor:
    """Each sample standardised over all its non-batch dims (LayerNorm without affine)."""
    return F.layer_norm(x, x.shape[1:])


def flag(owner: str, name: str, value: object) -> bool:
    """``value`` if it is a bool, else a ValueError naming ``owner`` and ``name``."""
    if not isinstance(value, bool):
        raise ValueError(f"{owner}: {name} must be a bool, got {value!r}")
    return value

"""The rule interface: how a network learns from one batch and how it predicts.

A :class:`Rule` owns its network. ``train_step(x, y, optimizer)`` performs one training
iteration and returns its losses as plain floats; ``logits(x)`` returns class scores ``[N, C]``;
``predict(x)`` the argmax ``[N]``; ``forward`` is ``logits`` so a rule can stand wherever an
``nn.Module`` classifier is expected (an Avalanche strategy's ``model``).

A rule is trained with one ordinary torch optimizer over ``rule.parameters()``
(:func:`forgetless.optim.build_optimizer`). A layer-wise rule calls :meth:`Rule.local_update`
once per layer (per block): clear all gradients, back-propagate that layer's loss, step. Each
layer's input is detached, so only its parameters hold a gradient and only they move; why one
optimizer: docs/rules.md ("One optimizer per rule").
"""

from __future__ import annotations

import abc

import torch
from torch import Tensor, nn


class Rule(nn.Module, abc.ABC):
    """Base class of all training rules (backprop included)."""

    def __init__(self, in_features: int, num_classes: int) -> None:
        super().__init__()
        if not isinstance(in_features, int) or in_features < 1:
            raise ValueError(f"in_features must be a positive int, got {in_features!r}")
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f"num_classes must be an int >= 2, got {num_classes!r}")
        self.in_features = in_features
        self.num_classes = num_classes

    @abc.abstractmethod
    def train_step(
        self, x: Tensor, y: Tensor, optimizer: torch.optim.Optimizer
    ) -> dict[str, float]:
        """Learn from one batch; return the losses of this step by name."""

    @abc.abstractmethod
    def logits(self, x: Tensor) -> Tensor:
        """Class scores ``[N, num_classes]`` for inputs ``x`` (argmax is the prediction)."""

    def forward(self, x: Tensor) -> Tensor:
        return self.logits(x)

    @torch.no_grad()
    def predict(self, x: Tensor) -> Tensor:
        """Predicted class indices ``[N]``."""
        return self.logits(x).argmax(dim=1)

    def flatten_input(self, x: Tensor) -> Tensor:
        """Return ``x`` as ``[N, in_features]``; reject inputs of any other size."""
        if x.dim() < 2 or x[0].numel() != self.in_features:
            raise ValueError(
                f"x: expected shape [N, ...] with {self.in_features} features per sample, "
                f"got {tuple(x.shape)}"
            )
        return x.reshape(x.shape[0], self.in_features)

    def check_targets(self, x: Tensor, y: Tensor) -> Tensor:
        """Return ``y`` as int64 after checking its shape and class range."""
        if y.dim() != 1 or y.shape[0] != x.shape[0]:
            raise ValueError(f"y: expected shape [{x.shape[0]}], got {tuple(y.shape)}")
        if y.numel() and (int(y.min()) < 0 or int(y.max()) >= self.num_classes):
            raise ValueError(f"y: class indices must lie in [0, {self.num_classes}), got {y}")
        return y.long()

    @staticmethod
    def local_update(loss: Tensor, optimizer: torch.optim.Optimizer) -> float:
        """Back-propagate one local ``loss`` and step: clear grads, backward, step.

        Only the parameters reached by ``loss`` receive a gradient, so only they are updated;
        ``backward`` frees the loss's graph before the caller computes the next layer.
        """
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return float(loss.detach())

"""The three Opacus pieces of DP-SGD, made from plain PyTorch objects (used by both doors).

* :func:`attach_per_sample_gradients`: Opacus's ``GradSampleHooks`` on the model itself (no
  wrapper module, so parameter names and the user's reference to the model stay as they are);
  every parameter then gets ``.grad_sample`` (B, *shape) on backward. Layers with a registered
  grad sampler use it (Opacus's own for Linear/Conv/..., ours for APA, AGLU and the learnable
  elephant); any other trainable layer falls back to Opacus's functorch path.
* :func:`dp_optimizer`: Opacus's ``DPOptimizer`` around the user's optimizer: per-example
  clipping to ``max_grad_norm``, Gaussian noise ``σ · max_grad_norm``, division by the expected
  batch size; a step hook feeds the :class:`~forgetless.privacy.ledger.PrivacyLedger`.
* :func:`poisson_loader`: Opacus's ``DPDataLoader``: each example enters each batch
  independently with probability ``q = B / N`` (the sampling the accountant assumes).
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.utils.data import Dataset

from .accounting import poisson_sample_rate
from .model_check import check_private_model


def attach_per_sample_gradients(model: nn.Module) -> Any:
    """Check ``model`` (:func:`check_private_model`) and hook Opacus's per-sample gradients
    onto it; returns the ``GradSampleHooks`` (call ``.cleanup()`` to detach)."""
    from opacus.grad_sample import GradSampleHooks

    check_private_model(model)
    return GradSampleHooks(model, batch_first=True, loss_reduction="mean", strict=True)


def dp_optimizer(
    optimizer: torch.optim.Optimizer,
    *,
    noise_multiplier: float,
    max_grad_norm: float,
    expected_batch_size: int,
) -> Any:
    """Opacus ``DPOptimizer`` around ``optimizer`` (mean-reduced loss)."""
    from opacus.optimizers import DPOptimizer

    if isinstance(optimizer, DPOptimizer):
        raise ValueError("optimizer: already an Opacus DPOptimizer; pass the plain optimizer")
    return DPOptimizer(
        optimizer,
        noise_multiplier=noise_multiplier,
        max_grad_norm=max_grad_norm,
        expected_batch_size=expected_batch_size,
        loss_reduction="mean",
    )


def poisson_loader(
    dataset: Dataset, batch_size: int, generator: torch.Generator | None = None, **kwargs: Any
) -> Any:
    """Opacus ``DPDataLoader`` with sample rate ``min(1, batch_size / len(dataset))``."""
    from opacus.data_loader import DPDataLoader

    q = poisson_sample_rate(batch_size, len(dataset))
    return DPDataLoader(dataset, sample_rate=q, generator=generator, **kwargs)

"""The hidden layers a plasticity monitor reads: every activation module's output on a probe batch.

A hidden layer is a leaf module whose class is an activation (``nn.ReLU``, ``nn.Tanh``, ...,
or one of forgetless's: :func:`~forgetless.activations.swap.targets.is_activation_module`),
named by its qualified name in the model. Its *units* are the last axis of a ``(N, units)``
output and the channel axis (1) of a ``(N, C, *spatial)`` one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import torch
from torch import nn

from forgetless.activations.swap.targets import is_activation_module


def activation_modules(model: nn.Module) -> dict[str, nn.Module]:
    """Qualified name → module of every leaf activation module of ``model``, in model order."""
    return {
        name: module
        for name, module in model.named_modules()
        if name and not any(True for _ in module.children()) and is_activation_module(module)
    }


def unit_view(h: torch.Tensor) -> torch.Tensor:
    """``h`` as ``(N, units, positions)``: ``(N, H)`` gives one position per unit,
    ``(N, C, *spatial)`` has the channels as units and the spatial positions after them.

    Raises:
        ValueError: ``h`` has fewer than two axes (no batch and unit axes).
    """
    if h.dim() < 2:
        raise ValueError(
            f"hidden output of shape {tuple(h.shape)}: expected (N, units) or (N, C, ...)"
        )
    return h.reshape(h.shape[0], h.shape[1], -1)


@contextmanager
def recorded_outputs(modules: dict[str, nn.Module]) -> Iterator[dict[str, torch.Tensor]]:
    """Within the block, each forward of a module of ``modules`` stores its output (detached)
    under the module's name in the yielded dict; the hooks are removed on exit."""
    outputs: dict[str, torch.Tensor] = {}
    handles = []
    for name, module in modules.items():

        def store(_module: nn.Module, _inputs: object, output: torch.Tensor, name=name) -> None:
            outputs[name] = output.detach()

        handles.append(module.register_forward_hook(store))
    try:
        yield outputs
    finally:
        for handle in handles:
            handle.remove()


ProbeForward = Callable[[nn.Module, torch.Tensor], Any]


def call_model(model: nn.Module, probe: torch.Tensor) -> Any:
    """The default probe pass: ``model(probe)``."""
    return model(probe)


@torch.no_grad()
def probe_outputs(
    model: nn.Module, probe: torch.Tensor, forward: ProbeForward = call_model
) -> dict[str, torch.Tensor]:
    """Each activation module's output on ``probe``, the model in eval mode (its mode restored).

    Args:
        model: the network.
        probe: the probe inputs.
        forward: how to run the network on them (a LightningModule without ``forward``:
            e.g. ``lambda module, x: module.encoder(x)``).

    Raises:
        ValueError: ``model`` has no activation module.
    """
    modules = activation_modules(model)
    if not modules:
        raise ValueError(f"{type(model).__name__}: no activation module to monitor")
    was_training = model.training
    model.eval()
    try:
        with recorded_outputs(modules) as outputs:
            forward(model, probe)
    finally:
        model.train(was_training)
    return outputs

"""The hidden units an intervention can replace: ``(incoming Linear, activation, outgoing Linear)``
chains of a network, found in the order its forward pass calls them.

A forward pass (one example batch: :func:`unit_chains`; or any recorded one: :func:`call_order`)
gives the order in which the ``nn.Linear`` and activation modules are called; each activation module called between two linear
layers whose widths match (``incoming.out_features == outgoing.in_features``) is a chain: its
units are ``incoming``'s rows and ``outgoing``'s columns. The output layer is never a chain's
``incoming`` (nothing follows it), so no intervention resets output units.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import torch
from torch import nn

from forgetless.activations.swap.targets import is_activation_module


@dataclass(frozen=True)
class UnitChain:
    """One hidden layer's units: ``name`` (the activation module's qualified name), the layer
    feeding them, the activation, and the layer reading them."""

    name: str
    incoming: nn.Linear
    activation: nn.Module
    outgoing: nn.Linear

    @property
    def width(self) -> int:
        return self.incoming.out_features


def _watched(model: nn.Module) -> list[nn.Module]:
    return [
        m
        for m in model.modules()
        if isinstance(m, nn.Linear) or (is_activation_module(m) and not any(m.children()))
    ]


@contextmanager
def call_order(model: nn.Module) -> Iterator[list[nn.Module]]:
    """Within the block, the yielded list receives the linear and activation modules of ``model``
    in the order they are called (any forward: ``model(x)``, a ``training_step``...)."""
    called: list[nn.Module] = []
    handles = [m.register_forward_hook(lambda m, i, o: called.append(m)) for m in _watched(model)]
    try:
        yield called
    finally:
        for handle in handles:
            handle.remove()


def chains_from_calls(model: nn.Module, called: list[nn.Module]) -> list[UnitChain]:
    """The chains of ``model`` in a recorded call order (:func:`call_order`).

    Raises:
        ValueError: the calls hold no chain (e.g. a convolutional network, or one that calls its
            activations as functions without modules).
    """
    names = {module: name for name, module in model.named_modules()}
    chains = []
    for before, act, after in zip(called, called[1:], called[2:], strict=False):
        if (
            isinstance(before, nn.Linear)
            and isinstance(after, nn.Linear)
            and not isinstance(act, nn.Linear)
            and before.out_features == after.in_features
        ):
            chains.append(UnitChain(names[act], before, act, after))
    if not chains:
        raise ValueError(
            f"{type(model).__name__}: no (Linear, activation, Linear) chain of hidden units "
            "(interventions support MLP-style hidden layers held as modules)"
        )
    return chains


@torch.no_grad()
def unit_chains(model: nn.Module, example: torch.Tensor) -> list[UnitChain]:
    """The chains of ``model`` from one forward of ``example`` (eval mode, no gradient; the
    mode restored).

    Raises:
        ValueError: ``model`` has no chain (:func:`chains_from_calls`).
    """
    was_training = model.training
    model.eval()
    try:
        with call_order(model) as called:
            model(example)
    finally:
        model.train(was_training)
    return chains_from_calls(model, called)

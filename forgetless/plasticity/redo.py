"""ReDo ("The Dormant Neuron Phenomenon in Deep Reinforcement Learning", Sokar et al., ICML 2023):
every ``every`` optimizer steps, reset the τ-dormant hidden units (ReDo score at most τ,
:func:`~.dormant.dormant_scores`, on the last training batch): incoming weights re-initialised,
outgoing weights 0, the optimizer's moments of those weights zeroed (:func:`~.reset.reset_units`).
Output units are never reset. Defaults: τ = 0.025 (the PyTorch reimplementation; the paper's code
uses 0 for ReLU units), every 1,000 steps (the paper's reset period)."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.optim import Optimizer

from forgetless.checks import positive_int
from forgetless.plasticity.chains import UnitChain, unit_chains
from forgetless.plasticity.dormant import dormant_scores
from forgetless.plasticity.reset import reset_units


class ReDo:
    """Recycle the dormant units of a model (:meth:`attach`) every ``every`` steps.

    Args:
        tau: the dormancy threshold τ ≥ 0.
        every: steps between two resets.
        seed: seeds the fresh incoming weights.

    :meth:`attach` it, then call :meth:`step` after every optimizer step; ``reset`` counts the
    units reset per chain.

    Raises:
        ValueError: ``tau`` < 0 or ``every`` not a positive int.
    """

    def __init__(
        self,
        *,
        tau: float = 0.025,
        every: int = 1000,
        seed: int = 0,
    ) -> None:
        if isinstance(tau, bool) or not isinstance(tau, int | float) or not tau >= 0:
            raise ValueError(f"redo: tau must be a number >= 0, got {tau!r}")
        self.tau = float(tau)
        self.every = positive_int("redo", "every", every)
        self.generator = torch.Generator().manual_seed(seed)
        self.chains: list[UnitChain] = []
        self.reset: dict[str, int] = {}
        self.steps = 0
        self._batches: dict[str, torch.Tensor] = {}
        self._handles: list[Any] = []

    def attach(self, model: nn.Module, example: torch.Tensor) -> ReDo:
        """Find the hidden layers of ``model`` with one ``example`` batch and watch them.

        Raises:
            ValueError: ``model`` has no chain (:func:`~.chains.unit_chains`).
        """
        return self.attach_chains(unit_chains(model, example))

    def attach_chains(self, chains: list[UnitChain]) -> ReDo:
        """Watch the hidden layers ``chains`` (:func:`~.chains.chains_from_calls`)."""
        self.remove()
        self.chains = list(chains)
        self.reset = {chain.name: 0 for chain in self.chains}
        self._handles = [
            chain.activation.register_forward_hook(self._recorder(chain.name))
            for chain in self.chains
        ]
        return self

    def _recorder(self, name: str):
        def record(module: nn.Module, inputs: object, output: torch.Tensor) -> None:
            if torch.is_grad_enabled() and module.training:
                self._batches[name] = output.detach()

        return record

    @torch.no_grad()
    def step(self, optimizer: Optimizer | None = None) -> None:
        """Count a step; on every ``every``-th, reset the τ-dormant units of each chain."""
        self.steps += 1
        if self.steps % self.every:
            return
        for chain in self.chains:
            batch = self._batches.pop(chain.name, None)
            if batch is None:
                continue
            units = torch.nonzero(dormant_scores(batch) <= self.tau).flatten()
            reset_units(chain, units, optimizer, self.generator)
            self.reset[chain.name] += len(units)

    def remove(self) -> None:
        """Detach the forward hooks."""
        for handle in self._handles:
            handle.remove()
        self._handles = []

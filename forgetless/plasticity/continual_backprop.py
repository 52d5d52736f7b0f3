"""Continual backprop ("Loss of plasticity in deep continual learning", Dohare et al., Nature
2024): keep replacing the least useful mature hidden units with fresh ones.

Per hidden unit ``i`` of each chain (:mod:`.chains`), after every optimizer step, from the
training batch's outputs ``h`` (recorded by a forward hook):

- ``age_i += 1``; running mean ``f_i ← η f_i + (1 − η) mean_batch h_i``;
- contribution utility ``u_i ← η u_i + (1 − η) mean_batch |h_i| · mean_k |w_out,ki|``;
- bias-corrected ``û_i = u_i / (1 − η^age_i)``, ``f̂_i = f_i / (1 − η^age_i)``;
- units with ``age > m`` are eligible; ``ρ × (number eligible)`` is added to a running count and
  its integer part is replaced: the eligible units of lowest ``û``. A replaced unit gets fresh
  incoming weights, bias 0 and outgoing weights 0 (:func:`~.reset.reset_units`), the next layer's
  bias gains ``w_out,·i f̂_i`` (so the next layer's output is unchanged where ``h_i = f̂_i``), and
  its utility, mean and age restart at 0.
- with ``per_entry_steps`` (the paper's ``AdamGnT``) a replaced entry's Adam bias correction
  restarts with its zeroed moments (:mod:`.adam_steps`); torch's Adam counts steps per tensor.

Defaults are the paper's Permuted-MNIST configuration: η 0.99, ρ 1e-4, m 100.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.optim import Optimizer

from forgetless.checks import positive_int
from forgetless.plasticity.adam_steps import AdamEntrySteps
from forgetless.plasticity.chains import UnitChain, unit_chains
from forgetless.plasticity.reset import reset_units


def _rate(name: str, value: float, *, open_high: bool) -> float:
    value = float(value)
    if not (0.0 <= value < 1.0 if open_high else 0.0 <= value <= 1.0):
        raise ValueError(f"continual_backprop: {name} must be in [0, 1), got {value!r}")
    return value


class _UnitState:
    def __init__(self, chain: UnitChain) -> None:
        device = chain.incoming.weight.device
        self.utility = torch.zeros(chain.width, dtype=torch.float64, device=device)
        self.mean = torch.zeros(chain.width, dtype=torch.float64, device=device)
        self.age = torch.zeros(chain.width, dtype=torch.long, device=device)
        self.pending = 0.0
        self.batch: torch.Tensor | None = None


class ContinualBackprop:
    """Continual backprop on the hidden layers of a model (:meth:`attach`).

    Args:
        replacement_rate: ρ, the fraction of eligible units replaced per step.
        decay: η, the decay of the running utility and mean.
        maturity: m, the age (steps) a unit needs before it can be replaced.
        seed: seeds the fresh incoming weights.
        per_entry_steps: with Adam / AdamW, bias-correct a replaced entry by its own step count
            (the paper's ``AdamGnT``), not the tensor's.

    :meth:`attach` it to a model, then call :meth:`step` after every optimizer step (the doors
    do); ``replaced`` counts the units replaced so far per chain. :meth:`remove` detaches it.

    Raises:
        ValueError: a rate outside its range or ``maturity`` not a positive int.
    """

    def __init__(
        self,
        *,
        replacement_rate: float = 1e-4,
        decay: float = 0.99,
        maturity: int = 100,
        seed: int = 0,
        per_entry_steps: bool = True,
    ) -> None:
        self.replacement_rate = _rate("replacement_rate", replacement_rate, open_high=False)
        self.decay = _rate("decay", decay, open_high=True)
        self.maturity = positive_int("continual_backprop", "maturity", maturity)
        self.generator = torch.Generator().manual_seed(seed)
        self.entry_steps = AdamEntrySteps() if per_entry_steps else None
        self.chains: list[UnitChain] = []
        self.states: list[_UnitState] = []
        self.replaced: dict[str, int] = {}
        self._handles: list[Any] = []

    def attach(self, model: nn.Module, example: torch.Tensor) -> ContinualBackprop:
        """Find the hidden layers of ``model`` with one ``example`` batch and watch them.

        Raises:
            ValueError: ``model`` has no chain (:func:`~.chains.unit_chains`).
        """
        return self.attach_chains(unit_chains(model, example))

    def attach_chains(self, chains: list[UnitChain]) -> ContinualBackprop:
        """Watch the hidden layers ``chains`` (:func:`~.chains.chains_from_calls`)."""
        self.remove()
        self.chains = list(chains)
        self.states = [_UnitState(chain) for chain in self.chains]
        self.replaced = {chain.name: 0 for chain in self.chains}
        self._handles = [
            chain.activation.register_forward_hook(self._recorder(state))
            for chain, state in zip(self.chains, self.states, strict=True)
        ]
        return self

    @staticmethod
    def _recorder(state: _UnitState):
        def record(module: nn.Module, inputs: object, output: torch.Tensor) -> None:
            if torch.is_grad_enabled() and module.training:  # training batches only
                state.batch = output.detach()

        return record

    @torch.no_grad()
    def step(self, optimizer: Optimizer | None = None) -> None:
        """Update every unit's statistics from the last training batch and replace units."""
        if self.entry_steps is not None:
            self.entry_steps.correct(optimizer)
        for chain, state in zip(self.chains, self.states, strict=True):
            if state.batch is None:
                continue
            h = state.batch.reshape(state.batch.shape[0], -1).to(torch.float64)
            state.batch = None
            self._update(chain, state, h)
            self._replace(chain, state, optimizer)

    def _update(self, chain: UnitChain, state: _UnitState, h: torch.Tensor) -> None:
        eta = self.decay
        out_magnitude = chain.outgoing.weight.detach().abs().to(torch.float64).mean(dim=0)
        state.age += 1
        state.mean.mul_(eta).add_((1 - eta) * h.mean(dim=0))
        state.utility.mul_(eta).add_((1 - eta) * h.abs().mean(dim=0) * out_magnitude)

    def _replace(self, chain: UnitChain, state: _UnitState, optimizer: Optimizer | None) -> None:
        eligible = torch.nonzero(state.age > self.maturity).flatten()
        state.pending += self.replacement_rate * len(eligible)
        count = int(state.pending)
        if count == 0:
            return
        state.pending -= count
        correction = 1.0 - self.decay ** state.age[eligible].to(torch.float64)
        corrected = state.utility[eligible] / correction
        units = eligible[torch.argsort(corrected, stable=True)[:count]]
        mean = state.mean[units] / (1.0 - self.decay ** state.age[units].to(torch.float64))
        if chain.outgoing.bias is not None:
            w_out = chain.outgoing.weight[:, units].to(torch.float64)
            shift = (w_out * mean).sum(dim=1)
            chain.outgoing.bias.add_(shift.to(chain.outgoing.bias.dtype))
        reset_units(chain, units, optimizer, self.generator, self.entry_steps)
        state.utility[units] = 0.0
        state.mean[units] = 0.0
        state.age[units] = 0
        self.replaced[chain.name] += count

    def remove(self) -> None:
        """Detach the forward hooks."""
        for handle in self._handles:
            handle.remove()
        self._handles = []

"""The ε spent so far: an Opacus accountant fed by the DP optimizer, one step at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .accounting import epsilon_of
from .settings import PrivacySettings


class PrivacyLedger:
    """Records every DP-SGD step of a run (over all experiences) in an Opacus accountant.

    ``hook(sample_rate)`` gives the function to attach to an Opacus ``DPOptimizer`` (via
    ``attach_step_hook``); each optimizer step then adds ``(σ, q)`` to the accountant's history.
    :meth:`epsilon` is the accountant's ε at the settings' δ for all steps so far.
    """

    def __init__(self, settings: PrivacySettings, noise_multiplier: float) -> None:
        from opacus.accountants import create_accountant

        self.settings = settings
        self.noise_multiplier = float(noise_multiplier)
        self.accountant = create_accountant(mechanism=settings.accountant)

    def hook(self, sample_rate: float) -> Callable[[Any], None]:
        """A ``DPOptimizer`` step hook that records one step at ``sample_rate``."""
        return self.accountant.get_optimizer_hook_fn(sample_rate=sample_rate)

    @property
    def history(self) -> list[tuple[float, float, int]]:
        """Opacus's ``(noise_multiplier, sample_rate, steps)`` entries, in order."""
        return [tuple(entry) for entry in self.accountant.history]

    @property
    def steps(self) -> int:
        """DP-SGD steps recorded so far."""
        return sum(int(entry[2]) for entry in self.accountant.history)

    def epsilon(self) -> float:
        """ε spent so far at ``settings.delta`` (0 before the first step)."""
        return epsilon_of(self.history, self.settings.delta, self.settings.accountant)

    def report(self) -> dict[str, Any]:
        """What a results file should say about privacy (plain JSON types)."""
        return {
            "epsilon": self.epsilon(),
            "delta": self.settings.delta,
            "target_epsilon": self.settings.target_epsilon,
            "noise_multiplier": self.noise_multiplier,
            "max_grad_norm": self.settings.max_grad_norm,
            "accountant": self.settings.accountant,
            "steps": self.steps,
            "scope": "whole stream: all DP-SGD steps of all experiences, composed sequentially",
        }

    def state_dict(self) -> dict[str, Any]:
        return {"history": self.history, "noise_multiplier": self.noise_multiplier}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.accountant.history = [tuple(entry) for entry in state["history"]]
        self.noise_multiplier = float(state["noise_multiplier"])

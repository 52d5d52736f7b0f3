"""Swap a LightningModule's activations from a Lightning callback: ``ActivationSwap``.

``Trainer(callbacks=[ActivationSwap("elephant", a=0.08, d=4)])`` replaces every ``nn.ReLU``
module of the LightningModule with a new activation from the forgetless registry (see
:func:`forgetless.activations.swap_activations`), so the model's code stays unchanged.

Decisions:

- **When.** The swap happens in ``setup``. Lightning runs the callbacks' ``setup`` before it
  calls ``configure_optimizers`` (in ``strategy.setup``), so learnable activation parameters
  (APA/AGLU's κ and λ, learnable elephant's σ and h) exist when the optimizer is built and are
  trained. It is also before DDP wraps the module, so DDP sees the final set of parameters.
- **Validation.** An unknown name, a bad parameter, a model with nothing to replace or a model
  that calls the activation functionally (``F.relu``) raises ``ValueError`` in ``setup``, before
  any batch is seen.
- **Resume.** Lightning restores a checkpoint in this order: callbacks' ``setup`` → the model's
  weights → the callbacks' ``load_state_dict``. The callback built with the same arguments
  therefore swaps again *before* the weights are loaded (so the learnable activations' weights
  find their parameters); its ``load_state_dict`` then checks that the checkpoint was made by
  the same swap (name, parameters, replaced modules) and raises ``ValueError`` naming what
  differs otherwise. For a bare ``Model.load_from_checkpoint`` outside a Trainer, call
  :meth:`ActivationSwap.apply_from_checkpoint` on the freshly built model first.
- **Several fits.** The callback swaps a given model once; further ``setup`` calls for the same
  model (``validate``, ``test``, another ``fit``) are no-ops.
- Only registry names (strings) and plain parameter values (numbers, strings, booleans, None)
  are accepted, so the callback state loads with ``torch.load(weights_only=True)``.
"""

from __future__ import annotations

import weakref
from typing import Any

import pytorch_lightning as pl
import torch
from torch import nn

from forgetless.activations import get_activation, swap_activations

_PLAIN = (int, float, str, bool, type(None))


class ActivationSwap(pl.Callback):
    """Replace the module's ``target`` activations (``nn.ReLU``) with registry activation ``name``.

    Args:
        name: a registry name (``"elephant"``, ``"hard_ash"``, ``"aglu"``, ...).
        target: the activation classes to replace (default ``(nn.ReLU,)``).
        **params: parameters of the new activation (e.g. ``a=0.08, d=4``).
    """

    def __init__(
        self, name: str, *, target: tuple[type[nn.Module], ...] = (nn.ReLU,), **params: Any
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"ActivationSwap: name must be a registry name (str), got {name!r}")
        for key, value in params.items():
            if not isinstance(value, _PLAIN):
                raise ValueError(
                    f"ActivationSwap: parameter {key!r} must be a number, string, bool or None "
                    f"(checkpointable), got {type(value).__name__}"
                )
        get_activation(name, **params)  # an unknown name or parameter fails here, at once
        self.name = name
        self.target = tuple(target) if isinstance(target, tuple | list) else (target,)
        self.params = dict(params)
        self.swapped: list[str] = []
        self._done: weakref.WeakSet[nn.Module] = weakref.WeakSet()

    @property
    def state_key(self) -> str:
        return f"ActivationSwap[{self.name}]"

    def setup(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        if pl_module in self._done:
            return
        self.swapped = swap_activations(pl_module, self.name, target=self.target, **self.params)
        self._done.add(pl_module)

    def _record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "params": dict(self.params),
            "target": [cls.__qualname__ for cls in self.target],
            "swapped": list(self.swapped),
        }

    def state_dict(self) -> dict[str, Any]:
        return self._record()

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Check that the checkpoint was made by the same swap as this run's."""
        mine = self._record()
        for key in ("name", "params", "target", "swapped"):
            if key not in state_dict:
                raise ValueError(f"ActivationSwap: checkpoint state has no {key!r} entry")
            theirs = state_dict[key]
            if key == "swapped" and not self.swapped:
                continue  # loaded before any setup (e.g. a bare load): nothing to compare yet
            if theirs != mine[key]:
                raise ValueError(
                    f"ActivationSwap: checkpoint {key} is {theirs!r}, this run's is "
                    f"{mine[key]!r}; build the callback with the checkpoint's arguments"
                )

    @classmethod
    def apply_from_checkpoint(cls, model: nn.Module, checkpoint: str | dict) -> list[str]:
        """Redo a checkpoint's recorded swap on a freshly built ``model`` (before loading
        its weights); return the replaced module names. ``checkpoint`` is a path or a loaded
        checkpoint dict."""
        if not isinstance(checkpoint, dict):
            checkpoint = torch.load(checkpoint, map_location="cpu", weights_only=True)
        states = [
            state
            for key, state in checkpoint.get("callbacks", {}).items()
            if key.startswith("ActivationSwap[")
        ]
        if len(states) != 1:
            raise ValueError(
                f"ActivationSwap.apply_from_checkpoint: expected one ActivationSwap state in the "
                f"checkpoint, found {len(states)}"
            )
        state = states[0]
        targets = tuple(
            getattr(nn, name)
            for name in state["target"]
            if isinstance(getattr(nn, name, None), type)
        )
        if len(targets) != len(state["target"]):
            raise ValueError(
                f"ActivationSwap.apply_from_checkpoint: target classes {state['target']} are not "
                "all torch.nn classes; rebuild the callback by hand and call swap_activations"
            )
        swapped = swap_activations(model, state["name"], target=targets, **state["params"])
        if swapped != state["swapped"]:
            raise ValueError(
                f"ActivationSwap.apply_from_checkpoint: replaced {swapped}, the checkpoint "
                f"recorded {state['swapped']}"
            )
        return swapped

"""Swap a LightningModule's activations from a Lightning callback: ``ActivationSwap``.

``Trainer(callbacks=[ActivationSwap("elephant", a=0.08, d=4)])`` replaces every ``nn.ReLU``
module of the LightningModule, and every ``F.relu(x)`` / ``torch.relu(x)`` / ``x.relu()`` its
code calls, with a new activation from the forgetless registry (see
:func:`forgetless.activations.swap_activations`), so the model's code stays unchanged.

Decisions:

- **When.** The swap happens in ``setup``. Lightning runs the callbacks' ``setup`` before it
  calls ``configure_optimizers`` (in ``strategy.setup``), so learnable activation parameters
  (APA/AGLU's κ and λ, learnable elephant's σ and h) exist when the optimizer is built and are
  trained. It is also before DDP wraps the module, so DDP sees the final set of parameters.
- **The checked forward.** The swap runs one example through the module (train and eval mode,
  no gradients, no trace left): ``example_input=`` if given, else the module's
  ``example_input_array``, else the first batch of the stage's dataloader (a tensor, or the first
  element of a tuple/list batch). It creates the modules of functional call sites (so AGLU's
  parameters at ``torch.relu`` in Lightning's ``DemoModel`` are optimised) and proves what runs:
  held modules never called are reported as unused, and a swap of which nothing runs is refused.
  The report (:class:`~forgetless.activations.SwapReport`) is logged once and kept as
  ``self.report``. Without any example the swap is unchecked (see ``swap_activations``).
- **Validation.** An unknown name, a bad parameter, a model with nothing to replace, or a swap of
  which nothing runs raises ``ValueError`` in ``setup``, before any batch is trained.
  ``functional=False`` keeps the module-only swap (and refuses a model that calls ``F.relu``).
- **Resume.** Lightning restores a checkpoint in this order: callbacks' ``setup`` → the model's
  weights → the callbacks' ``load_state_dict``. The callback built with the same arguments
  therefore swaps again *before* the weights are loaded (so the learnable activations' weights
  find their parameters; call sites the checked forward does not reach are created from the
  checkpoint's keys); its ``load_state_dict`` then checks that the checkpoint was made by the
  same swap (name, parameters, targets, replaced modules, call sites) and raises ``ValueError``
  naming what differs otherwise. For a bare ``Model.load_from_checkpoint`` outside a Trainer,
  call :meth:`ActivationSwap.apply_from_checkpoint` on the freshly built model first.
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
from pytorch_lightning.utilities import rank_zero_info
from torch import nn

from forgetless.activations import SwapReport, get_activation, swap_activations
from forgetless.activations.functional_swap import (
    split_targets,
    target_names,
    targets_from_names,
)

_PLAIN = (int, float, str, bool, type(None))
_STATE_KEYS = ("name", "params", "target", "swapped")


def _batch_input(batch: Any) -> Any:
    """The model input in a batch: the batch itself (a tensor) or its first element."""
    if isinstance(batch, torch.Tensor):
        return batch
    if isinstance(batch, tuple | list) and batch and isinstance(batch[0], torch.Tensor):
        return batch[0]
    return None


def _first_batch_input(trainer: pl.Trainer, stage: str) -> Any:
    """The input of the stage's first batch, drawn without touching the global RNG state."""
    loop = {
        "fit": "fit_loop",
        "validate": "validate_loop",
        "test": "test_loop",
        "predict": "predict_loop",
    }.get(stage)
    source = getattr(getattr(trainer, loop, None), "_data_source", None) if loop else None
    if source is None or not source.is_defined():
        return None
    with torch.random.fork_rng(devices=[]):
        loader = source.dataloader()
        if isinstance(loader, list | tuple) and loader:
            loader = loader[0]
        try:
            return _batch_input(next(iter(loader)))
        except (TypeError, StopIteration):
            return None


class ActivationSwap(pl.Callback):
    """Replace the module's ``target`` activations (``nn.ReLU``) with registry activation ``name``.

    Args:
        name: a registry name (``"elephant"``, ``"hard_ash"``, ``"aglu"``, ...).
        target: the activations to replace: classes and/or torch functions (default
            ``(nn.ReLU,)``, which covers ``F.relu``, ``torch.relu``, ``x.relu()`` calls too).
        functional: also swap the activations the module calls as functions (default True).
        example_input: the input of the checked forward (default: the module's
            ``example_input_array``, else the first batch of the stage's dataloader).
        **params: parameters of the new activation (e.g. ``a=0.08, d=4``).
    """

    def __init__(
        self,
        name: str,
        *,
        target: Any = (nn.ReLU,),
        functional: bool = True,
        example_input: Any = None,
        **params: Any,
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"ActivationSwap: name must be a registry name (str), got {name!r}")
        for key, value in params.items():
            if not isinstance(value, _PLAIN):
                raise ValueError(
                    f"ActivationSwap: parameter {key!r} must be a number, string, bool or None "
                    f"(checkpointable), got {type(value).__name__}"
                )
        if not isinstance(functional, bool):
            raise ValueError(
                f"ActivationSwap: functional must be True or False, got {functional!r}"
            )
        get_activation(name, **params)  # an unknown name or parameter fails here, at once
        split_targets(target, "ActivationSwap")
        self.name = name
        self.target = tuple(target) if isinstance(target, tuple | list) else (target,)
        self.functional = functional
        self.example_input = example_input
        self.params = dict(params)
        self.swapped: list[str] = []
        self.report: SwapReport | None = None
        self._done: weakref.WeakSet[nn.Module] = weakref.WeakSet()

    @property
    def state_key(self) -> str:
        return f"ActivationSwap[{self.name}]"

    def _example(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> Any:
        if self.example_input is not None:
            return self.example_input
        if getattr(pl_module, "example_input_array", None) is not None:
            return pl_module.example_input_array
        return _first_batch_input(trainer, stage)

    def setup(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        if pl_module in self._done:
            return
        self.report = swap_activations(
            pl_module,
            self.name,
            target=self.target,
            functional=self.functional,
            example_input=self._example(trainer, pl_module, stage),
            **self.params,
        )
        self.swapped = list(self.report.modules)
        rank_zero_info(str(self.report))
        self._done.add(pl_module)

    def _record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "params": dict(self.params),
            "target": target_names(self.target),
            "swapped": list(self.swapped),
            "functional": self.functional,
            "calls": list(self.report.call_keys) if self.report is not None else [],
        }

    def state_dict(self) -> dict[str, Any]:
        return self._record()

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Check that the checkpoint was made by the same swap as this run's."""
        mine = self._record()
        checked = self.report is not None and self.report.checked
        for key in (*_STATE_KEYS, "functional", "calls"):
            if key not in state_dict:
                if key in _STATE_KEYS:
                    raise ValueError(f"ActivationSwap: checkpoint state has no {key!r} entry")
                continue  # written before call sites were swapped
            theirs = state_dict[key]
            if key == "swapped" and self.report is None:
                continue  # loaded before any setup (e.g. a bare load): nothing to compare yet
            if key == "calls" and not checked:
                continue  # no checked forward here: call sites are only known as met
            if theirs != mine[key]:
                raise ValueError(
                    f"ActivationSwap: checkpoint {key} is {theirs!r}, this run's is "
                    f"{mine[key]!r}; build the callback with the checkpoint's arguments"
                )

    @classmethod
    def apply_from_checkpoint(
        cls, model: nn.Module, checkpoint: str | dict, example_input: Any = None
    ) -> list[str]:
        """Redo a checkpoint's recorded swap on a freshly built ``model`` (before loading
        its weights, which creates the call sites' modules); return the replaced module names.
        ``checkpoint`` is a path or a loaded checkpoint dict; ``example_input`` (optional) runs
        the checked forward."""
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
        targets = targets_from_names(state["target"], "ActivationSwap.apply_from_checkpoint")
        report = swap_activations(
            model,
            state["name"],
            target=targets,
            functional=state.get("functional", True),
            example_input=example_input,
            **state["params"],
        )
        if report.modules != state["swapped"]:
            raise ValueError(
                f"ActivationSwap.apply_from_checkpoint: replaced {report.modules}, the "
                f"checkpoint recorded {state['swapped']}"
            )
        return report.modules

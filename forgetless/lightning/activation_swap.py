"""Swap a LightningModule's activations from a Lightning callback: ``ActivationSwap``.

``Trainer(callbacks=[ActivationSwap("elephant", a=0.08, d=4)])`` replaces every ``nn.ReLU``
module of the LightningModule, and every ``F.relu(x)`` / ``torch.relu(x)`` / ``x.relu()`` its
code calls, with a new activation from the forgetless registry (see
:func:`forgetless.activations.swap_activations`), so the model's code stays unchanged. When it
swaps (``setup``, before the optimizer and DDP), which example it checks, and how a resume
re-swaps: docs/swap.md ("The Lightning callback").
"""

from __future__ import annotations

import weakref
from typing import Any

import pytorch_lightning as pl
import torch
from pytorch_lightning.utilities import rank_zero_info
from torch import nn

from forgetless.activations import get_activation
from forgetless.activations.swap import (
    SwapReport,
    split_targets,
    swap_activations,
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

    The swap happens once per module, in ``setup``; its report is logged once and kept as
    ``self.report``, the replaced module paths as ``self.swapped``. The callback state (name,
    parameters, targets, replaced modules, call sites) is checked against a checkpoint's.

    Args:
        name: a registry name (``"elephant"``, ``"hard_ash"``, ``"aglu"``, ...).
        target: the activations to replace: classes and/or torch functions (default
            ``(nn.ReLU,)``, which covers ``F.relu``, ``torch.relu``, ``x.relu()`` calls too).
        functional: also swap the activations the module calls as functions (default True).
        example_input: the input of the checked forward (default: the module's
            ``example_input_array``, else the first batch of the stage's dataloader).
        **params: parameters of the new activation (e.g. ``a=0.08, d=4``): numbers, strings,
            booleans or None, so that the state loads with ``torch.load(weights_only=True)``.

    Raises:
        ValueError: a bad name, parameter, target or ``functional`` (when built); in ``setup``,
            whatever :func:`~forgetless.activations.swap_activations` refuses; in
            ``load_state_dict``, a checkpoint made by another swap.
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
        rank_zero_info(self.report.summary())
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
        """Redo a checkpoint's recorded swap on a freshly built ``model``, before its weights load
        (loading creates the call sites' modules).

        Args:
            model: the fresh model.
            checkpoint: a path or a loaded checkpoint dict.
            example_input: runs the checked forward (optional).

        Returns:
            The replaced module paths.

        Raises:
            ValueError: the checkpoint holds no single ActivationSwap state, or the swap
                replaced other modules than it records.
        """
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
        replaced = list(report.modules)
        if replaced != state["swapped"]:
            raise ValueError(
                f"ActivationSwap.apply_from_checkpoint: replaced {replaced}, the "
                f"checkpoint recorded {state['swapped']}"
            )
        return replaced

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
from dataclasses import replace
from functools import partial
from typing import Any

import pytorch_lightning as pl
import torch
from pytorch_lightning.utilities import rank_zero_info
from torch import nn

from forgetless.activations import get_activation
from forgetless.activations.swap import (
    CALL_SITES_ATTRIBUTE,
    SwapReport,
    split_targets,
    swap_activations,
    target_names,
    targets_from_names,
)
from forgetless.lightning.checked_step import STEPS, checked_step

_PLAIN = (int, float, str, bool, type(None))
_STATE_KEYS = ("name", "params", "target", "swapped")


def _batch_input(batch: Any) -> Any:
    """The model input in a batch: the batch itself (a tensor) or its first element."""
    if isinstance(batch, torch.Tensor):
        return batch
    if isinstance(batch, tuple | list) and batch and isinstance(batch[0], torch.Tensor):
        return batch[0]
    return None


def _first_batch(trainer: pl.Trainer, stage: str) -> Any:
    """The stage's first batch, drawn without touching the global RNG state (None: no data)."""
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
            return next(iter(loader))
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
        self._loading = "checkpoint"  # the file being loaded, for messages
        self._scoped = False  # the module's steps call targets outside any forward
        self._open = 0

    @property
    def state_key(self) -> str:
        # One key whatever the activation: a checkpoint of another swap meets load_state_dict's
        # check instead of being skipped as "some other callback's state".
        return "ActivationSwap"

    def identity(self) -> dict[str, Any]:
        """What a checkpoint of this swap must match (known before ``setup``)."""
        record = self._record()
        return {key: record[key] for key in ("name", "params", "target", "functional")}

    def on_load_checkpoint(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, checkpoint: dict[str, Any]
    ) -> None:
        self._loading = trainer.ckpt_path or "checkpoint"
        if self.state_key not in checkpoint.get("callbacks", {}):
            raise ValueError(
                f"{self._loading}: made without ActivationSwap, this run swaps to {self.name!r}; "
                "resume it without ActivationSwap or use another checkpoint"
            )

    def _given_example(self, pl_module: pl.LightningModule) -> Any:
        if self.example_input is not None:
            return self.example_input
        return getattr(pl_module, "example_input_array", None)

    def setup(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        if pl_module in self._done:
            return
        given = self._given_example(pl_module)
        batch = _first_batch(trainer, stage) if given is None else None
        swap = partial(
            swap_activations,
            pl_module,
            self.name,
            target=self.target,
            functional=self.functional,
            **self.params,
        )
        try:
            report = swap(example_input=given if given is not None else _batch_input(batch))
        except RuntimeError:
            if given is not None or batch is None:
                raise
            report = swap(example_input=None)  # forward takes more than the batch's input
        if batch is not None:
            report = self._check_step(pl_module, stage, batch, report)
        self.report = report
        self.swapped = list(report.modules)
        rank_zero_info(report.summary())
        self._done.add(pl_module)

    def _check_step(
        self, pl_module: pl.LightningModule, stage: str, batch: Any, report: SwapReport
    ) -> SwapReport:
        """Run the module's step on ``batch`` (:func:`checked_step`); the report it gives."""
        calls = pl_module._modules.get(CALL_SITES_ATTRIBUTE)  # an empty ModuleDict is falsy
        if calls is None or not report.functional:
            return report
        held = {path: pl_module.get_submodule(path) for path in report.modules}
        calls.discovering = True
        first_forward_check, calls.nothing_swapped = calls.nothing_swapped, None
        try:
            counts, self._scoped = checked_step(pl_module, stage, batch, calls, held)
        except RuntimeError as error:
            calls.nothing_swapped = first_forward_check
            if report.checked:
                return report
            reason = f"{report.unchecked_reason}; {error}"
            return replace(report, unchecked_reason=reason)
        finally:
            calls.discovering = False
        ran = set(report.modules) - set(report.unused) if report.checked else set()
        unused = tuple(path for path in report.modules if path not in ran and not counts[path])
        found = calls.found_sites()
        if not found and len(unused) == len(report.modules):
            raise ValueError(
                f"ActivationSwap: nothing swapped runs in {type(pl_module).__name__}."
                f"{STEPS.get(stage, 'training_step')} on the first batch (no held module and no "
                f"call of {target_names(self.target)}); pass target=(...) with the activations "
                "the model uses"
            )
        return SwapReport(
            report.activation, report.modules, unused, found, checked=True, functional=True
        )

    def _scope(self, pl_module: pl.LightningModule, enter: bool) -> None:
        """Route a step's own calls (outside any forward) to their call sites."""
        if not self._scoped:
            return
        calls = pl_module._modules.get(CALL_SITES_ATTRIBUTE)
        if calls is None:
            return
        if enter:
            calls.enter_step(pl_module)
            self._open += 1
        elif self._open:
            calls.leave_step(pl_module)
            self._open -= 1

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx) -> None:
        self._scope(pl_module, True)

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        self._scope(pl_module, False)

    def on_validation_batch_start(self, trainer, pl_module, batch, batch_idx, dataloader_idx=0):
        self._scope(pl_module, True)

    def on_validation_batch_end(
        self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0
    ) -> None:
        self._scope(pl_module, False)

    def on_test_batch_start(self, trainer, pl_module, batch, batch_idx, dataloader_idx=0):
        self._scope(pl_module, True)

    def on_test_batch_end(
        self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0
    ) -> None:
        self._scope(pl_module, False)

    def on_predict_batch_start(self, trainer, pl_module, batch, batch_idx, dataloader_idx=0):
        self._scope(pl_module, True)

    def on_predict_batch_end(
        self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0
    ) -> None:
        self._scope(pl_module, False)

    def on_exception(self, trainer, pl_module, exception) -> None:
        while self._open:
            self._scope(pl_module, False)

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
                    f"{self._loading}: ActivationSwap {key} is {theirs!r} in the checkpoint, "
                    f"{mine[key]!r} in this run; build the callback with the checkpoint's arguments"
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
            if key.split("[")[0] == "ActivationSwap"
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

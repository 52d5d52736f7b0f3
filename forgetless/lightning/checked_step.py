"""The checked step: after a swap, run the LightningModule's own step on the first batch.

A LightningModule often has no ``forward``, a ``forward`` of several inputs, or calls
``F.relu`` in ``training_step`` itself; only its step shows what it runs. :func:`checked_step`
runs ``training_step`` (``validation_step``, ``test_step``, ``predict_step`` for the other
stages) on one batch, in training mode for ``fit``, without gradients, with the module's logging
and optimizer calls made inert (``self.log``, ``self.optimizers()``, ``self.manual_backward``, ...),
and leaves no trace: train/eval flags, buffers and the random number generators are restored.
It runs the step twice: once as training runs it without help (calls inside module forwards are
swapped), once with the step scoped (:meth:`CallSiteSwap.enter_step`), so calls the step makes
outside any module's ``forward`` are found too; :class:`ActivationSwap` scopes the real steps only
when such calls exist. Design: docs/lightning.md ("Activation swap").
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytorch_lightning as pl
import torch
from torch import nn

from forgetless.activations.swap.call_sites import CallSiteSwap
from forgetless.activations.swap.checked_forward import state_restored

STEPS = {
    "fit": "training_step",
    "validate": "validation_step",
    "test": "test_step",
    "predict": "predict_step",
}


class _Inert:
    """A stand-in optimizer / scheduler: every attribute is a function that does nothing."""

    def __getattr__(self, name: str) -> Any:
        return _nothing


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


_INERT = {
    "log": _nothing,
    "log_dict": _nothing,
    "manual_backward": _nothing,
    "clip_gradients": _nothing,
    "toggle_optimizer": _nothing,
    "untoggle_optimizer": _nothing,
    "optimizers": lambda *args, **kwargs: _Inert(),
    "lr_schedulers": lambda *args, **kwargs: _Inert(),
}


@contextlib.contextmanager
def _inert_calls(module: pl.LightningModule) -> Iterator[None]:
    saved = {name: module.__dict__[name] for name in _INERT if name in module.__dict__}
    for name, value in _INERT.items():
        object.__setattr__(module, name, value)
    try:
        yield
    finally:
        for name in _INERT:
            object.__delattr__(module, name)
        for name, value in saved.items():
            object.__setattr__(module, name, value)


def _count(counts: dict[str, int], path: str, module: nn.Module, args: tuple, out: Any) -> None:
    counts[path] += 1


@contextlib.contextmanager
def _no_trace(module: nn.Module) -> Iterator[None]:
    with (
        state_restored(module),
        torch.no_grad(),
        torch.random.fork_rng(devices=[]),
        _inert_calls(module),
    ):
        yield


def checked_step(
    module: pl.LightningModule,
    stage: str,
    batch: Any,
    calls: CallSiteSwap,
    held: dict[str, nn.Module],
) -> tuple[dict[str, int], bool]:
    """Run ``module``'s step of ``stage`` on ``batch`` (twice, see the module docstring).

    Args:
        module: the swapped LightningModule.
        stage: ``fit``, ``validate``, ``test`` or ``predict``.
        batch: the stage's first batch, as the dataloader yields it.
        calls: the module's call-site swap (``discovering`` set by the caller).
        held: the replaced held modules by path.

    Returns:
        The calls of each held module, and whether the step calls a target outside every
        module's ``forward`` (then the real steps must be scoped).

    Raises:
        ValueError: the swap's own refusal met during the step (passed on as it is).
        RuntimeError: the step failed otherwise (the message names the step and the error).
    """
    name = STEPS.get(stage, "training_step")
    step = getattr(module, name)
    counts = {path: 0 for path in held}
    handles = [m.register_forward_hook(partial(_count, counts, p)) for p, m in held.items()]
    try:
        with _no_trace(module):
            module.train(stage == "fit")
            step(batch, 0)
            before = len(calls.call_sites)
            calls.enter_step(module)
            try:
                step(batch, 0)
            finally:
                calls.leave_step(module)
            scoped = len(calls.call_sites) > before
    except Exception as error:
        if str(error).startswith("swap_activations:"):
            raise
        raise RuntimeError(
            f"{type(module).__name__}.{name} failed on the first batch: {error}"
        ) from error
    finally:
        for handle in handles:
            handle.remove()
    return counts, scoped

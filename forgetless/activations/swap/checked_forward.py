"""The checked forward after a swap: run an example input and see what swapped code runs.

The example runs once in training mode and once in evaluation mode (so call sites of both
branches get their modules before any optimizer exists), without gradients, and leaves no
trace: every module's train/eval flag, every buffer (BatchNorm's running statistics) and the
random number generators (CPU and the model's CUDA devices, for dropout) are restored.
Returns how many times each replaced held module was called, or None when the model has no
``forward`` of its own (a LightningModule that calls its layers from ``training_step``): then
nothing can be checked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import partial
from typing import Any

import torch
from torch import nn


def _count(counts: dict[str, int], path: str, module: nn.Module, args: tuple, out: Any) -> None:
    counts[path] += 1


def _to_device(value: Any, device: torch.device) -> Any:
    if isinstance(value, torch.Tensor):
        return value.to(device)
    if isinstance(value, tuple | list):
        return type(value)(_to_device(v, device) for v in value)
    return value


def _model_device(model: nn.Module) -> torch.device | None:
    for tensor in (*model.parameters(), *model.buffers()):
        if not isinstance(tensor, nn.parameter.UninitializedTensorMixin):
            return tensor.device
    return None


def _lacks_forward(model: nn.Module, error: Exception) -> bool:
    """Whether ``error`` is torch's refusal to call a model that defines no ``forward``."""
    return isinstance(error, NotImplementedError) and str(error) == (
        f'Module [{type(model).__name__}] is missing the required "forward" function'
    )


@contextlib.contextmanager
def state_restored(model: nn.Module) -> Iterator[None]:
    """On leaving the block, every module of ``model`` gets its train/eval flag back (modules
    created inside follow ``model``'s) and every initialised buffer its value."""
    flags = {module: module.training for module in model.modules()}
    buffers = {
        name: buffer.detach().clone()
        for name, buffer in model.named_buffers()
        if not isinstance(buffer, nn.parameter.UninitializedTensorMixin)
    }
    try:
        yield
    finally:
        for module, training in flags.items():
            module.training = training
        for module in model.modules():  # sites created inside follow the model
            if module not in flags:
                module.training = flags[model]
        current = dict(model.named_buffers())
        with torch.no_grad():
            for name, saved in buffers.items():
                if name in current:
                    current[name].copy_(saved)


def checked_forward(
    model: nn.Module, example: Any, sites: dict[str, nn.Module]
) -> dict[str, int] | None:
    """Run ``model(*example)`` in train and eval mode; return calls per replaced module path.

    Args:
        model: the swapped model.
        example: one input tensor or a tuple of positional inputs (moved to the model's device).
        sites: the replaced held modules by path.

    Returns:
        The calls of each held module, or None when the model defines no ``forward``.

    Raises:
        ValueError: the swap's own refusal met during the forward (passed on as it is).
        RuntimeError: the forward failed otherwise (the message names the error).
    """
    args = example if isinstance(example, tuple) else (example,)
    device = _model_device(model)
    if device is not None:
        args = _to_device(args, device)
    counts = {path: 0 for path in sites}
    handles = [m.register_forward_hook(partial(_count, counts, p)) for p, m in sites.items()]
    cuda = [device.index or 0] if device is not None and device.type == "cuda" else []
    try:
        with state_restored(model), torch.no_grad(), torch.random.fork_rng(devices=cuda):
            for training in (model.training, not model.training):
                model.train(training)
                model(*args)
    except Exception as error:
        if _lacks_forward(model, error):
            return None
        if str(error).startswith("swap_activations:"):
            raise  # the swap's own refusal, already saying what to change
        raise RuntimeError(
            f"swap_activations: the checked forward on the example input failed: {error}"
        ) from error
    finally:
        for handle in handles:
            handle.remove()
    return counts

"""Refuse, before training, a model that Opacus cannot train privately; name the layer.

Uses Opacus's own knowledge: ``opacus.validators.ModuleValidator.validate(model, strict=False)``
(BatchNorm, LSTM/GRU/MultiheadAttention without the DP versions, InstanceNorm with running
statistics, ...) and ``GradSampleModule.validate`` (a trainable layer with buffers). Opacus's
messages do not say *which* layer, so each registered validator is also run on each named
submodule to find it. Checks added here:

* every normalisation layer that mixes examples of a batch (BatchNorm, also without trainable
  parameters, which Opacus's validator skips);
* lazily sized parameters (``UninitializedParameter``): run one batch or build the model with
  known sizes first.
"""

from __future__ import annotations

from torch import nn
from torch.nn.parameter import is_lazy

#: What to use instead, by layer class name (Opacus's suggestions, made concrete).
REPLACEMENTS: dict[str, str] = {
    "BatchNorm1d": "nn.GroupNorm or nn.LayerNorm (opacus.validators.ModuleValidator.fix(model) "
    "swaps BatchNorm for GroupNorm)",
    "BatchNorm2d": "nn.GroupNorm (opacus.validators.ModuleValidator.fix(model) does the swap)",
    "BatchNorm3d": "nn.GroupNorm (opacus.validators.ModuleValidator.fix(model) does the swap)",
    "SyncBatchNorm": "nn.GroupNorm (opacus.validators.ModuleValidator.fix(model) does the swap)",
    "LSTM": "opacus.layers.DPLSTM (same interface)",
    "GRU": "opacus.layers.DPGRU (same interface)",
    "RNN": "opacus.layers.DPRNN (same interface)",
    "MultiheadAttention": "opacus.layers.DPMultiheadAttention (same interface)",
    "InstanceNorm1d": "track_running_stats=False",
    "InstanceNorm2d": "track_running_stats=False",
    "InstanceNorm3d": "track_running_stats=False",
}

_BATCH_MIXING = (nn.modules.batchnorm._BatchNorm,)


def _problem(name: str, module: nn.Module, reason: str) -> str:
    kind = type(module).__name__
    instead = REPLACEMENTS.get(kind, "a layer without buffers that treats each example alone")
    return f"layer '{name or '<root>'}' ({kind}): {reason}; use {instead} instead"


def find_private_training_problems(model: nn.Module) -> list[str]:
    """One message per layer that prevents DP-SGD training of ``model`` (empty list: fine)."""
    from opacus.grad_sample import GradSampleModule
    from opacus.validators import ModuleValidator

    problems: list[str] = []
    flagged: set[str] = set()
    for name, module in model.named_modules():
        if any(is_lazy(p) for p in module.parameters(recurse=False)):
            problems.append(
                f"layer '{name or '<root>'}' ({type(module).__name__}): has lazily sized "
                "parameters; run one batch through the model (or give the sizes) before "
                "making it private"
            )
            flagged.add(name)
            continue
        validator = ModuleValidator.VALIDATORS.get(type(module))
        errors = validator(module) if validator is not None else []
        if not errors and isinstance(module, _BATCH_MIXING):
            errors = ["BatchNorm mixes the examples of a batch, so no per-example gradient exists"]
        if errors:
            reason = str(errors[0]).split(". ")[0]
            problems.append(_problem(name, module, reason))
            flagged.add(name)
    if problems:
        return problems
    for error in GradSampleModule.validate(model, strict=False):
        problems.append(f"model: {error}")
    # Anything Opacus's whole-model validator finds that the per-layer pass did not name.
    for error in ModuleValidator.validate(model, strict=False):
        text = str(error)
        if "training mode" in text:
            continue  # the doors put the model in training mode themselves
        problems.append(f"model: {text}")
    return problems


def check_private_model(model: nn.Module) -> None:
    """Raise ``ValueError`` naming each layer that Opacus cannot train privately."""
    if not isinstance(model, nn.Module):
        raise ValueError(f"model: expected a torch.nn.Module, got {type(model).__name__}")
    problems = find_private_training_problems(model)
    if problems:
        raise ValueError("model cannot be trained with DP-SGD: " + " | ".join(problems))

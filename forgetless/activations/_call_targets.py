"""What ``target=`` names: activation module classes and the torch functions they stand for.

``swap_activations(..., target=...)`` accepts module classes (``nn.ReLU``) and torch functions
(``F.relu``, ``torch.relu``, ``torch.Tensor.relu``, their in-place twins, ``F.gelu``, ...),
alone or mixed in a tuple. Decided:

* a module class stands for the activation in every form: its modules are swapped where they
  are held, and (with ``functional=True``) every call of its functional forms is swapped where
  it is made: ``F.<name>``, ``torch.<name>``, ``Tensor.<name>`` and the in-place ``<name>_``
  variants that exist (``nn.ReLU`` -> ``F.relu``, ``F.relu_``, ``torch.relu``, ``torch.relu_``,
  ``Tensor.relu``, ``Tensor.relu_``);
* a function stands for itself only (``target=(F.gelu,)`` leaves ``nn.GELU`` modules alone);
  aliases are the same object (``from torch.nn.functional import relu``), so they are covered.

Each function is known by a dotted name (``"torch.nn.functional.relu"``, ``"torch.relu"``,
``"torch.Tensor.relu"``) that checkpoints record and :func:`function_from_name` resolves.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ._functional_call_finder import FUNCTIONAL_NAMES

_NAMESPACES = (
    ("torch.nn.functional", F),
    ("torch", torch),
    ("torch.Tensor", torch.Tensor),
)


@dataclass(frozen=True)
class FunctionForm:
    """One torch function a swap intercepts: its dotted name and how it is called in place."""

    name: str
    activation: str
    inplace_always: bool
    inplace_position: int | None


def _inplace_position(function: Callable) -> int | None:
    try:
        parameters = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return None
    return parameters.index("inplace") if "inplace" in parameters else None


def _all_forms() -> dict[Callable, FunctionForm]:
    forms: dict[Callable, FunctionForm] = {}
    for activation in FUNCTIONAL_NAMES.values():
        for prefix, namespace in _NAMESPACES:
            for attribute in (activation, activation + "_"):
                function = getattr(namespace, attribute, None)
                if function is None or function in forms:
                    continue
                forms[function] = FunctionForm(
                    name=f"{prefix}.{attribute}",
                    activation=activation,
                    inplace_always=attribute.endswith("_"),
                    inplace_position=_inplace_position(function),
                )
    return forms


FORMS: dict[Callable, FunctionForm] = _all_forms()
_BY_NAME = {form.name: function for function, form in FORMS.items()}


def function_name(function: Callable) -> str:
    """The dotted name of a known activation function (``"torch.nn.functional.relu"``)."""
    return FORMS[function].name


def function_from_name(name: str) -> Callable:
    """The function a dotted name from :func:`function_name` stands for."""
    if name not in _BY_NAME:
        raise ValueError(f"unknown activation function {name!r}; known: {', '.join(_BY_NAME)}")
    return _BY_NAME[name]


def split_targets(
    target: object, owner: str = "swap_activations"
) -> tuple[tuple[type[nn.Module], ...], tuple[Callable, ...]]:
    """(module classes, functions) named by ``target``; ``ValueError`` for anything else."""
    items = tuple(target) if isinstance(target, tuple | list) else (target,)
    classes = tuple(t for t in items if isinstance(t, type) and issubclass(t, nn.Module))
    functions = tuple(t for t in items if not isinstance(t, type) and t in FORMS)
    if not items or len(classes) + len(functions) != len(items):
        raise ValueError(
            f"{owner}: target must be nn.Module subclasses and/or torch activation functions "
            f"(e.g. (nn.ReLU, F.relu, torch.relu)), got {target!r}"
        )
    return classes, functions


def intercepted_functions(
    classes: tuple[type[nn.Module], ...], functions: tuple[Callable, ...]
) -> dict[Callable, FunctionForm]:
    """Every function a functional swap intercepts for these targets, with its form."""
    activations = {
        name
        for cls, name in FUNCTIONAL_NAMES.items()
        if any(issubclass(target, cls) for target in classes)
    }
    return {
        function: form
        for function, form in FORMS.items()
        if form.activation in activations or function in functions
    }


def target_names(target: object) -> list[str]:
    """Checkpointable names of ``target``: class qualnames (``"ReLU"``) and dotted functions."""
    classes, functions = split_targets(target)
    return [cls.__qualname__ for cls in classes] + [function_name(f) for f in functions]


def targets_from_names(names: list[str], owner: str) -> tuple[object, ...]:
    """Resolve :func:`target_names` back (``torch.nn`` classes and known functions only)."""
    resolved: list[object] = []
    for name in names:
        cls = getattr(nn, name, None)
        if isinstance(cls, type) and issubclass(cls, nn.Module):
            resolved.append(cls)
        elif name in _BY_NAME:
            resolved.append(_BY_NAME[name])
        else:
            raise ValueError(
                f"{owner}: target {name!r} is neither a torch.nn class nor a known activation "
                "function; rebuild the swap by hand"
            )
    return tuple(resolved)

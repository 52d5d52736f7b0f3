"""What ``target=`` names: activation module classes and the torch functions they stand for.

A module class (``nn.ReLU``) stands for its activation in every form: held modules, and calls of
``F.<name>``, ``torch.<name>``, ``Tensor.<name>`` and their in-place ``<name>_`` twins. A function
(``F.gelu``) stands for itself only; an alias is the same object, so it is covered. Each function
has a dotted name (``"torch.nn.functional.relu"``) that checkpoints record. See docs/swap.md.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

# target class -> the name of its functional form in torch / torch.nn.functional / Tensor.
FUNCTIONAL_NAMES: dict[type[nn.Module], str] = {
    nn.ReLU: "relu",
    nn.ReLU6: "relu6",
    nn.LeakyReLU: "leaky_relu",
    nn.ELU: "elu",
    nn.CELU: "celu",
    nn.SELU: "selu",
    nn.GELU: "gelu",
    nn.SiLU: "silu",
    nn.Mish: "mish",
    nn.Hardswish: "hardswish",
    nn.Softplus: "softplus",
    nn.Tanh: "tanh",
    nn.Sigmoid: "sigmoid",
}

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


def is_activation_module(module: nn.Module) -> bool:
    """A forgetless activation or a torch activation module (not ``nn.MultiheadAttention``).

    The swap leaves the calls made inside one alone (``nn.GELU`` calls ``F.gelu``), and sizing
    walks past one (it keeps the shape).
    """
    if isinstance(module, nn.MultiheadAttention):
        return False
    name = type(module).__module__ or ""
    return name.startswith("forgetless.activations") or name == "torch.nn.modules.activation"


def function_name(function: Callable) -> str:
    """The dotted name of a known activation function (``"torch.nn.functional.relu"``)."""
    return FORMS[function].name


def describe_targets(classes: tuple[type[nn.Module], ...], functions: tuple[Callable, ...]) -> str:
    """The targets as messages name them: ``"ReLU, torch.nn.functional.gelu"``."""
    return ", ".join([c.__name__ for c in classes] + [function_name(f) for f in functions])


def split_targets(
    target: object, owner: str = "swap_activations"
) -> tuple[tuple[type[nn.Module], ...], tuple[Callable, ...]]:
    """Split ``target`` into the module classes and the torch functions it names.

    Args:
        target: one class or function, or a tuple/list of them.
        owner: the name that starts the error message.

    Raises:
        ValueError: ``target`` is empty or holds something else.
    """
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
    """Resolve :func:`target_names` back (``torch.nn`` classes and known functions only).

    Args:
        names: names written by :func:`target_names`.
        owner: the name that starts the error message.

    Raises:
        ValueError: a name is neither a ``torch.nn`` class nor a known function.
    """
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

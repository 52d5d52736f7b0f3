"""``ActivationSpec``: everything the package knows about one activation, declared in its file.

Each activation file (``activations/<x>.py``) ends with ``SPECS``, a tuple of the specs it
defines. The registry collects them (:mod:`.registry`) and derives from them the names
:func:`~forgetless.activations.get_activation` accepts, the defaults and meanings
``forgetless activations --params`` prints and the fused-kernel table of
:mod:`forgetless.kernels.dispatch`; :mod:`forgetless.privacy` registers the per-sample gradients
and the tests build their per-activation tables from the same specs.

Targets in other packages (the fused kernel, the Opacus grad sampler) are ``"module:function"``
strings, so that declaring them imports neither Triton nor Opacus: the kernels and privacy
packages import what they name only where it can run.

:func:`spec_problems` lists what a spec is missing (the completeness test asserts it is empty
for every built-in spec).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import torch
from torch import nn

from forgetless.resolve import resolve

from .inactive import InactiveTest, exactly_zero

# Meanings that several activations' parameters share.
PER_CHANNEL = "per-channel parameters (None: inferred from the first input or the layer before)"
CHANNEL_DIM = "the axis that holds the channels / units"
INPUT_NORM = "standardise each sample's units first (a LayerNorm without affine)"


@dataclass(frozen=True)
class ActivationSpec:
    """One activation, declared once.

    Args:
        name: the registry name (lower case, ``_`` between words); also the key of the
            fused-kernel table and the owner named in the functional's error messages.
        reference: the pure-PyTorch definition (the ground truth the kernels are tested
            against; runs on CPU, in float64 and when kernels are off).
        functional: the public function, checking its arguments and routed through
            :func:`forgetless.kernels.dispatch.dispatch`; same parameters as ``reference``.
        module: the ``nn.Module`` class that ``factory`` builds.
        factory: builds ``module`` with the registry defaults (the ones under which the
            activation learns as a plain network's hidden activation; docs/activations.md).
        meanings: one line per keyword parameter of ``factory``: what it means.
        fused: ``"module:function"`` of the fused kernel :func:`dispatch` routes to, or None.
        per_sample_gradient: ``"module:function"`` of the Opacus grad sampler for the module's
            parameters (needed when the module has parameters), or None.
        examples: keyword arguments for ``module``, one dict per setting the tests must cover
            (awkward widths, tiny ``lam``, ...); ``({},)`` is the module's own defaults.
        inactive: where an output is on the activation's flat part (:mod:`.inactive`), for the
            dormant-unit monitor; default exactly 0.
        paper_defaults: the values the paper's bare function uses for those factory parameters
            it fixes (METHODS.md), e.g. Hard ASH's ``z_k = 2.3`` without input normalisation;
            the report marks a cell whose resolved parameters differ from them
            (:func:`~forgetless.activations.resolved.paper_differences`).

    Raises:
        ValueError: for a name that is not a non-empty lower-case identifier, or a target that
            is not of the form ``"module:function"``.
    """

    name: str
    reference: Callable[..., torch.Tensor]
    functional: Callable[..., torch.Tensor]
    module: type[nn.Module]
    factory: Callable[..., nn.Module]
    meanings: Mapping[str, str] = field(default_factory=dict)
    fused: str | None = None
    per_sample_gradient: str | None = None
    examples: tuple[Mapping[str, object], ...] = ({},)
    inactive: InactiveTest = exactly_zero
    paper_defaults: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(f"ActivationSpec: name must be an identifier, got {self.name!r}")
        if self.name != self.name.lower():
            raise ValueError(f"ActivationSpec: name must be lower case, got {self.name!r}")
        for label in ("fused", "per_sample_gradient"):
            target = getattr(self, label)
            if target is not None and not _is_target(target):
                raise ValueError(
                    f"ActivationSpec {self.name!r}: {label} must be 'module:function', "
                    f"got {target!r}"
                )
        object.__setattr__(self, "meanings", MappingProxyType(dict(self.meanings)))
        object.__setattr__(self, "examples", tuple(self.examples))
        object.__setattr__(self, "paper_defaults", MappingProxyType(dict(self.paper_defaults)))


def _is_target(target: object) -> bool:
    if not isinstance(target, str):
        return False
    module, colon, attr = target.partition(":")
    return bool(module and colon and attr.isidentifier())


def keyword_parameters(function: Callable[..., object]) -> list[inspect.Parameter]:
    """The parameters of ``function`` that can be passed by keyword, in order."""
    return [
        p
        for p in inspect.signature(function).parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]


def _target_problems(spec: ActivationSpec, label: str) -> tuple[list[str], object]:
    target = getattr(spec, label)
    try:
        loaded = resolve(target)
    except (ImportError, AttributeError) as error:
        return [f"{label} {target!r} cannot be imported ({error})"], None
    if not callable(loaded):
        return [f"{label} {target!r} is not callable"], None
    return [], loaded


def _parameter_names(function: Callable[..., object]) -> list[str] | None:
    try:
        return list(inspect.signature(function).parameters)
    except (TypeError, ValueError):  # a builtin without a signature (torch's own functions)
        return None


def spec_problems(spec: ActivationSpec) -> list[str]:
    """What ``spec`` lacks, one sentence each (empty when it is complete).

    Complete means: reference and functional take the same parameters; the factory builds the
    module with no arguments; every factory parameter has a meaning and every meaning a
    parameter; each example builds the module; the fused target imports and takes
    ``(reference, *reference's parameters)``; a module with parameters has an importable
    per-sample gradient. Importing the fused target needs Triton.
    """
    problems = []
    if not callable(spec.reference) or not callable(spec.functional):
        return ["reference and functional must be callable"]
    arguments = _parameter_names(spec.reference)
    if spec.functional is not spec.reference and _parameter_names(spec.functional) != arguments:
        problems.append(f"functional's parameters differ from the reference's {arguments}")
    if not (isinstance(spec.module, type) and issubclass(spec.module, nn.Module)):
        return [*problems, f"module must be an nn.Module class, got {spec.module!r}"]
    built = spec.factory()
    if not isinstance(built, spec.module):
        problems.append(f"factory() builds {type(built).__name__}, not {spec.module.__name__}")
    parameters = {p.name for p in keyword_parameters(spec.factory)}
    if missing := sorted(parameters - set(spec.meanings)):
        problems.append(f"no meaning for factory parameter(s) {', '.join(missing)}")
    if extra := sorted(set(spec.meanings) - parameters):
        problems.append(f"meaning(s) for {', '.join(extra)}, which the factory does not take")
    if extra := sorted(set(spec.paper_defaults) - parameters):
        problems.append(f"paper default(s) for {', '.join(extra)}, which the factory does not take")
    if not spec.examples:
        problems.append("no examples (use ({},) for the module's own defaults)")
    for kwargs in spec.examples:
        if not isinstance(spec.module(**kwargs), spec.module):
            problems.append(f"example {dict(kwargs)} does not build {spec.module.__name__}")
    if spec.fused is not None:
        found, fused = _target_problems(spec, "fused")
        problems += found
        if fused is not None and arguments is None:
            problems.append("a fused target needs a reference with a signature")
        elif fused is not None:
            expected = ["reference", *arguments]
            if [p for p in inspect.signature(fused).parameters] != expected:
                problems.append(f"fused {spec.fused!r} must take {expected}")
    if spec.per_sample_gradient is not None:
        problems += _target_problems(spec, "per_sample_gradient")[0]
    elif any(True for _ in built.parameters()):
        problems.append("module has parameters but no per_sample_gradient (for DP-SGD)")
    return problems

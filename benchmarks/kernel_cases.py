"""The benchmark's cases: every activation on one input, with its reference, public functional
and plain formula (:mod:`kernel_plain`), at flat sizes or realistic (batch, units) shapes."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import torch

from forgetless.activations import activation_specs

# Every activation with a fused kernel, from its spec.
SPECS = {spec.name: spec for spec in activation_specs() if spec.fused is not None}
ACTIVATIONS = tuple(SPECS)
DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16}
# Flat sizes (numel; rows of UNITS units for the row and per-channel cases) and realistic
# (batch, units) shapes of hidden layers.
SIZES: dict[str, int | tuple[int, int]] = {
    "64x1024": (64, 1024),
    "1024x1024": (1024, 1024),
    "8192x4096": (8192, 4096),
    "16M": 16 * 2**20,
    "64M": 64 * 2**20,
}
DRY_RUN_SIZES: dict[str, int | tuple[int, int]] = {"4x64": (4, 64)}
UNITS = 1000  # row length / channel count of the row and per-channel cases at flat sizes


@dataclass
class Case:
    """One activation on one input: the callables take ``inputs`` positionally."""

    name: str
    inputs: list[torch.Tensor]
    reference: Callable[..., torch.Tensor]
    public: Callable[..., torch.Tensor]

    def plain(self) -> Callable[..., torch.Tensor]:
        """The plain formula a user would write (:mod:`kernel_plain`), same arguments."""
        from kernel_plain import PLAIN

        extra = _functions(self.name)[2]
        return lambda *tensors: PLAIN[self.name](*tensors, *extra)


def _functions(name: str) -> tuple[Callable, Callable, tuple]:
    """(reference, public functional, extra positional args after the tensors): the spec's
    reference and functional, called with the reference's defaults for its fixed arguments."""
    spec = SPECS[name]
    parameters = inspect.signature(spec.reference).parameters.values()
    extra = tuple(p.default for p in parameters if p.default is not p.empty)
    return spec.reference, spec.functional, extra


def parameter_inputs(name: str, units: int, device: str = "cuda") -> list[torch.Tensor]:
    """The per-unit parameter tensors the benchmark passes after x (none for fixed ones)."""
    if name == "learnable_elephant":
        return [torch.full((units,), -0.5, device=device), torch.zeros(units, device=device)]
    if name in ("apa", "aglu"):
        return [
            torch.linspace(0.8, 1.2, units, device=device),
            torch.linspace(0.5, 1.5, units, device=device),
        ]
    return []


def make_case(
    name: str, size: int | tuple[int, int], dtype: torch.dtype, device: str = "cuda"
) -> Case:
    """Inputs for ``name``: a (rows, units) shape, or a numel: flat x for the elementwise ops,
    (numel // 1000, 1000) otherwise; per-channel parameters along dim 1 (the units)."""
    reference, public, extra = _functions(name)
    gen = torch.Generator(device=device).manual_seed(0)
    if isinstance(size, tuple):
        shape: tuple[int, ...] = size
    elif name in ("elephant", "tempered_sigmoid"):
        shape = (size,)
    else:
        shape = (size // UNITS, UNITS)
    units = shape[-1]
    x = torch.randn(shape, generator=gen, device=device, dtype=torch.float32).to(dtype)
    inputs = [x.requires_grad_(), *parameter_inputs(name, units, device)]
    for p in inputs[1:]:
        p.requires_grad_()

    def bind(fn: Callable) -> Callable:
        return lambda *tensors: fn(*tensors, *extra)

    return Case(name, inputs, bind(reference), bind(public))

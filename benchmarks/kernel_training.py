"""Training-step mode of ``benchmarks/kernels.py``: what the kernels do to a real training step.

One SGD step (zero_grad, forward, cross-entropy, backward, step) of an MLP 784-1024-1024-10 on a
batch of 256, with the activation after each hidden layer:

* ``fused``: forgetless's public functional (the fused kernels on CUDA);
* ``reference``: the same functional with ``FORGETLESS_KERNELS=0`` (the reference formulas);
* ``relu``: ``nn.ReLU``, the cheapest activation there is (the bar: within 1.15×);

each in eager mode and as ``torch.compile(model)``. Activations with per-unit parameters get
one per hidden unit (trained too).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import contextmanager

import torch
from kernel_cases import _functions
from torch import nn

WIDTHS = (784, 1024, 1024, 10)
BATCH = 256


@contextmanager
def kernels_off(off: bool):
    """``FORGETLESS_KERNELS=0`` inside (dispatch reads it on every call) when ``off``."""
    saved = os.environ.get("FORGETLESS_KERNELS")
    if off:
        os.environ["FORGETLESS_KERNELS"] = "0"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("FORGETLESS_KERNELS", None)
        else:
            os.environ["FORGETLESS_KERNELS"] = saved


class Activation(nn.Module):
    """forgetless's public functional ``name`` over ``units`` hidden units."""

    def __init__(self, name: str, units: int) -> None:
        super().__init__()
        # The public functional with the reference's defaults after x (and the parameters).
        _, self.fn, self.constants = _functions(name)
        self.params = nn.ParameterList()
        if name == "learnable_elephant":
            initial = [torch.full((units,), -0.5), torch.zeros(units)]
        elif name in ("apa", "aglu"):
            initial = [torch.ones(units), torch.full((units,), 0.8)]
        else:
            initial = []
        self.params.extend(nn.Parameter(t) for t in initial)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fn(x, *self.params, *self.constants)


def mlp(activation: str, widths=WIDTHS) -> nn.Sequential:
    """Linear layers of ``widths`` with ``activation`` ("relu" or a forgetless name) between."""
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(widths) - 2:
            layers.append(nn.ReLU() if activation == "relu" else Activation(activation, n_out))
    return nn.Sequential(*layers)


def training_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> Callable[[], None]:
    """One SGD step of ``model`` on (x, y), as a closure to time."""
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()

    return step


def measure_training(
    activations,
    bench: Callable,
    device: str,
    compile_fn: Callable,
    widths=WIDTHS,
    batch=BATCH,
    compiled_for=None,
) -> list[dict]:
    """Median ms per step for every (activation variant, eager / compiled); ``bench(fn)`` times
    a closure (``do_bench`` on a GPU), ``compile_fn`` is ``torch.compile`` (or a stand-in).
    ``compiled_for``: the activations also measured compiled (default all; ReLU always)."""
    gen = torch.Generator(device=device).manual_seed(0)
    x = torch.randn(batch, widths[0], generator=gen, device=device)
    y = torch.randint(0, widths[-1], (batch,), generator=gen, device=device)
    rows = []
    variants = [("relu", "relu", False)]
    variants += [(name, "fused", False) for name in activations]
    variants += [(name, "reference", True) for name in activations]
    for name, label, off in variants:
        row: dict = {"activation": name, "variant": label}
        for mode in ("eager", "compiled"):
            if mode == "compiled" and compiled_for is not None and name not in compiled_for:
                if name != "relu":
                    continue  # no key: no verdict
            torch.manual_seed(0)
            model = mlp(name, widths).to(device)
            with kernels_off(off):
                try:
                    runner = model if mode == "eager" else compile_fn(model)
                    step = training_step(runner, x, y)
                    step()  # warm-up (and compilation)
                    row[f"{mode}_ms"] = bench(step)
                except Exception as error:  # keep measuring the rest; record why
                    row[f"{mode}_ms"] = float("nan")
                    row[f"{mode}_error"] = repr(error)[:300]
        rows.append(row)
        compiled = row.get("compiled_ms", float("nan"))
        print(
            f"train step {name:<19}{label:<10} eager {row['eager_ms']:.3f} ms   "
            f"compiled {compiled:.3f} ms",
            flush=True,
        )
    return rows

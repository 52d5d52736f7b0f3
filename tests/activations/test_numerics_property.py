"""Outputs and gradients are finite for every finite input, in float32, float16 and bfloat16."""

from functools import partial

import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from forgetless.activations import Elephant, activation_specs

DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}
WIDTH = {"float32": 32, "float16": 16, "bfloat16": 32}

# Every forgetless activation in each setting its spec lists as an example (awkward widths, a
# tiny lam, shared parameters, ...).
MODULES = {
    f"{spec.name}_{i}": partial(spec.module, **kwargs)
    for spec in activation_specs()
    if spec.module.__module__.startswith("forgetless")
    for i, kwargs in enumerate(spec.examples)
}


def finite_values(dtype_name: str):
    limit = torch.finfo(DTYPES[dtype_name]).max
    floats = st.floats(min_value=-limit, max_value=limit, allow_nan=False, width=WIDTH[dtype_name])
    return st.lists(floats, min_size=4, max_size=4)


def check_finite(name: str, dtype_name: str, values: list[float]) -> None:
    torch.manual_seed(0)
    module = MODULES[name]()
    x = torch.tensor([values], dtype=torch.float32).to(DTYPES[dtype_name]).requires_grad_()
    assert torch.isfinite(x).all()
    y = module(x)
    assert y.dtype == x.dtype and torch.isfinite(y).all(), y
    y.backward(torch.ones_like(y))
    assert torch.isfinite(x.grad).all(), x.grad
    for param in module.parameters():
        assert torch.isfinite(param.grad).all(), (param, param.grad)


@pytest.mark.parametrize("dtype_name", list(DTYPES))
@pytest.mark.parametrize("name", list(MODULES))
def test_finite_for_every_finite_input(name, dtype_name):
    limit = torch.finfo(DTYPES[dtype_name]).max
    big = min(1e30, limit)

    @settings(max_examples=25, deadline=None, derandomize=True, database=None)
    @given(values=finite_values(dtype_name))
    @example(values=[big, -big, 0.0, 1.0])
    @example(values=[limit, -limit, limit, -limit])
    @example(values=[limit, limit, limit, limit])
    @example(values=[0.0, 0.0, 0.0, 0.0])
    @example(values=[1e-45 if dtype_name != "float16" else 6e-8, -0.0, 2.0, -big])
    def run(values):
        check_finite(name, dtype_name, values)

    run()


@pytest.mark.parametrize("dtype_name", list(DTYPES))
def test_elephant_of_huge_inputs_is_zero_with_zero_gradient(dtype_name):
    dtype = DTYPES[dtype_name]
    big = min(1e30, torch.finfo(dtype).max)
    x = torch.tensor([big, -big], dtype=dtype, requires_grad=True)
    y = Elephant(a=0.02)(x)
    y.sum().backward()
    assert torch.equal(y, torch.zeros(2, dtype=dtype))
    assert torch.equal(x.grad.abs(), torch.zeros(2, dtype=dtype))

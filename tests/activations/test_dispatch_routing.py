"""The public functionals route through the kernel dispatch point with positional arguments."""

import importlib
import inspect
import sys

import pytest
import torch

from forgetless.activations import activation_specs

# The package re-exports functions named like their files (forgetless.activations.elephant is
# the function), so the files are reached through importlib.
apa_module = importlib.import_module("forgetless.activations.apa")
ash_module = importlib.import_module("forgetless.activations.ash")
elephant_module = importlib.import_module("forgetless.activations.elephant")
learnable_module = importlib.import_module("forgetless.activations.learnable_elephant")
tempered_module = importlib.import_module("forgetless.activations.tempered_sigmoid")
dispatch_module = importlib.import_module("forgetless.kernels.dispatch")

X = torch.randn(2, 3)
P = torch.zeros(3)

CASES = [
    (elephant_module, "elephant", lambda: elephant_module.elephant(X, 0.5, 2.0), (X, 0.5, 2.0)),
    (
        learnable_module,
        "learnable_elephant",
        lambda: learnable_module.learnable_elephant(X, P, P, 4.0, 1),
        (X, P, P, 4.0, 1),
    ),
    (ash_module, "ash", lambda: ash_module.ash(X, 2.0, 1.0, (1,)), (X, 2.0, 1.0, (1,))),
    (ash_module, "hard_ash", lambda: ash_module.hard_ash(X), (X, 3.0, 2.3, None)),
    (
        tempered_module,
        "tempered_sigmoid",
        lambda: tempered_module.tempered_sigmoid(X),
        (X, 2.0, 2.0, 1.0),
    ),
    (apa_module, "apa", lambda: apa_module.apa(X, P, P + 1, -1), (X, P, P + 1, -1)),
    (apa_module, "aglu", lambda: apa_module.aglu(X, P, P + 1, 1), (X, P, P + 1, 1)),
]


@pytest.mark.parametrize(("module", "name", "call", "expected"), CASES, ids=[c[1] for c in CASES])
def test_functional_calls_dispatch_with_reference_signature(
    monkeypatch, module, name, call, expected
):
    seen = {}

    def spy(op_name, reference, *args, **kwargs):
        seen.update(name=op_name, reference=reference, args=args, kwargs=kwargs)
        return reference(*args, **kwargs)

    monkeypatch.setattr(module, "dispatch", spy)
    call()
    assert seen["name"] == name and seen["kwargs"] == {}
    assert seen["reference"] is getattr(module, f"{name}_reference")
    assert len(seen["args"]) == len(expected)
    for got, want in zip(seen["args"], expected, strict=True):
        if isinstance(want, torch.Tensor):
            assert torch.equal(got, want)
        else:
            assert got == want


FUSED_SPECS = [spec for spec in activation_specs() if spec.fused is not None]


@pytest.mark.parametrize("spec", FUSED_SPECS, ids=[spec.name for spec in FUSED_SPECS])
def test_every_functional_with_a_kernel_dispatches_under_its_name_with_defaults_filled_in(
    monkeypatch, spec
):
    """Called with its required arguments only, the functional hands dispatch its name, its
    reference and every argument positionally (the reference's defaults filled in)."""
    parameters = list(inspect.signature(spec.reference).parameters.values())[1:]
    required = [torch.ones(3) for p in parameters if p.default is p.empty]
    defaults = [p.default for p in parameters if p.default is not p.empty]
    seen = {}

    def spy(op_name, reference, *args, **kwargs):
        seen.update(name=op_name, reference=reference, args=args, kwargs=kwargs)
        return reference(*args, **kwargs)

    monkeypatch.setattr(sys.modules[spec.functional.__module__], "dispatch", spy)
    spec.functional(X, *required)
    assert seen["name"] == spec.name and seen["reference"] is spec.reference
    assert seen["kwargs"] == {} and seen["args"][0] is X
    assert len(seen["args"]) == 1 + len(required) + len(defaults)
    assert list(seen["args"][1 + len(required) :]) == defaults


def test_registered_fused_implementation_is_not_used_on_cpu(monkeypatch):
    monkeypatch.setitem(dispatch_module._FUSED, "elephant", "not.a.module:fn")
    x = torch.randn(4)
    assert torch.equal(elephant_module.elephant(x), elephant_module.elephant_reference(x))

"""The public functionals route through the kernel dispatch point with positional arguments."""

import importlib

import pytest
import torch

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


def test_the_cases_cover_every_spec_with_a_kernel():
    from forgetless.activations import activation_specs

    fused = {spec.name: spec for spec in activation_specs() if spec.fused is not None}
    assert sorted(c[1] for c in CASES) == sorted(fused)
    for module, name, _, _ in CASES:
        assert fused[name].functional is getattr(module, name)


def test_registered_fused_implementation_is_not_used_on_cpu(monkeypatch):
    monkeypatch.setitem(dispatch_module._FUSED, "elephant", "not.a.module:fn")
    x = torch.randn(4)
    assert torch.equal(elephant_module.elephant(x), elephant_module.elephant_reference(x))

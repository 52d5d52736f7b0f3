"""The dispatch point: which inputs reach the fused kernels and which the references."""

import inspect

import pytest
import torch

pytest.importorskip("triton")

from forgetless.activations import activation_specs  # noqa: E402
from forgetless.kernels import dispatch as dispatch_module  # noqa: E402
from forgetless.kernels.dispatch import can_fuse, dispatch, kernels_enabled  # noqa: E402

# Every activation whose spec names a fused kernel (importing forgetless.activations registered
# them with dispatch).
REFERENCES = {spec.name: spec.reference for spec in activation_specs() if spec.fused is not None}


class _LooksLikeCuda(torch.Tensor):
    """A CPU tensor that claims to be on CUDA, to exercise the decision without a GPU."""

    @property
    def is_cuda(self):  # noqa: D401
        return True


def _cuda_like(dtype=torch.float32):
    return torch.Tensor._make_subclass(_LooksLikeCuda, torch.ones(3, dtype=dtype))


@pytest.fixture
def probe(monkeypatch):
    """Register a fused probe under a test-only name; record which path ran."""
    calls = []

    def fused(reference, *args):
        calls.append(("fused", reference, args))
        return 1

    def reference(*args):
        calls.append("reference")
        return 0

    monkeypatch.setitem(dispatch_module._FUSED, "probe", "probe:fused")
    monkeypatch.setitem(dispatch_module._LOADED, "probe", fused)
    return calls, reference


@pytest.mark.parametrize("name", list(REFERENCES))
def test_every_activation_has_a_fused_target_taking_the_reference_then_its_arguments(name):
    reference = REFERENCES[name]
    fused = dispatch_module._load(name)
    assert callable(fused)
    assert fused.__name__ == f"fused_{name}"
    assert list(inspect.signature(fused).parameters) == [
        "reference",
        *inspect.signature(reference).parameters,
    ]


def test_the_fused_table_is_filled_from_the_specs():
    from forgetless.activations import available_activations

    fused = {spec.name: spec.fused for spec in activation_specs() if spec.fused is not None}
    assert {name: dispatch_module._FUSED[name] for name in fused} == fused
    assert set(fused) == set(REFERENCES) <= set(available_activations())
    assert {"elephant", "learnable_elephant", "tempered_sigmoid", "ash", "hard_ash", "apa"} | {
        "aglu"
    } <= set(fused)


def test_cuda_tensor_in_a_supported_dtype_takes_the_fused_path(probe, monkeypatch):
    calls, reference = probe
    monkeypatch.delenv("FORGETLESS_KERNELS", raising=False)
    assert kernels_enabled() and can_fuse(_cuda_like())
    x = _cuda_like()
    assert dispatch("probe", reference, x, 2.0) == 1
    ((path, handed, args),) = calls
    assert path == "fused" and handed is reference and args[0] is x and args[1:] == (2.0,)


@pytest.mark.parametrize(
    "make",
    [
        lambda: torch.ones(3),  # CPU
        lambda: _cuda_like(torch.float64),  # float64
        lambda: _cuda_like(torch.int64),  # not floating
    ],
    ids=["cpu", "float64", "int64"],
)
def test_cpu_and_unsupported_dtypes_take_the_reference(probe, make):
    calls, reference = probe
    dispatch("probe", reference, make(), 2.0)
    assert calls == ["reference"]


def test_a_cpu_parameter_next_to_a_cuda_input_takes_the_reference(probe):
    calls, reference = probe
    dispatch("probe", reference, _cuda_like(), torch.ones(3))
    assert calls == ["reference"]


def test_kernels_off_takes_the_reference(probe, monkeypatch):
    calls, reference = probe
    monkeypatch.setenv("FORGETLESS_KERNELS", "0")
    assert not kernels_enabled()
    dispatch("probe", reference, _cuda_like(), 2.0)
    assert calls == ["reference"]


def test_public_functionals_on_cpu_equal_the_references():
    from forgetless.activations.apa import aglu, aglu_reference
    from forgetless.activations.elephant import elephant, elephant_reference

    x = torch.randn(4, 3, generator=torch.Generator().manual_seed(0))
    assert torch.equal(elephant(x, 0.5, 4.0), elephant_reference(x, 0.5, 4.0))
    kappa, lam = torch.full((3,), 1.2), torch.full((3,), 0.8)
    assert torch.equal(aglu(x, kappa, lam), aglu_reference(x, kappa, lam))


def test_a_missing_kernel_module_falls_back_to_the_reference(monkeypatch):
    monkeypatch.setitem(dispatch_module._FUSED, "ghost", "forgetless.kernels.no_such_module:f")
    monkeypatch.delitem(dispatch_module._LOADED, "ghost", raising=False)
    assert dispatch("ghost", lambda x: "reference", _cuda_like()) == "reference"
    dispatch_module._LOADED.pop("ghost", None)

"""Every built-in activation is declared completely, once, by the spec at the end of its file."""

import dataclasses
import importlib
import pkgutil
from pathlib import Path

import pytest
import torch
from torch import nn

import forgetless.activations as activations_package
import forgetless.kernels as kernels_package
from forgetless.activations import activation_specs, get_activation
from forgetless.activations.elephant import SPECS as ELEPHANT_SPECS
from forgetless.activations.registry import activation_parameters_help
from forgetless.activations.spec import ActivationSpec, spec_problems

SPECS = {spec.name: spec for spec in activation_specs()}
# The kernel package's shared pieces and its routing point are not activations.
KERNEL_INFRASTRUCTURE = {"dispatch"}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_builtin_spec_is_complete(name):
    pytest.importorskip("triton")  # importing a fused target needs it
    assert spec_problems(SPECS[name]) == []


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_registry_builds_the_spec_factory_with_its_defaults(name):
    spec = SPECS[name]
    assert type(get_activation(name)) is spec.module
    rows = activation_parameters_help(name)
    assert [row[0] for row in rows] == list(spec.meanings)
    assert all(meaning for _, _, meaning in rows)


def test_an_incomplete_spec_is_reported_part_by_part():
    complete = ELEPHANT_SPECS[0]

    def no_input_norm(a: float = 0.5, d: float = 4.0) -> nn.Module:
        return complete.module(a=a, d=d)

    def wrong_reference(x, width):
        return x

    broken = dataclasses.replace(
        complete,
        reference=wrong_reference,
        factory=no_input_norm,
        meanings={"a": "width", "sharpness": "not a parameter"},
        fused="forgetless.kernels.no_such_kernel:fused_elephant",
        examples=(),
    )
    problems = spec_problems(broken)
    assert any("functional's parameters differ" in p for p in problems)
    assert any("no meaning for factory parameter(s) d" in p for p in problems)
    assert any("meaning(s) for sharpness" in p for p in problems)
    assert any("no examples" in p for p in problems)
    assert any("cannot be imported" in p for p in problems)


def test_a_learnable_module_without_a_per_sample_gradient_is_incomplete():
    aglu = SPECS["aglu"]
    problems = spec_problems(dataclasses.replace(aglu, per_sample_gradient=None, fused=None))
    assert problems == ["module has parameters but no per_sample_gradient (for DP-SGD)"]


def test_a_factory_building_another_module_is_incomplete():
    spec = dataclasses.replace(SPECS["relu"], factory=nn.Tanh)
    assert spec_problems(spec) == ["factory() builds Tanh, not ReLU"]


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"name": "Hard-ASH"}, "name must be an identifier"),
        ({"name": "HardASH"}, "name must be lower case"),
        ({"fused": "forgetless.kernels.elephant.fused_elephant"}, "fused must be 'module:func"),
        ({"per_sample_gradient": ":f"}, "per_sample_gradient must be 'module:function'"),
    ],
)
def test_a_malformed_spec_is_refused_when_declared(changes, match):
    with pytest.raises(ValueError, match=match):
        dataclasses.replace(SPECS["elephant"], **changes)


def _public_modules(package) -> set[str]:
    return {
        info.name
        for info in pkgutil.iter_modules(package.__path__)
        if not info.ispkg and not info.name.startswith("_")
    }


def test_kernel_files_map_one_to_one_onto_activation_files():
    """``kernels/<x>.py`` holds the fused kernels of exactly the specs in ``activations/<x>.py``."""
    kernel_files = _public_modules(kernels_package) - KERNEL_INFRASTRUCTURE
    by_activation_file: dict[str, set[str]] = {}
    for spec in SPECS.values():
        if spec.fused is None:
            continue
        activation_file = spec.functional.__module__.rsplit(".", 1)[1]
        kernel_module, _, function = spec.fused.partition(":")
        assert kernel_module == f"forgetless.kernels.{activation_file}", spec.name
        assert function == f"fused_{spec.name}"
        by_activation_file.setdefault(activation_file, set()).add(spec.name)
    assert set(by_activation_file) == kernel_files
    shipped = {
        "elephant": {"elephant"},
        "learnable_elephant": {"learnable_elephant"},
        "tempered_sigmoid": {"tempered_sigmoid"},
        "ash": {"ash", "hard_ash"},
        "apa": {"apa", "aglu"},
    }
    assert {f: by_activation_file[f] for f in shipped} == shipped


def test_each_activation_file_declares_its_names_once_in_its_specs():
    owners = {}
    for name in _public_modules(activations_package):
        module = importlib.import_module(f"forgetless.activations.{name}")
        for spec in getattr(module, "SPECS", ()):
            assert isinstance(spec, ActivationSpec)
            assert spec.name not in owners, (spec.name, owners.get(spec.name), name)
            owners[spec.name] = name
    assert set(owners) == set(SPECS)
    root = Path(activations_package.__file__).parents[1]
    assert not (root / "kernels" / "names.py").exists()


def test_privacy_registers_every_spec_per_sample_gradient():
    pytest.importorskip("opacus")
    from opacus.grad_sample import GradSampleModule

    from forgetless.privacy import register_grad_samplers
    from forgetless.resolve import resolve

    learnable = [spec for spec in SPECS.values() if spec.per_sample_gradient]
    assert sorted(register_grad_samplers()) == sorted(s.name for s in learnable)
    assert {s.name for s in learnable} >= {"learnable_elephant", "apa", "aglu"}
    for spec in learnable:
        assert GradSampleModule.GRAD_SAMPLERS[spec.module] is resolve(spec.per_sample_gradient)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_example_runs_forward(name):
    spec = SPECS[name]
    for kwargs in spec.examples:
        module = spec.module(**kwargs)
        y = module(torch.randn(3, 4))
        assert y.shape == (3, 4) and torch.isfinite(y).all()

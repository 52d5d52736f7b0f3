import pytest
import torch
from torch import nn

from forgetless.activations import (
    HardASH,
    activation_specs,
    available_activations,
    get_activation,
    register_activation,
    unregister_activation,
)

REQUIRED = {spec.name: spec.module for spec in activation_specs()}


@pytest.mark.parametrize(("name", "cls"), list(REQUIRED.items()))
def test_every_required_name_builds_a_working_module(name, cls):
    assert name in available_activations()
    module = get_activation(name)
    assert type(module) is cls
    y = module(torch.randn(3, 5))
    assert y.shape == (3, 5) and torch.isfinite(y).all()


def test_each_call_builds_a_new_instance_with_its_own_parameters():
    a, b = get_activation("aglu"), get_activation("aglu")
    assert a is not b and a.kappa is not b.kappa


def test_parameters_are_passed_and_names_are_normalised():
    module = get_activation("Hard-ASH", alpha=2.0, z_k=1.0)
    assert isinstance(module, HardASH) and module.alpha == 2.0 and module.z_k == 1.0
    assert get_activation("leaky_relu", negative_slope=0.2).negative_slope == 0.2
    per_channel = get_activation("apa", num_parameters=7, lam=0.5)
    assert per_channel.lam.shape == (7,) and torch.all(per_channel.lam == 0.5)


def test_learnable_elephant_is_lazy_by_default_or_explicit():
    lazy = get_activation("learnable_elephant")
    assert lazy.num_units is None
    lazy(torch.randn(2, 9))
    assert lazy.num_units == 9
    assert get_activation("learnable_elephant", num_units=4).log_sigma.shape == (4,)


def test_unknown_name_lists_the_known_names():
    with pytest.raises(ValueError, match="unknown activation 'relux'; known: .*aglu.*relu"):
        get_activation("relux")


def test_unknown_parameter_lists_the_accepted_ones():
    with pytest.raises(
        ValueError, match=r"'elephant' got unknown parameter\(s\) width; accepted: a, d"
    ):
        get_activation("elephant", width=1.0)
    with pytest.raises(ValueError, match="accepted: none"):
        get_activation("relu", inplace=True)


@pytest.mark.parametrize(
    ("name", "params", "match"),
    [
        ("elephant", {"d": 0.5}, "d must be a finite number >= 1"),
        ("elephant", {"a": 0}, "a must be a finite number > 0"),
        ("apa", {"lam": 0.0}, "lam must be a finite number > 0"),
        ("tempered_sigmoid", {"T": float("nan")}, "T must be a finite real number"),
        ("gelu", {"approximate": "fast"}, "approximate must be 'none' or 'tanh'"),
        ("softplus", {"beta": -1}, "beta must be a finite number > 0"),
    ],
)
def test_bad_values_name_the_parameter_and_range(name, params, match):
    with pytest.raises(ValueError, match=match):
        get_activation(name, **params)


def test_register_custom_activation_and_refuse_silent_overwrite():
    class Square(nn.Module):
        def __init__(self, scale: float = 1.0) -> None:
            super().__init__()
            self.scale = scale

        def forward(self, x):
            return self.scale * x * x

    register_activation("square", Square)
    try:
        assert "square" in available_activations()
        assert get_activation("square", scale=2.0)(torch.tensor([3.0])).item() == 18.0
        with pytest.raises(ValueError, match="already registered; pass overwrite=True"):
            register_activation("square", Square)
        with pytest.raises(ValueError, match="already registered"):
            register_activation("relu", nn.ReLU6)
        register_activation("square", lambda: Square(3.0), overwrite=True)
        assert get_activation("square").scale == 3.0
    finally:
        unregister_activation("square")
    assert "square" not in available_activations()


def test_register_rejects_bad_input_and_factory_must_return_a_module():
    with pytest.raises(ValueError, match="activation name must be a non-empty string"):
        register_activation("", nn.ReLU)
    with pytest.raises(ValueError, match="factory for 'thing' must be callable"):
        register_activation("thing", 3)
    register_activation("not_a_module", lambda: 42)
    try:
        with pytest.raises(TypeError, match="returned int, not an nn.Module"):
            get_activation("not_a_module")
    finally:
        unregister_activation("not_a_module")


def test_every_spec_is_registered_with_its_factory():
    # Each name is declared once, in its activation file's spec; the registry reads it there.
    names = [spec.name for spec in activation_specs()]
    assert len(names) == len(set(names)) >= 21
    assert set(names) == set(available_activations())
    forgetless = {n for n, cls in REQUIRED.items() if cls.__module__.startswith("forgetless")}
    assert forgetless >= {
        "elephant", "learnable_elephant", "ash", "hard_ash", "tempered_sigmoid", "apa", "aglu"
    }  # fmt: skip

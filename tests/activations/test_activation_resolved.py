"""Resolved activation parameters (what a run really used) and the paper's bare defaults."""

import dataclasses

import pytest

from forgetless.activations import register_activation, unregister_activation
from forgetless.activations.elephant import SPECS as ELEPHANT_SPECS
from forgetless.activations.resolved import paper_differences, resolved_parameters
from forgetless.activations.spec import spec_problems
from forgetless.activations.torch_activations import leaky_relu


def test_hard_ash_resolves_defaults_and_overrides():
    assert resolved_parameters("Hard-ASH", z_k=2.3) == {
        "alpha": 3.0,
        "z_k": 2.3,
        "stat_dims": None,
        "input_norm": True,
    }
    assert resolved_parameters("ash", stat_dims=(1,))["stat_dims"] == [1]  # JSON: a list
    with pytest.raises(ValueError, match="unknown parameter"):
        resolved_parameters("hard_ash", zk=1.0)
    with pytest.raises(ValueError, match="unknown activation"):
        resolved_parameters("no_such")


def test_differences_from_the_paper_are_listed_and_equal_values_are_not():
    assert paper_differences("hard_ash", resolved_parameters("hard_ash")) == {
        "z_k": [0.0, 2.3],
        "input_norm": [True, False],
    }
    bare = resolved_parameters("hard_ash", z_k=2.3, input_norm=False)
    assert paper_differences("hard_ash", bare) == {}
    assert paper_differences("tempered_sigmoid", resolved_parameters("tempered_sigmoid")) == {}
    assert paper_differences("relu", {}) == {}


def test_a_user_registered_factory_has_no_paper_defaults():
    register_activation("my_leaky", leaky_relu)
    try:
        assert resolved_parameters("my_leaky") == {"negative_slope": 0.01}
        assert paper_differences("my_leaky", {"negative_slope": 0.3}) == {}
    finally:
        unregister_activation("my_leaky")


def test_a_paper_default_for_a_parameter_the_factory_lacks_is_a_spec_problem():
    spec = dataclasses.replace(ELEPHANT_SPECS[0], paper_defaults={"width": 1.0})
    assert "paper default(s) for width, which the factory does not take" in spec_problems(spec)

"""The core imports no framework; each door imports only its own (checked in a fresh process)."""

from __future__ import annotations

import pytest
from fresh_interpreter import packages_loaded_after

FRAMEWORKS = ("avalanche", "pytorch_lightning", "lightning", "opacus", "omegaconf")

CORE = (
    "forgetless",
    "forgetless.activations",
    "forgetless.kernels.dispatch",
    "forgetless.rules",
    "forgetless.heads",
    "forgetless.plasticity",
    "forgetless.scenarios",
    "forgetless.metrics",
    "forgetless.models",
    "forgetless.report",
    "forgetless.strategy_specs",
    "forgetless.scenario_specs",
    "forgetless.checks",
    "forgetless.optim",
    "forgetless.resolve",
)


def loaded_frameworks(statement: str) -> list[str]:
    """The frameworks in ``sys.modules`` after running ``statement`` in a new interpreter."""
    return packages_loaded_after(statement, FRAMEWORKS)


def test_core_imports_no_framework():
    statement = "\n".join(f"import {module}" for module in CORE)
    assert loaded_frameworks(statement) == []


def test_privacy_imports_opacus_only():
    assert loaded_frameworks("import forgetless.privacy") == ["opacus"]


@pytest.mark.parametrize(
    ("statement", "own"),
    [
        ("from forgetless.lightning import ActivationSwap, fit_continual", "pytorch_lightning"),
        ("from forgetless.avalanche import ActivationPlugin, RuleStrategy", "avalanche"),
    ],
)
def test_each_door_loads_only_its_framework(statement: str, own: str):
    assert loaded_frameworks(statement) == [own]


def test_validating_a_config_imports_no_framework():
    statement = (
        "from forgetless.app.configs import load_config, validate\n"
        "validate(load_config(['preset=rules_split_mnist']))"
    )
    assert loaded_frameworks(statement) == ["omegaconf"]

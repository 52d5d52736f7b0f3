"""The 0.1 import paths still work for one release, each with a DeprecationWarning."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# old module, a name it must still give, the module that now defines it
OLD_PATHS = [
    ("forgetless.plugins.lightning", "ActivationSwap", "forgetless.lightning.activation_swap"),
    ("forgetless.plugins.avalanche", "ActivationPlugin", "forgetless.avalanche.activation_plugin"),
    ("forgetless.strategies", "RuleStrategy", "forgetless.avalanche.rule_strategy"),
    ("forgetless.strategies.lightning_continual", "fit_continual", "forgetless.lightning.continual_loop"),
    ("forgetless.strategies.private_strategy", "make_private_strategy", "forgetless.avalanche.private_strategy"),
    ("forgetless.scenarios.to_avalanche", "to_avalanche", "forgetless.avalanche.benchmark"),
    ("forgetless.run.cell", "run_cell", "forgetless.app.run.cell"),
    ("forgetless.configs", "load_config", "forgetless.app.configs.load"),
    ("forgetless.cli", "main", "forgetless.app.cli"),
]  # fmt: skip

PROBE = """
import importlib, json, sys, warnings
found = {}
for old, name in json.loads(sys.argv[1]):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(old)
    warned = any(
        issubclass(w.category, DeprecationWarning) and "moved to" in str(w.message) for w in caught
    )
    found[old] = [warned, getattr(module, name).__module__]
print(json.dumps(found))
"""


def test_every_old_path_warns_and_gives_the_moved_object():
    wanted = json.dumps([[old, name] for old, name, _ in OLD_PATHS])
    done = subprocess.run(
        [sys.executable, "-c", PROBE, wanted],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {old: [True, new] for old, _, new in OLD_PATHS}


def test_scenario_to_avalanche_is_deprecated_but_works():
    from forgetless.scenarios import split_mnist

    scenario = split_mnist(n_experiences=2, source="embedded")
    with pytest.warns(DeprecationWarning, match="moved to"):
        benchmark = scenario.to_avalanche()
    assert len(benchmark.train_stream) == 2

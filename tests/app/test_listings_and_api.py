"""Discoverability (--version, listings) and the Python API ``forgetless.compare``."""

from __future__ import annotations

import inspect

import pytest

import forgetless
from forgetless.activations.registry import _REGISTRY
from forgetless.app.cli import main
from forgetless.app.configs import ConfigError
from forgetless.rules import RULES
from forgetless.scenario_specs import SCENARIOS
from forgetless.strategy_specs import STRATEGIES

TINY = {
    "activations": ["relu", "hard_ash"],
    "strategies": ["naive"],
    "scenario": {"n_experiences": 2},
    "model": {"hidden": [16]},
    "train": {"batch_size": 64},
    "progress": False,
    "references": {"joint": False, "heads": []},  # the grid's cells only
}


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"forgetless {forgetless.__version__}"


@pytest.mark.parametrize(
    ("command", "names"),
    [
        (["rules"], sorted(RULES)),
        (["strategies"], list(STRATEGIES)),
        (["scenarios"], list(SCENARIOS)),
    ],
)
def test_listings_name_everything_compare_accepts(capsys, command, names):
    assert main(command) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == names


def test_activation_params_show_the_signature_defaults(capsys):
    assert main(["activations", "--params"]) == 0
    out = capsys.readouterr().out
    for name in ("elephant", "hard_ash", "learnable_elephant", "aglu"):
        for parameter in inspect.signature(_REGISTRY[name]).parameters.values():
            assert f"  {parameter.name} = {parameter.default!r}" in out
    assert "  a = " in out and "width of the bump" in out


def test_compare_help_points_to_the_listings(capsys):
    with pytest.raises(SystemExit):
        main(["compare", "--help"])
    out = capsys.readouterr().out
    assert "forgetless activations --params" in out and "strategy_params.<strategy>" in out


def test_python_api_returns_what_results_json_holds(tmp_path):
    results = forgetless.compare(
        "split_mnist", output_dir=str(tmp_path), run_name="api", seeds=[1], **TINY
    )
    assert results["run_dir"] == str(tmp_path / "api")
    assert [(c["activation"], c["seed"]) for c in results["cells"]] == [
        ("relu", 1),
        ("hard_ash", 1),
    ]
    assert results["config"]["model"]["hidden"] == [16]
    assert all(len(c["accuracy_matrix"]) == 2 for c in results["cells"])
    assert sorted(r["activation"] for r in results["rows"]) == ["hard_ash", "relu"]
    by_name = {c["activation"]: c["acc"] for c in results["cells"]}
    assert all(r["acc"]["mean"] == by_name[r["activation"]] for r in results["rows"])


def test_python_api_dotted_overrides_apply_last(tmp_path):
    from forgetless.app.api import build_config

    cfg = build_config(None, ["train.epochs=3"], train={"epochs": 2, "batch_size": 8})
    assert (cfg.train.epochs, cfg.train.batch_size) == (3, 8)


@pytest.mark.parametrize(
    ("keys", "named"),
    [
        ({"train": {"epochs": 0}}, "train.epochs"),
        ({"train": {"nonsense": 1}}, "train.nonsense"),
        ({"nonsense": 1}, "nonsense"),
        ({"activations": ["nope"]}, "activations"),
    ],
)
def test_python_api_bad_value_raises_one_line_and_writes_nothing(tmp_path, keys, named):
    with pytest.raises(ConfigError) as error:
        forgetless.compare(output_dir=str(tmp_path / "runs"), **keys)
    assert str(error.value).startswith(named) and "\n" not in str(error.value)
    assert not (tmp_path / "runs").exists()

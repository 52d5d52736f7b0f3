"""The Python API's inputs and outputs: non-string overrides and scalars for list keys are the
config's one-line errors, numpy numbers are numbers, and the rows carry mean ± std per row."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import forgetless
from forgetless.app.api import build_config, rows
from forgetless.app.cli import main
from forgetless.app.configs import ConfigError


def test_a_non_string_override_is_the_config_error():
    with pytest.raises(
        ConfigError, match=r"^overrides\[1\]: expected a 'key=value' string, got 1$"
    ):
        build_config(None, ["seeds=[0]", 1])


def test_numpy_scalars_and_arrays_are_numbers():
    cfg = build_config(
        optimizer={"lr": np.float64(0.25)}, train={"epochs": np.int64(3)}, seeds=np.array([4, 5])
    )
    assert (cfg.optimizer.lr, cfg.train.epochs, list(cfg.seeds)) == (0.25, 3, [4, 5])
    assert type(cfg.optimizer.lr) is float


@pytest.mark.parametrize("key, value", [("loggers", "wandb"), ("activations", "relu")])
def test_a_scalar_for_a_list_key_is_one_line(key, value, capsys):
    with pytest.raises(ConfigError, match=rf"^{key}: expected a list, e.g. {key}=\[{value}\]"):
        build_config(**{key: value})
    assert main(["compare", f"{key}={value}", "--print-config"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"forgetless: error: {key}: expected a list, e.g. {key}=[{value}], got '{value}'"


def test_rows_give_mean_and_std_over_seeds():
    def cell(seed, acc, la):
        return {
            "rule": "backprop",
            "activation": "relu",
            "strategy": "naive",
            "seed": seed,
            "error": None,
            "acc": acc,
            "la": la,
            "privacy": None,
        }

    table = rows({"cells": [cell(0, 0.4, 0.9), cell(1, 0.6, 0.7)], "la_threshold": 0.55})
    (row,) = table
    assert (row["activation"], row["seeds"], row["learned"]) == ("relu", 2, True)
    assert row["acc"]["mean"] == pytest.approx(0.5)
    assert row["acc"]["std"] == pytest.approx(np.std([0.4, 0.6], ddof=1))
    assert row["la"]["mean"] == pytest.approx(0.8)


def test_compare_documents_its_contract():
    doc = inspect.getdoc(forgetless.compare)
    assert all(section in doc for section in ("Args:", "Returns:", "Raises:", "rows"))

"""model.kind=random_conv: frozen random conv features (issue 24's one_pass_best) + a linear layer."""

import math

import pytest
import torch

from forgetless.app.configs import ConfigError, load_config, validate
from forgetless.app.run.cell import Cell, run_cell
from forgetless.app.run.scenario_builder import build_scenario
from forgetless.heads import RandomConvFeatures
from forgetless.models import RandomConvNet, build_model


def test_features_are_frozen_and_equal_random_conv_features_of_the_seed():
    model = build_model("random_conv", input_shape=(1, 28, 28), num_classes=10, seed=3)
    assert isinstance(model, RandomConvNet)
    names = [name for name, _ in model.named_parameters()]
    assert names == ["classifier.weight", "classifier.bias"]  # nothing in features trains
    assert model.classifier.in_features == 64 * 7 * 7
    x = torch.randn(4, 1, 28, 28)
    expected = RandomConvFeatures(1, 64, 5, 4, "max", seed=3)(x)
    assert torch.equal(model.features(x), expected)
    assert model(x.flatten(1)).shape == (4, 10)  # flat inputs are reshaped to the image
    other = build_model("random_conv", seed=4)
    assert not torch.equal(other.features(x), expected)  # the seed draws the filters


def test_head_cell_reads_the_frozen_features(tmp_path):
    cfg = load_config(
        [
            *("model.kind=random_conv", "heads=[slda]", "head.features=init"),
            *("head.shrinkage=0.1", "scenario.n_experiences=2", "strategies=[naive]"),
            *("references.joint=false", "references.heads=[]", "progress=false"),
        ]
    )
    validate(cfg)
    scenario = build_scenario(cfg.scenario, 0)
    record = run_cell(cfg, Cell("relu", "backprop", "naive", 0, "slda"), scenario)
    R = record["accuracy_matrix"]
    assert R[0][1] == 0.0 and R[0][0] > 0.9  # only the seen classes, well separated
    assert math.isfinite(record["acc"]) and record["acc"] > 0.9
    assert record["training"]["head_features"] == "init"


def test_rules_other_than_backprop_refuse_random_conv():
    cfg = load_config(["model.kind=random_conv", "rules=[mono_forward]"])
    with pytest.raises(ConfigError, match="model.kind"):
        validate(cfg)

"""Which settings a rule cell trains with: recipe, then rule_params / rule_train overrides."""

import pytest

from forgetless.app.configs import ConfigError, load_config, validate
from forgetless.app.run.rule_settings import rule_settings
from forgetless.rules import epochs_for, recipe
from forgetless.scenarios import split_mnist


@pytest.fixture(scope="module")
def scenario():
    return split_mnist(n_experiences=5, source="embedded")  # 800 training images per experience


def test_a_rule_trains_at_its_recipe_unless_overridden(scenario):
    cfg = load_config([])  # the default preset: SGD 0.05, batch 32 (25 batches per experience)
    ff = rule_settings(cfg, "forward_forward", scenario)
    assert ff.params == {"recipe": "loewex", "negatives": "hard"}
    assert ff.optimizer["name"] == "adam" and ff.optimizer["lr"] == 1e-3
    assert ff.epochs == epochs_for(recipe("forward_forward").min_steps, 25) == 6
    cfg = load_config(
        [
            "rule_params.forward_forward.negatives=random",
            "rule_train.forward_forward.epochs=2",
            "rule_train.forward_forward.lr=0.01",
        ]
    )
    ff = rule_settings(cfg, "forward_forward", scenario)
    assert ff.params == {"recipe": "loewex", "negatives": "random"}
    assert (ff.epochs, ff.optimizer["name"], ff.optimizer["lr"]) == (2, "adam", 0.01)


def test_backprop_trains_with_the_shared_sections(scenario):
    cfg = load_config(["train.epochs=3", "optimizer.lr=0.1"])
    bp = rule_settings(cfg, "backprop", scenario)
    assert (bp.params, bp.epochs, bp.optimizer["name"], bp.optimizer["lr"]) == ({}, 3, "sgd", 0.1)
    assert (
        rule_settings(load_config(["preset=rules_split_mnist"]), "backprop", scenario).epochs == 8
    )


def test_train_epochs_is_a_floor_and_streaming_is_one_pass(scenario):
    assert rule_settings(load_config(["train.epochs=50"]), "noprop", scenario).epochs == 50
    streaming = load_config(["preset=streaming"])
    assert rule_settings(streaming, "forward_forward", scenario).epochs == 1


@pytest.mark.parametrize(
    "override, key",
    [
        ("rule_train.noprop.epochs=0", "rule_train.noprop.epochs"),
        ("rule_train.noprop.lr=-1", "rule_train.noprop.lr"),
        ("rule_train.noprop.optimizer=rmsprop", "rule_train.noprop.optimizer"),
        ("rule_train.nope.epochs=2", "rule_train.nope"),
    ],
)
def test_bad_rule_train_is_one_line_naming_the_key(override, key):
    with pytest.raises(ConfigError, match=f"^{key}"):
        validate(load_config([override]))


def test_rule_params_for_backprop_are_refused_not_ignored():
    with pytest.raises(ConfigError, match=r"^rule_params\.backprop: backprop trains the model"):
        validate(load_config(["rule_params.backprop.backbone=cnn"]))

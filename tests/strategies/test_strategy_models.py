"""The builders' split of forgetless's models into a feature extractor and a classifier: the
same modules, the same outputs; a model without one is refused naming the strategy."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from forgetless.avalanche.strategy_models import (
    PredictingCoPE,
    WithFeatures,
    cope_arguments,
    cwr_arguments,
    features_and_classifier,
    gss_arguments,
)
from forgetless.models import build_model


@pytest.mark.parametrize(
    ("kind", "shape"), [("mlp", (1, 8, 8)), ("cnn", (1, 8, 8)), ("reduced_resnet18", (3, 8, 8))]
)
def test_features_then_classifier_is_the_model(kind, shape):
    torch.manual_seed(0)
    model = build_model(kind, input_shape=shape, num_classes=4, hidden=[8]).eval()
    features, classifier = features_and_classifier(model, "er_aml")
    x = torch.randn(3, *shape)
    torch.testing.assert_close(classifier(features(x)), model(x))
    assert classifier is model.classifier
    assert {id(p) for p in features.parameters()} | {id(p) for p in classifier.parameters()} == {
        id(p) for p in model.parameters()
    }


def test_lfl_wrapper_keeps_outputs_and_parameters():
    model = build_model("mlp", input_shape=(1, 8, 8), num_classes=4, hidden=[8])
    wrapped = WithFeatures(model)
    x = torch.randn(2, 1, 8, 8)
    torch.testing.assert_close(wrapped(x), model(x))
    assert wrapped.get_features(x).shape == (2, 8)
    assert list(wrapped.parameters()) == list(model.parameters())


def test_the_builders_fill_in_what_the_classes_need():
    model = build_model("mlp", input_shape=(1, 8, 8), num_classes=4, hidden=[8])
    assert cwr_arguments({"model": model}, None)["cwr_layer_name"] == "classifier"
    assert dict(model.named_modules())["classifier"] is model.classifier
    cope = cope_arguments({"model": model}, None)
    assert (cope["n_classes"], cope["p_size"]) == (4, 4)
    assert gss_arguments({"model": model}, (1, 8, 8))["input_size"] == [1, 8, 8]
    with pytest.raises(ValueError, match=r"^strategy gss_greedy: build_cl_strategy needs"):
        gss_arguments({"model": model}, None)


def test_a_model_without_features_is_refused_naming_the_strategy():
    with pytest.raises(ValueError, match=r"^strategy cwr_star: needs a model with a feature"):
        cwr_arguments({"model": nn.Linear(4, 2)}, None)


def test_cope_predicts_before_the_callers_plugins_read_the_outputs():
    from avalanche.training.plugins import CoPEPlugin

    from forgetless.avalanche.cl_strategies import quiet_evaluator

    class Mine:
        """A caller's plugin (the accuracy matrix reads outputs at after_eval_iteration)."""

    model = build_model("mlp", input_shape=(1, 8, 8), num_classes=4, hidden=[8])
    strategy = PredictingCoPE(
        model=model,
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        criterion=nn.CrossEntropyLoss(),
        plugins=[Mine()],
        evaluator=quiet_evaluator(),
        **{k: v for k, v in cope_arguments({"model": model}, None).items() if k != "model"},
    )
    types = [type(p) for p in strategy.plugins]
    assert types.index(CoPEPlugin) < types.index(Mine)
